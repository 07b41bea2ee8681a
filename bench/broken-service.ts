/**
 * What a service that cannot start tasks costs (`node --import tsx bench/broken-service.ts`, as
 * root, after `npm run build`): a `minato up` process on a fresh data directory is measured idle
 * (no service) for 30 s, then with a service of 3 tasks whose container exits 1 at once
 * (BENCH_BROKEN=image: whose image does not exist) for 30 s. Measured, as shares of one core: the
 * CPU of `minato up` with the helpers it waited for (runc, CNI plugins, ip, mount; from
 * /proc/<pid>/stat), the CPU of everything it started, the conmon monitors included (a cpuacct
 * cgroup the process is moved into once ready; containers leave it for their own), the host's
 * busy CPU (other users of the machine count too); and how many tasks the service launched. The service scheduler's throttle should
 * keep the broken service close to idle. Writes bench/results/broken-service-<timestamp>.json.
 */
import { mkdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join, relative } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DEFAULT_NETWORK } from '../test/support/default-vpc.js';
import { startImageFixture, type ImageFixture } from '../test/tasks/task-fixture.js';
import { call, describeTasks } from './lib/ecs-calls.js';
import { cpuSeconds, deleteLink, hostBusySeconds, linkExists } from './lib/host-state.js';
import { freshDataDir, removeDir, startServer, type RunningServer } from './lib/server.js';
import { round } from './lib/stats.js';
import { sweepLeftovers, taskIdOf } from './lib/task-leftovers.js';
import { machineInfo, target, targetLines, writeResults } from './lib/task-report.js';

const BRIDGE = 'mnbench2';
const SUBNET = '10.217.16.0/20';
const CLUSTER = 'bench-broken';
const SERVICE = 'broken';
const DESIRED = 3;
const WINDOW_MS = Number(process.env.BENCH_WINDOW_MS ?? 30_000);
/** Before the broken window: the first launches pull the image and the throttle settles in. */
const WARM_UP_MS = 5_000;
const BROKEN = process.env.BENCH_BROKEN === 'image' ? 'image' : 'exit';
/** An idle minato and one with a broken service should stay below this share of one core. */
const TARGET_PERCENT = 10;

interface WireService {
  events?: Array<{ message?: string }>;
  deployments?: Array<{ failedTasks?: number }>;
}

/** The cgroup v1 cpuacct hierarchy: a group of its own holds minato and everything it forks. */
const CPUACCT = '/sys/fs/cgroup/cpuacct';

const made: { server?: RunningServer; registry?: ImageFixture; dataDir?: string; cgroup?: string; taskArns: Set<string>; problems: string[] } = {
  taskArns: new Set(),
  problems: [],
};

/** Every task ARN of the service (running and stopped). */
async function serviceTaskArns(port: number): Promise<string[]> {
  const arns: string[] = [];
  for (const desiredStatus of ['RUNNING', 'STOPPED']) {
    let nextToken: string | undefined;
    for (let page = 0; page < 1000; page++) {
      const res = await call<{ taskArns: string[]; nextToken?: string }>(port, 'ListTasks', {
        cluster: CLUSTER,
        serviceName: SERVICE,
        desiredStatus,
        maxResults: 100,
        ...(nextToken && { nextToken }),
      });
      arns.push(...res.taskArns);
      nextToken = res.nextToken;
      if (!nextToken) break;
    }
  }
  arns.forEach((a) => made.taskArns.add(a));
  return arns;
}

/** Moves `pid` into a cpuacct group of its own, so that what it forks (conmon too) is counted; undefined where there is none. */
async function cpuGroup(pid: number): Promise<string | undefined> {
  const dir = join(CPUACCT, `minato-bench-${pid}`);
  try {
    await mkdir(dir);
    await writeFile(join(dir, 'cgroup.procs'), String(pid));
    return dir;
  } catch {
    await rmdir(dir).catch(() => undefined);
    return undefined;
  }
}

/** CPU seconds of a cpuacct group. */
async function groupSeconds(dir: string | undefined): Promise<number | undefined> {
  if (dir === undefined) return undefined;
  return Number(await readFile(join(dir, 'cpuacct.usage'), 'utf8')) / 1e9;
}

/** The share of one core minato (with its helpers, and with everything it started) and the host used over a window. */
async function cpuWindow(pid: number, ms: number) {
  const snapshot = async () => ({ own: await cpuSeconds(pid, true), tree: await groupSeconds(made.cgroup), host: await hostBusySeconds() });
  const s0 = await snapshot();
  await sleep(ms);
  const s1 = await snapshot();
  if (s0.own === undefined || s1.own === undefined) throw new Error(`minato (pid ${pid}) is gone`);
  const percent = (seconds: number) => round((seconds / (ms / 1000)) * 100);
  return {
    minatoPercent: percent(s1.own - s0.own),
    ...(s0.tree !== undefined && s1.tree !== undefined && { minatoTreePercent: percent(s1.tree - s0.tree) }),
    hostBusyPercent: percent(s1.host - s0.host),
  };
}

