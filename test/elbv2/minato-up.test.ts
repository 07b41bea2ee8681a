import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { awsCli, type CliResult } from '../support/aws-cli.js';
import { runMinatoExpectingExit, spawnMinato, type MinatoProcess } from '../support/minato-process.js';

// Runs the compiled CLI (`npm run build` first), as a user runs `minato up`.
const dataDir = mkdtempSync(join(tmpdir(), 'minato-elbv2-up-'));
const cliHome = mkdtempSync(join(tmpdir(), 'minato-elbv2-cli-'));
const running: MinatoProcess[] = [];
afterAll(async () => {
  // stop() sweeps the data dir: what a failed assertion left (HAProxy, its /etc/hosts block) goes too.
  for (const p of running) await p.stop('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(cliHome, { recursive: true, force: true });
});

type Output = ReturnType<typeof JSON.parse>;
const ok = (res: CliResult): Output => {
  expect([res.code, res.stderr]).toEqual([0, '']);
  return JSON.parse(res.stdout || '{}');
};

describe('load balancing in minato up', () => {
  it('serves ELBv2 and ACM, and keeps load balancers, certificates and drains across a restart', async () => {
    const first = await spawnMinato(['--port', '0', '--data-dir', dataDir], { MINATO_LB_SUBNET: '127.78.0.0/24' });
    running.push(first);
    const aws = (...args: string[]) => awsCli(first.endpoint, cliHome, args);
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(cliHome, 'k.pem'), '-out', join(cliHome, 'c.pem'), '-days', '5', '-subj', '/CN=up.example.com'], { stdio: 'ignore' });
    const cert = ok(await aws('acm', 'import-certificate', '--certificate', `fileb://${join(cliHome, 'c.pem')}`, '--private-key', `fileb://${join(cliHome, 'k.pem')}`)).CertificateArn;
    const lb = ok(await aws('elbv2', 'create-load-balancer', '--name', 'up', '--subnets', 'subnet-00000001', 'subnet-00000002')).LoadBalancers[0];
    ok(await aws('elbv2', 'wait', 'load-balancer-available', '--load-balancer-arns', lb.LoadBalancerArn));
    const tg = ok(await aws('elbv2', 'create-target-group', '--name', 'up', '--protocol', 'HTTP', '--port', '80', '--vpc-id', 'vpc-00000001', '--target-type', 'ip')).TargetGroups[0];
    ok(await aws('elbv2', 'create-listener', '--load-balancer-arn', lb.LoadBalancerArn, '--protocol', 'HTTPS', '--port', '443', '--certificates', `CertificateArn=${cert}`, '--default-actions', `Type=forward,TargetGroupArn=${tg.TargetGroupArn}`));
    ok(await aws('elbv2', 'register-targets', '--target-group-arn', tg.TargetGroupArn, '--targets', 'Id=10.3.0.1', 'Id=10.3.0.2'));
    ok(await aws('elbv2', 'deregister-targets', '--target-group-arn', tg.TargetGroupArn, '--targets', 'Id=10.3.0.2'));
    // The first target is being health-checked (nothing answers at 10.3.0.1: it stays initial until
    // the unhealthy threshold is reached, 2 checks 30 s apart); the second drains.
    const before = ok(await aws('elbv2', 'describe-target-health', '--target-group-arn', tg.TargetGroupArn)).TargetHealthDescriptions;
    expect(before.map((d: Output) => [d.Target.Id, d.TargetHealth.State, d.TargetHealth.Reason])).toEqual([['10.3.0.1', 'initial', 'Elb.InitialHealthChecking'], ['10.3.0.2', 'draining', 'Target.DeregistrationInProgress']]);
    // Instance targets of container instances need their hosts' addresses, which no port provides yet.
    const instance = await aws('elbv2', 'create-target-group', '--name', 'inst', '--protocol', 'HTTP', '--port', '80', '--vpc-id', 'vpc-00000001');
    const instanceTg = ok(instance).TargetGroups[0];
    expect((await aws('elbv2', 'register-targets', '--target-group-arn', instanceTg.TargetGroupArn, '--targets', 'Id=i-0123456789abcdef0')).stderr).toContain('(InvalidTarget)');
    expect(await first.stop('SIGTERM')).toBe(0);

    const second = await spawnMinato(['--port', '0', '--data-dir', dataDir], { MINATO_LB_SUBNET: '127.78.0.0/24' });
    running.push(second);
    const again = (...args: string[]) => awsCli(second.endpoint, cliHome, args);
    const described = ok(await again('elbv2', 'describe-load-balancers', '--names', 'up')).LoadBalancers;
    expect(described).toEqual([{ ...lb, State: { Code: 'active' } }]);
    const after = ok(await again('elbv2', 'describe-target-health', '--target-group-arn', tg.TargetGroupArn)).TargetHealthDescriptions;
    expect(after.map((d: Output) => d.TargetHealth.State)).toEqual(['initial', 'draining']);
    expect(ok(await again('acm', 'describe-certificate', '--certificate-arn', cert)).Certificate.InUseBy).toEqual([lb.LoadBalancerArn]);
    expect(await second.stop()).toBe(0);
  }, 180_000);

  it('refuses to start with a load-balancer subnet that is not an IPv4 block', async () => {
    const { code, stderr } = await runMinatoExpectingExit(['--port', '0', '--data-dir', join(dataDir, 'bad'), '--lb-subnet', '127.77.0.0/33']);
    expect(code).not.toBe(0);
    expect(stderr).toContain('--lb-subnet');
  });
});
