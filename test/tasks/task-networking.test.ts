import { randomBytes } from 'node:crypto';
import { connect, createServer, type Server } from 'node:net';
import { ListTasksCommand, StopTaskCommand, type ECSClient, type Task } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execChecked, execFile } from '../../src/agent/network/exec.js';
import { firewallChain } from '../../src/agent/network/host-firewall.js';
import { ephemeralPortRange } from '../../src/agent/network/host-ports.js';
import { firstHost, formatIpv4, parseSubnet } from '../../src/agent/network/ipv4.js';
import { admitToDefaultGroup } from '../support/default-vpc.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { registerAndRun, taskLogs } from './probe-task.js';
import { isRunning, isStopped, startImageFixture, waitForTask, type ImageFixture } from './task-fixture.js';

const C = 'networking';
let platform: TestPlatform | undefined;
let ecs: ECSClient;
let fixture: ImageFixture;

beforeAll(async () => {
  platform = await startTestPlatform();
  ecs = platform.ecs();
  // The tasks' group admits only its members: the host reaches their port 8080 by a rule, as on AWS.
  await admitToDefaultGroup(platform.endpoint, 8080);
  fixture = await startImageFixture();
}, 120_000);
afterAll(async () => {
  ecs?.destroy();
  await platform?.dispose();
  await fixture?.stop();
}, 60_000);

const logs = (task: Task) => taskLogs(platform!.config.dataDir, task);
const httpd = ['sh', '-c', 'trap "exit 0" TERM; httpd -f -p 8080 -h /www & wait'];

