/**
 * Security groups on the awsvpc tasks of a container instance: a real `minato agent` in its own
 * network namespace gets each task's firewall with the launch and keeps it current as the control
 * plane's rules change (the agent protocol carries it). The clients connect from inside their own
 * task namespaces, so every packet leaves with the client task's address, as its containers' would.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { RunTaskCommand, type Task } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCli } from '../support/aws-cli.js';
import { defaultSubnets } from '../support/default-vpc.js';
import { webContainer } from '../traffic/traffic-fixture.js';
import { describeTasks, registerEc2, sleeper, startHostsFixture, stopAndWait, until, type HostsFixture } from './hosts-fixture.js';

const run = promisify(execFile);
const CLUSTER = 'groups';
let f: HostsFixture;
const home = mkdtempSync(join(tmpdir(), 'minato-sg-hosts-home-'));
const started: string[] = [];

beforeAll(async () => {
  f = await startHostsFixture(CLUSTER, [['--cpu', '4096', '--memory', '2048']]);
}, 180_000);
afterAll(async () => {
  if (f && started.length > 0) await stopAndWait(f.ecs, CLUSTER, started).catch(() => undefined);
  await f?.dispose();
  rmSync(home, { recursive: true, force: true });
}, 90_000);

const aws = async <T>(...args: string[]): Promise<T> => {
  const r = await awsCli(f.control.endpoint, home, args, { AWS_ACCESS_KEY_ID: f.control.config.accessKeyId, AWS_SECRET_ACCESS_KEY: f.control.config.secretAccessKey });
  if (r.code !== 0) throw new Error(`aws ${args.join(' ')}: ${r.stderr}`);
  return (r.stdout.trim() ? JSON.parse(r.stdout) : {}) as T;
};
const createGroup = async (name: string): Promise<string> => (await aws<{ GroupId: string }>('ec2', 'create-security-group', '--group-name', name, '--description', `${name} tasks`)).GroupId;
const port8080From = (group: string) => `IpProtocol=tcp,FromPort=8080,ToPort=8080,UserIdGroupPairs=[{GroupId=${group}}]`;
const addressOf = (t: Task) => t.attachments?.[0]?.details?.find((d) => d.name === 'privateIPv4Address')?.value;

/** Runs one task of `family` on the agent in `group`; resolves once it is RUNNING. */
async function runIn(family: string, group: string): Promise<Task> {
  const res = await f.ecs.send(
    new RunTaskCommand({ cluster: CLUSTER, taskDefinition: family, launchType: 'EC2', networkConfiguration: { awsvpcConfiguration: { subnets: [defaultSubnets()[0]!], securityGroups: [group] } } }),
  );
  expect(res.failures).toEqual([]);
  const arn = res.tasks![0]!.taskArn!;
  started.push(arn);
  return until(`${family} running`, async () => (await describeTasks(f.ecs, CLUSTER, [arn])).find((t) => t.lastStatus === 'RUNNING'), 90_000, 250);
}

/** The task's network namespace on the agent's host (a pooled sandbox's, perhaps: its path is in the task's network record). */
const netnsOf = (t: Task): string =>
  (JSON.parse(readFileSync(join(f.hosts.hosts[0]!.dataDir, 'network', 'tasks', `${t.taskArn!.split('/').pop()}.json`), 'utf8')) as { netnsPath: string }).netnsPath;

/** Whether an HTTP GET of `address`:8080 from inside `netns` answers within 2 s (a dropped SYN does not). */
async function reaches(netns: string, address: string): Promise<boolean> {
  try {
    const { stdout } = await run('nsenter', [`--net=${netns}`, 'curl', '-s', '-m', '2', '-o', '/dev/null', '-w', '%{http_code}', `http://${address}:8080/`]);
    return stdout === '200';
  } catch {
    return false;
  }
}

/** The server's INPUT rules, as its namespace holds them. */
const inputRules = async (netns: string): Promise<string> => (await run('nsenter', [`--net=${netns}`, 'iptables', '-S', 'INPUT'])).stdout;

describe('security groups on a container instance\'s awsvpc tasks', () => {
  it('lets in only the referenced group\'s members, and follows Authorize and Revoke within seconds', async () => {
    const server = await createGroup('server-tasks');
    const client = await createGroup('client-tasks');
    const other = await createGroup('other-tasks');
    await aws('ec2', 'authorize-security-group-ingress', '--group-id', server, '--ip-permissions', port8080From(client));
    await registerEc2(f.ecs, 'web', webContainer(f.image, 'web'));
    await registerEc2(f.ecs, 'idle', sleeper(f.image));

    const web = await runIn('web', server);
    const member = await runIn('idle', client);
    const stranger = await runIn('idle', other);
    const address = addressOf(web)!;
    expect(address.startsWith(f.hosts.hosts[0]!.taskSubnet.split('.').slice(0, 3).join('.'))).toBe(true);
    const [webNs, memberNs, strangerNs] = [netnsOf(web), netnsOf(member), netnsOf(stranger)];
    // Enforced in the server's own namespace, with the member admitted by its task address.
    expect(await inputRules(webNs)).toContain('-P INPUT DROP');
    await until('the member admitted', async () => (await inputRules(webNs)).includes(`-s ${addressOf(member)}/32`), 15_000, 250);

    expect(await reaches(memberNs, address)).toBe(true);
    expect(await reaches(strangerNs, address)).toBe(false);
    expect(await reaches(strangerNs, address)).toBe(false);

    // Authorize: the other group's member gets in within a bounded time (the agent's poll is
    // looked at again every 2 s, then the rules are replaced).
    let since = Date.now();
    await aws('ec2', 'authorize-security-group-ingress', '--group-id', server, '--ip-permissions', port8080From(other));
    await until('the stranger let in', () => reaches(strangerNs, address), 15_000, 100);
    const authorizeMs = Date.now() - since;
    expect(await reaches(memberNs, address)).toBe(true);

    // Revoke the client group's rule: its member is dropped from then on, the other one still gets in.
    since = Date.now();
    await aws('ec2', 'revoke-security-group-ingress', '--group-id', server, '--ip-permissions', port8080From(client));
    await until('the member shut out', async () => !(await reaches(memberNs, address)), 15_000, 100);
    const revokeMs = Date.now() - since;
    expect(await reaches(memberNs, address)).toBe(false);
    expect(await reaches(strangerNs, address)).toBe(true);
    expect(await inputRules(webNs)).not.toContain(`-s ${addressOf(member)}/32`);
    expect(Math.max(authorizeMs, revokeMs), `authorize took effect in ${authorizeMs} ms, revoke in ${revokeMs} ms`).toBeLessThan(10_000);

    // A restarted agent holds no firewall it knows of: it is sent each task's current one, and
    // follows the changes as before (its tasks kept their rules meanwhile).
    await f.agents[0]!.kill('SIGTERM');
    expect(await reaches(memberNs, address)).toBe(false);
    await f.restartAgent(0);
    await aws('ec2', 'authorize-security-group-ingress', '--group-id', server, '--ip-permissions', port8080From(client));
    await until('the member let in again', () => reaches(memberNs, address), 15_000, 100);

    // A member stopping leaves the rules: the stranger's address goes with its task.
    await stopAndWait(f.ecs, CLUSTER, [stranger.taskArn!]);
    await until('the stopped member gone from the rules', async () => !(await inputRules(webNs)).includes(`-s ${addressOf(stranger)}/32`), 15_000, 250);

    await stopAndWait(f.ecs, CLUSTER, started);
    started.length = 0;
  }, 300_000);
});