async function measure() {
  made.registry = await startImageFixture();
  made.dataDir = await freshDataDir();
  process.env.MINATO_TASK_BRIDGE = BRIDGE;
  process.env.MINATO_TASK_SUBNET = SUBNET;
  const server = (made.server = await startServer(made.dataDir));
  const { port, pid } = server;
  made.cgroup = await cpuGroup(pid);
  if (made.cgroup === undefined) made.problems.push('no cpuacct cgroup: conmon monitors are not counted');
  await call(port, 'CreateCluster', { clusterName: CLUSTER });
  await sleep(WARM_UP_MS);
  process.stdout.write(`  idle for ${WINDOW_MS} ms...\n`);
  const idle = await cpuWindow(pid, WINDOW_MS);

  const registered = await call<{ taskDefinition: { taskDefinitionArn: string } }>(port, 'RegisterTaskDefinition', {
    family: 'bench-broken',
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    cpu: '256',
    memory: '512',
    containerDefinitions: [
      BROKEN === 'image'
        ? { name: 'app', image: `${made.registry.registry.host}/does-not-exist:latest` }
        : { name: 'app', image: made.registry.image, command: ['sh', '-c', 'exit 1'] },
    ],
  });
  await call(port, 'CreateService', {
    cluster: CLUSTER,
    serviceName: SERVICE,
    taskDefinition: registered.taskDefinition.taskDefinitionArn,
    desiredCount: DESIRED,
    launchType: 'FARGATE',
    networkConfiguration: DEFAULT_NETWORK,
  });
  await sleep(WARM_UP_MS);
  const before = (await serviceTaskArns(port)).length;
  process.stdout.write(`  broken service (${BROKEN}) for ${WINDOW_MS} ms...\n`);
  const broken = await cpuWindow(pid, WINDOW_MS);
  const after = (await serviceTaskArns(port)).length;
  const { services } = await call<{ services: WireService[] }>(port, 'DescribeServices', { cluster: CLUSTER, services: [SERVICE] });
  const events = (services[0]?.events ?? []).map((e) => e.message ?? '');
  await call(port, 'UpdateService', { cluster: CLUSTER, service: SERVICE, desiredCount: 0 });
  await call(port, 'DeleteService', { cluster: CLUSTER, service: SERVICE, force: true });
  // Tasks outlive minato by design: wait until the service's last tasks have STOPPED (bounded),
  // so that the leftover sweep checks that nothing stays behind.
  for (let i = 0; i < 60; i++) {
    const tasks = await describeTasks(port, CLUSTER, await serviceTaskArns(port));
    if (tasks.every((t) => t.lastStatus === 'STOPPED')) break;
    await sleep(500);
  }
  return {
    broken: BROKEN,
    desired: DESIRED,
    windowMs: WINDOW_MS,
    idle,
    brokenService: {
      ...broken,
      tasksLaunchedInWindow: after - before,
      tasksLaunchedTotal: after,
      throttled: events.some((m) => m.includes('is unable to consistently start tasks successfully')),
      lastEvents: events.slice(0, 5),
    },
  };
}

async function cleanUp(): Promise<void> {
  const server = made.server;
  made.server = undefined;
  if (server) {
    const code = await server.stop();
    if (code !== 0) made.problems.push(`minato exited with code ${code}`);
  }
  if (made.dataDir) {
    const left = await sweepLeftovers(made.dataDir, [...made.taskArns].map(taskIdOf));
    if (left.length > 0) made.problems.push(`left behind and removed: ${left.join(', ')}`);
    await removeDir(made.dataDir);
  }
  if (made.cgroup) await rmdir(made.cgroup).catch(() => made.problems.push(`cgroup ${made.cgroup} not removed`));
  await made.registry?.stop();
  await deleteLink(BRIDGE).catch(() => undefined);
}

async function main(): Promise<number> {
  if (process.getuid?.() !== 0) throw new Error('run as root: tasks are real containers');
  if (await linkExists(BRIDGE)) throw new Error(`link ${BRIDGE} exists (another run, or a leftover): delete it first with ip link del ${BRIDGE}`);
  const startedAt = new Date();
  const machine = machineInfo();
  const loadavgBefore = os.loadavg().map((n) => round(n, 2));
  let m: Awaited<ReturnType<typeof measure>>;
  try {
    m = await measure();
  } finally {
    await cleanUp();
  }
  const targets = [
    target('idle minato CPU (with all it started)', m.idle.minatoTreePercent ?? m.idle.minatoPercent, '% of a core', '<=', TARGET_PERCENT),
    target(`minato CPU with a broken service of ${DESIRED} tasks (with all it started)`, m.brokenService.minatoTreePercent ?? m.brokenService.minatoPercent, '% of a core', '<=', TARGET_PERCENT),
  ];
  const result = {
    name: 'broken-service',
    startedAt: startedAt.toISOString(),
    valid: made.problems.length === 0,
    problems: made.problems,
    machine,
    loadavgBefore,
    loadavgAfter: os.loadavg().map((n) => round(n, 2)),
    ...m,
    targets,
  };
  const file = await writeResults(result);
  process.stdout.write(
    [
      '',
      `machine: ${machine.cpus} x ${machine.cpuModel}; loadavg ${loadavgBefore.join(' ')} -> ${result.loadavgAfter.join(' ')}`,
      `idle: minato ${m.idle.minatoPercent} % of a core, with all it started ${m.idle.minatoTreePercent ?? 'n/a'} % (host busy ${m.idle.hostBusyPercent} %)`,
      `broken service (${m.broken}, ${DESIRED} tasks): minato ${m.brokenService.minatoPercent} % of a core, with all it started ${m.brokenService.minatoTreePercent ?? 'n/a'} % (host busy ${m.brokenService.hostBusyPercent} %), ` +
        `${m.brokenService.tasksLaunchedInWindow} tasks launched in ${WINDOW_MS / 1000} s, throttled: ${m.brokenService.throttled}`,
      'targets:',
      ...targetLines(targets),
      made.problems.length ? `INVALID RUN: ${made.problems.join('; ')}` : 'run valid: nothing left behind',
      `results: ${relative(process.cwd(), file)}`,
      '',
    ].join('\n'),
  );
  return made.problems.length ? 1 : 0;
}

main().then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exitCode = 1;
  },
);