/** The body at `url`, retrying (for up to 10 s) while nothing listens yet. */
async function fetchWhenListening(url: string): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await (await fetch(url)).text();
    } catch (err) {
      if (attempt >= 100) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** Runs `count` tasks of one definition and waits until each is RUNNING (or has stopped). */
async function runMany(definition: Parameters<typeof registerAndRun>[2], count: number): Promise<Task[]> {
  const first = await registerAndRun(ecs, C, definition, { count });
  const arns = (await ecs.send(new ListTasksCommand({ cluster: C, family: definition.family }))).taskArns ?? [];
  expect(arns).toContain(first.taskArn);
  expect(arns).toHaveLength(count);
  return Promise.all(arns.map((arn) => waitForTask(ecs, C, arn, (t) => isRunning(t) || isStopped(t), 90_000)));
}

async function stopAll(tasks: Task[]): Promise<void> {
  await Promise.all(tasks.map((t) => ecs.send(new StopTaskCommand({ cluster: C, task: t.taskArn! }))));
  await Promise.all(tasks.map((t) => waitForTask(ecs, C, t.taskArn!, isStopped)));
}

describe('task networking with real containers', () => {
  it('runs three awsvpc tasks of one definition with containerPort 8080, each reached at its own address', async () => {
    const tasks = await runMany(
      {
        family: 'awsvpc-web',
        networkMode: 'awsvpc',
        requiresCompatibilities: ['FARGATE'],
        cpu: '256',
        memory: '512',
        containerDefinitions: [{ name: 'web', image: fixture.image, command: httpd, portMappings: [{ containerPort: 8080 }] }],
      },
      3,
    );
    for (const t of tasks) expect(t.lastStatus, await logs(t)).toBe('RUNNING');
    const addresses = tasks.map((t) => t.containers?.[0]?.networkInterfaces?.[0]?.privateIpv4Address);
    expect(new Set(addresses).size).toBe(3);
    for (const t of tasks) {
      // As on Fargate: the interface carries the address, nothing is bound on a host.
      expect(t.containers?.[0]?.networkBindings).toEqual([]);
    }
    for (const ip of addresses) {
      expect(ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
      expect(await fetchWhenListening(`http://${ip}:8080/index.html`)).toBe('hello from a task\n');
    }
    await stopAll(tasks);
  });

  it('publishes bridge mode ports without a host port on dynamic host ports, one per task', async () => {
    const range = await ephemeralPortRange();
    const tasks = await runMany(
      {
        family: 'bridge-dynamic',
        networkMode: 'bridge',
        requiresCompatibilities: ['EC2'],
        containerDefinitions: [{ name: 'web', image: fixture.image, memory: 64, command: httpd, portMappings: [{ containerPort: 8080, hostPort: 0 }] }],
      },
      2,
    );
    for (const t of tasks) expect(t.lastStatus, await logs(t)).toBe('RUNNING');
    const ports = tasks.map((t) => {
      const bindings = t.containers?.[0]?.networkBindings ?? [];
      expect(bindings).toEqual([{ bindIP: '127.0.0.1', containerPort: 8080, hostPort: expect.any(Number), protocol: 'tcp' }]);
      return bindings[0]!.hostPort!;
    });
    expect(ports[0]).not.toBe(ports[1]);
    for (const port of ports) {
      expect(port).toBeGreaterThanOrEqual(range.first);
      expect(port).toBeLessThanOrEqual(range.last);
      expect(await fetchWhenListening(`http://127.0.0.1:${port}/index.html`)).toBe('hello from a task\n');
    }
    await stopAll(tasks);
  });

  it("keeps a task off the host's other services while its metadata endpoint answers", async () => {
    // A host service on all addresses, and another address of the host: the host end of a veth
    // pair the test makes (both ends stay on the host), in the benchmarking range 198.18.0.0/15.
    let connections = 0;
    const server: Server = createServer((s) => {
      connections++;
      s.end('host service\n');
    });
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '0.0.0.0', resolve));
    const port = (server.address() as { port: number }).port;
    const veth = `mv${randomBytes(3).toString('hex')}`;
    const other = `198.18.${1 + Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}`;
    await execChecked('ip', ['link', 'add', veth, 'type', 'veth', 'peer', 'name', `${veth}p`]);
    try {
      await execChecked('ip', ['addr', 'add', `${other}/32`, 'dev', veth]);
      await execChecked('ip', ['link', 'set', veth, 'up']);
      await execChecked('ip', ['link', 'set', `${veth}p`, 'up']);
      const gateway = formatIpv4(firstHost(parseSubnet(platform!.config.taskSubnet)!));
      const script = [
        `gw=$(nc -w 3 ${gateway} ${port} </dev/null 2>&1); echo "gateway: $gw"`,
        `other=$(nc -w 3 ${other} ${port} </dev/null 2>&1); echo "other: $other"`,
        'meta=$(wget -qO- "$ECS_CONTAINER_METADATA_URI_V4" 2>&1); echo "metadata: $meta"',
        'case "$gw" in *refused*) ;; *) exit 1;; esac',
        'case "$other" in *refused*) ;; *) exit 2;; esac',
        'case "$meta" in *DockerId*) ;; *) exit 3;; esac',
        'exit 0',
      ].join('\n');
      const started = await registerAndRun(ecs, C, {
        family: 'firewall-probe',
        networkMode: 'awsvpc',
        requiresCompatibilities: ['FARGATE'],
        cpu: '256',
        memory: '512',
        containerDefinitions: [{ name: 'probe', image: fixture.image, command: ['sh', '-c', script] }],
      });
      const task = await waitForTask(ecs, C, started.taskArn!, isStopped, 90_000);
      expect(task.containers?.[0]?.exitCode, await logs(task)).toBe(0);
      expect(connections).toBe(0);
      // The service is up all along: the host reaches it.
      const fromHost = await fetchText(port);
      expect(fromHost).toBe('host service\n');
    } finally {
      await execFile('ip', ['link', 'del', veth], { timeoutMs: 10_000 });
      await new Promise((r) => server.close(r));
    }
  });

  it('leaves no firewall rule of the task bridge once the platform is disposed', async () => {
    const bridge = platform!.config.taskBridge;
    const rulesOf = async () =>
      [(await execChecked('iptables-save', [])), (await execChecked('ip6tables-save', []))].join('\n').split('\n').filter((l) => l.includes(firewallChain(bridge)));
    // The earlier tests ran tasks, so the rules are there now.
    expect(await rulesOf()).not.toEqual([]);
    await platform!.dispose();
    platform = undefined;
    expect(await rulesOf()).toEqual([]);
  });
});

/** What a TCP server on 127.0.0.1:`port` sends. */
async function fetchText(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    const s = connect({ host: '127.0.0.1', port, timeout: 5_000 });
    s.on('data', (b: Buffer) => (data += b.toString()));
    s.on('end', () => resolve(data));
    s.on('timeout', () => s.destroy(new Error('no answer')));
    s.on('error', reject);
  });
}
