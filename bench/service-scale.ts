/**
 * Benchmark of the service scheduler (`node --import tsx bench/service-scale.ts`, as root, after
 * `npm run build`): a `minato up` process on a fresh data directory runs a service of small
 * busybox tasks on the control host; we scale it from 0 to 200 and measure the time until it is
 * steady (every task RUNNING, one COMPLETED deployment), then scale it back to 0.
 * Target (issue): steady state in ≤ 20 s on the 2-core machine; Fargate documents 500 tasks per
 * minute per service. Writes bench/results/service-scale-<timestamp>.json.
 */
import os from 'node:os';
import { relative } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DEFAULT_NETWORK } from '../test/support/default-vpc.js';
import { startImageFixture, type ImageFixture } from '../test/tasks/task-fixture.js';
import { call } from './lib/ecs-calls.js';
import { deleteLink, linkExists } from './lib/host-state.js';
import { freshDataDir, removeDir, startServer, type RunningServer } from './lib/server.js';
import { round } from './lib/stats.js';
import { sweepLeftovers, taskIdOf } from './lib/task-leftovers.js';
import { machineInfo, target, targetLines, writeResults } from './lib/task-report.js';

const BRIDGE = 'mnbench1';
const SUBNET = '10.217.0.0/20';
const CLUSTER = 'bench-svc';
const SERVICE = 'web';
const DESIRED = Number(process.env.BENCH_SERVICE_TASKS ?? 200);
const POLL_MS = 250;
const TIMEOUT_MS = 300_000;

interface WireDeployment {
  status?: string;
  rolloutState?: string;
  runningCount?: number;
  pendingCount?: number;
  failedTasks?: number;
}
interface WireService {
  status?: string;
  desiredCount?: number;
  runningCount?: number;
  pendingCount?: number;
  deployments?: WireDeployment[];
  events?: Array<{ message?: string; createdAt?: number }>;
}

const made: { server?: RunningServer; registry?: ImageFixture; dataDir?: string; taskArns: Set<string>; problems: string[] } = {
  taskArns: new Set(),
  problems: [],
};

async function describeService(port: number): Promise<WireService> {
  const res = await call<{ services: WireService[] }>(port, 'DescribeServices', { cluster: CLUSTER, services: [SERVICE] });
  return res.services[0]!;
}

/** Every task ARN of the service (running and stopped), for the leftover sweep. */
async function collectTaskArns(port: number): Promise<void> {
  for (const desiredStatus of ['RUNNING', 'STOPPED']) {
    let nextToken: string | undefined;
    for (let page = 0; page < 100; page++) {
      const res = await call<{ taskArns: string[]; nextToken?: string }>(port, 'ListTasks', {
        cluster: CLUSTER,
        serviceName: SERVICE,
        desiredStatus,
        maxResults: 100,
        ...(nextToken && { nextToken }),
      });
      res.taskArns.forEach((a) => made.taskArns.add(a));
      nextToken = res.nextToken;
      if (!nextToken) break;
    }
  }
}

/** Polls until `done` holds for the service; returns the elapsed milliseconds and the samples. */
async function until(port: number, done: (s: WireService) => boolean, from: number) {
  const samples: Array<{ ms: number; running: number; pending: number }> = [];
  const end = from + TIMEOUT_MS;
  for (;;) {
    const s = await describeService(port);
    const ms = performance.now() - from;
    samples.push({ ms: round(ms), running: s.runningCount ?? 0, pending: s.pendingCount ?? 0 });
    if (done(s)) return { ms: round(ms), samples, service: s };
    if (performance.now() > end) throw new Error(`timed out: ${JSON.stringify(s.deployments)}`);
    await sleep(POLL_MS);
  }
}

const steady = (count: number) => (s: WireService) =>
  s.runningCount === count &&
  (s.pendingCount ?? 0) === 0 &&
  s.deployments?.length === 1 &&
  (s.deployments[0]!.rolloutState ?? 'COMPLETED') === 'COMPLETED';

async function measure() {
  made.registry = await startImageFixture();
  made.dataDir = await freshDataDir();
  process.env.MINATO_TASK_BRIDGE = BRIDGE;
  process.env.MINATO_TASK_SUBNET = SUBNET;
  const server = (made.server = await startServer(made.dataDir));
  const { port } = server;
  await call(port, 'CreateCluster', { clusterName: CLUSTER });
  const registered = await call<{ taskDefinition: { taskDefinitionArn: string } }>(port, 'RegisterTaskDefinition', {
    family: 'bench-web',
    networkMode: 'awsvpc',
    requiresCompatibilities: ['EC2'],
    containerDefinitions: [
      { name: 'app', image: made.registry.image, cpu: 0, memoryReservation: 8, command: ['sh', '-c', 'trap "exit 0" TERM; sleep 3600 & wait'], stopTimeout: 2 },
    ],
  });
  await call(port, 'CreateService', {
    cluster: CLUSTER,
    serviceName: SERVICE,
    taskDefinition: registered.taskDefinition.taskDefinitionArn,
    desiredCount: 1,
    launchType: 'EC2',
    networkConfiguration: DEFAULT_NETWORK,
  });
  // Warm-up: the first task pulls the image.
  await until(port, steady(1), performance.now());
  await call(port, 'UpdateService', { cluster: CLUSTER, service: SERVICE, desiredCount: 0 });
  await until(port, steady(0), performance.now());

  process.stdout.write(`  scaling ${SERVICE} 0 -> ${DESIRED}...\n`);
  const t0 = performance.now();
  await call(port, 'UpdateService', { cluster: CLUSTER, service: SERVICE, desiredCount: DESIRED });
  const up = await until(port, steady(DESIRED), t0);
  const halfway = up.samples.find((s) => s.running >= DESIRED / 2)?.ms;

  process.stdout.write(`  scaling ${SERVICE} ${DESIRED} -> 0...\n`);
  const t1 = performance.now();
  await call(port, 'UpdateService', { cluster: CLUSTER, service: SERVICE, desiredCount: 0 });
  const down = await until(port, steady(0), t1);
  await collectTaskArns(port);
  await call(port, 'DeleteService', { cluster: CLUSTER, service: SERVICE, force: true });
  return {
    desired: DESIRED,
    scaleUp: { steadyMs: up.ms, halfwayMs: halfway, tasksPerSecond: round(DESIRED / (up.ms / 1000)), failedTasks: up.service.deployments?.[0]?.failedTasks ?? 0 },
    scaleDown: { steadyMs: down.ms, tasksPerSecond: round(DESIRED / (down.ms / 1000)) },
    lastEvents: (down.service.events ?? []).slice(0, 5).map((e) => e.message),
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
  const targets = [target(`service 0 -> ${DESIRED} tasks to steady state`, round(m.scaleUp.steadyMs / 1000, 2), 's', '<=', 20)];
  const result = {
    name: 'service-scale',
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
      `scale up 0 -> ${DESIRED}: steady in ${m.scaleUp.steadyMs} ms (${m.scaleUp.tasksPerSecond} tasks/s; half running at ${m.scaleUp.halfwayMs} ms; ${m.scaleUp.failedTasks} failed)`,
      `scale down ${DESIRED} -> 0: steady in ${m.scaleDown.steadyMs} ms (${m.scaleDown.tasksPerSecond} tasks/s)`,
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
