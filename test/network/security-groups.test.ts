import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateClusterCommand, StopTaskCommand, type ECSClient, type Task } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { awsCli } from '../support/aws-cli.js';
import { defaultSubnets } from '../support/default-vpc.js';
import { usePlatform } from '../support/platform.js';
import { registerAndRun, runProbes, taskLogs } from '../tasks/probe-task.js';
import { isRunning, isStopped, startImageFixture, waitForTask, type ImageFixture } from '../tasks/task-fixture.js';
import { webContainer } from '../traffic/traffic-fixture.js';

const env = usePlatform();
const home = mkdtempSync(join(tmpdir(), 'minato-sg-home-'));
const C = 'groups';
const SUBNET = defaultSubnets()[0]!;
let ecs: ECSClient;
let fixture: ImageFixture;

const aws = async <T>(...args: string[]): Promise<T> => {
  const r = await awsCli(env.platform().endpoint, home, args);
  if (r.code !== 0) throw new Error(`aws ${args.join(' ')}: ${r.stderr}`);
  return (r.stdout.trim() ? JSON.parse(r.stdout) : {}) as T;
};

const createGroup = async (name: string): Promise<string> => (await aws<{ GroupId: string }>('ec2', 'create-security-group', '--group-name', name, '--description', `${name} tasks`)).GroupId;
const port8080From = (peer: string) => `IpProtocol=tcp,FromPort=8080,ToPort=8080,${peer.startsWith('sg-') ? `UserIdGroupPairs=[{GroupId=${peer}}]` : `IpRanges=[{CidrIp=${peer}}]`}`;
const detail = (t: Task, name: string) => t.attachments?.[0]?.details?.find((d) => d.name === name)?.value;

beforeAll(async () => {
  ecs = env.ecs();
  await ecs.send(new CreateClusterCommand({ clusterName: C }));
  fixture = await startImageFixture();
}, 120_000);
afterAll(async () => {
  await fixture?.stop();
  rmSync(home, { recursive: true, force: true });
});

/** From a fresh task in `groups`: whether `address`:8080 answers (within a bounded wait either way). */
async function reaches(address: string, groups: string[], expectReach: boolean): Promise<void> {
  // A new task's address reaches the server's rules on the next reconcile (2 s): reaching is retried;
  // being refused is checked after that tick, twice, each attempt bounded (dropped packets hang).
  const script = expectReach
    ? `for i in $(seq 1 20); do timeout 3 wget -q -O /tmp/page http://${address}:8080/ && grep -q '^web ' /tmp/page && exit 0; sleep 1; done; exit 1`
    : `sleep 4; for i in 1 2; do timeout 3 wget -q -O /tmp/page http://${address}:8080/ && exit 1; done; exit 0`;
  const probe = await runProbes(ecs, C, 'probe', fixture.image, [{ name: 'client', image: fixture.image, command: ['sh', '-c', script] }], {
    run: { networkConfiguration: { awsvpcConfiguration: { subnets: [SUBNET], securityGroups: groups } } },
  });
  expect(probe.exitCodes.client, await taskLogs(env.platform().config.dataDir, probe.task)).toBe(0);
}

describe('security groups on awsvpc tasks', () => {
  it('refuses unknown subnets and security groups with ECS\'s errors', async () => {
    await aws('ecs', 'register-task-definition', '--family', 'nothing', '--network-mode', 'awsvpc', '--requires-compatibilities', 'FARGATE', '--cpu', '256', '--memory', '512',
      '--container-definitions', JSON.stringify([{ name: 'app', image: fixture.image, command: ['true'] }]));
    const run = (network: string) => awsCli(env.platform().endpoint, home, ['ecs', 'run-task', '--cluster', C, '--task-definition', 'nothing', '--launch-type', 'FARGATE', '--network-configuration', network]);
    const noSubnet = await run('awsvpcConfiguration={subnets=[subnet-0123456789abcdef0]}');
    expect(noSubnet.code).not.toBe(0);
    expect(noSubnet.stderr).toContain('InvalidParameterException');
    expect(noSubnet.stderr).toContain("Error retrieving subnet information for [subnet-0123456789abcdef0]: The subnet ID 'subnet-0123456789abcdef0' does not exist");
    const noGroup = await run(`awsvpcConfiguration={subnets=[${SUBNET}],securityGroups=[sg-0123456789abcdef0]}`);
    expect(noGroup.code).not.toBe(0);
    expect(noGroup.stderr).toContain('InvalidParameterException');
    expect(noGroup.stderr).toContain("The security group 'sg-0123456789abcdef0' does not exist");
    const service = await awsCli(env.platform().endpoint, home, ['ecs', 'create-service', '--cluster', C, '--service-name', 'nowhere', '--task-definition', 'nothing', '--desired-count', '0',
      '--launch-type', 'FARGATE', '--network-configuration', 'awsvpcConfiguration={subnets=[subnet-0123456789abcdef0]}']);
    expect(service.code).not.toBe(0);
    expect(service.stderr).toContain('Error retrieving subnet information');
  }, 60_000);

  it('lets in only what the server\'s groups allow, following Authorize and Revoke', async () => {
    const a = await createGroup('server-tasks');
    const b = await createGroup('client-tasks');
    const c = await createGroup('other-tasks');
    await aws('ec2', 'authorize-security-group-ingress', '--group-id', a, '--ip-permissions', port8080From(b));

    const started = await registerAndRun(ecs, C, {
      family: 'server', networkMode: 'awsvpc', requiresCompatibilities: ['FARGATE'], cpu: '256', memory: '512',
      containerDefinitions: [webContainer(fixture.image, 'web')],
    }, { networkConfiguration: { awsvpcConfiguration: { subnets: [SUBNET], securityGroups: [a] } } });
    const server = await waitForTask(ecs, C, started.taskArn!, isRunning);
    const address = detail(server, 'privateIPv4Address')!;
    expect(detail(server, 'subnetId')).toBe(SUBNET);
    // The namespace may be a pooled sandbox's: its path is in the task's network record.
    const record = JSON.parse(readFileSync(join(env.platform().config.dataDir, 'network', 'tasks', `${server.taskArn!.split('/').pop()}.json`), 'utf8')) as { netnsPath: string };
    const netns = record.netnsPath;
    expect(execFileSync('nsenter', [`--net=${netns}`, 'iptables', '-S', 'INPUT'], { encoding: 'utf8' })).toContain('-P INPUT DROP');

    await reaches(address, [b], true);
    await reaches(address, [c], false);
    // A group in the same VPC by its id, then by a block holding the whole task subnet.
    await aws('ec2', 'authorize-security-group-ingress', '--group-id', a, '--ip-permissions', port8080From(c));
    await reaches(address, [c], true);
    await aws('ec2', 'revoke-security-group-ingress', '--group-id', a, '--ip-permissions', port8080From(c));
    await reaches(address, [c], false);
    await aws('ec2', 'authorize-security-group-ingress', '--group-id', a, '--ip-permissions', port8080From('10.0.0.0/8'));
    await reaches(address, [c], true);
    await aws('ec2', 'revoke-security-group-ingress', '--group-id', a, '--ip-permissions', port8080From('10.0.0.0/8'));
    await reaches(address, [c], false);
    // Group B still gets in: revoking the others' rules left its own.
    await reaches(address, [b], true);

    await ecs.send(new StopTaskCommand({ cluster: C, task: server.taskArn }));
    await waitForTask(ecs, C, server.taskArn!, isStopped);
    // The rules lived in the task's namespace, which is gone with it.
    expect(execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })).not.toContain(netns.split('/').pop());
  }, 300_000);
});
