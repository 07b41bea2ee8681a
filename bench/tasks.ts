/**
 * Benchmark of real tasks (`node --import tsx bench/tasks.ts`, as root, after `npm run build`): a
 * `minato up` process on a fresh data directory and its own task bridge runs busybox tasks pulled
 * from a local registry, and we measure
 *   1. RunTask → RUNNING latency of a cached image, one task at a time, polled every 5 ms;
 *   2. sustained launch throughput: 50 RunTask calls of 10 tasks from 4 callers, until all RUNNING;
 *      then stopping all 500;
 *   3. minato's resident memory per running task (and the conmon monitors', for information);
 *   4. the floor: plain `runc run -d` of the same layers, without and with a named netns.
 * Writes bench/results/tasks-<timestamp>.json and tasks-latest.json. Exits 1 when the run itself is
 * invalid (errors, tasks that failed, leftovers); missed targets are reported, not fatal.
 */
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import { join, relative } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { unmount } from '../src/agent/runtime/rootfs.js';
import { DEFAULT_NETWORK } from '../test/support/default-vpc.js';
import { startImageFixture, type ImageFixture } from '../test/tasks/task-fixture.js';
import { call, describeTasks, stopTask } from './lib/ecs-calls.js';
import { cpuSeconds, deleteLink, linkExists, monitorsAndContainers, mountsUnder, netnsNames, rssKiB, runcIds } from './lib/host-state.js';
import { idleWindow, withCpu } from './lib/process-use.js';
import { measureRuncFloor, storedLayerDirs } from './lib/runc-floor.js';
import { freshDataDir, removeDir, startServer, type RunningServer } from './lib/server.js';
import { round, summarize } from './lib/stats.js';
import { launchBurst, sequentialLatency, stopMany, summarizePhases, waitForAll, type RunInput } from './lib/task-phases.js';
import { sweepLeftovers, taskIdOf, taskNetns } from './lib/task-leftovers.js';
import { machineInfo, target, targetLines, writeResults, type Target } from './lib/task-report.js';

const BRIDGE = 'mnbench0';
const SUBNET = '10.216.0.0/20';
const CLUSTER = 'bench';
const WARMUP_TASKS = 3;
const LATENCY_TASKS = 50;
const POLL_MS = 5;
const BURST = { calls: 50, count: 10, callers: 4 } as const;
const BULK_POLL_MS = 250;
const TASK_TIMEOUT_MS = 60_000;
const BULK_TIMEOUT_MS = 600_000;
const SETTLE_MS = 2_000;
const IDLE_WINDOW_MS = 5_000;
const FLOOR_RUNS = 20;
const MIB = 1024;

/** Everything the run made, so that both the normal end and an interrupt can remove it. */
const made: { server?: RunningServer; registry?: ImageFixture; dataDir?: string; floorDir?: string; arns: Set<string>; problems: string[] } = {
  arns: new Set(),
  problems: [],
};

/** Stops every task of the run not yet STOPPED, then minato (SIGTERM) and anything left of the tasks. */
async function shutDownServer(): Promise<number | null | undefined> {
  const server = made.server;
  if (!server) return undefined;
  made.server = undefined;
  try {
    const arns = [...made.arns];
    const open = (await describeTasks(server.port, CLUSTER, arns)).filter((t) => t.lastStatus !== 'STOPPED');
    for (const t of open) if (t.desiredStatus !== 'STOPPED') await stopTask(server.port, CLUSTER, t.taskArn).catch(() => undefined);
    if (open.length > 0) await waitForAll(server.port, CLUSTER, open.map((t) => t.taskArn), 'STOPPED', BULK_POLL_MS, 180_000);
  } catch (err) {
    made.problems.push(`stopping the remaining tasks failed: ${(err as Error).message}`);
  }
  const code = await server.stop();
  if (made.dataDir) {
    const left = await sweepLeftovers(made.dataDir, [...made.arns].map(taskIdOf));
    if (left.length > 0) made.problems.push(`left behind and removed: ${left.join(', ')}`);
  }
  return code;
}

let cleaning: Promise<void> | undefined;

/** Removes everything else the run made; the first call does the work, later ones wait for it. */
function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    await shutDownServer();
    await made.registry?.stop();
    made.registry = undefined;
    await deleteLink(BRIDGE).catch((err: unknown) => made.problems.push(`deleting ${BRIDGE} failed: ${(err as Error).message}`));
    for (const dir of [made.dataDir, made.floorDir]) {
      if (!dir) continue;
      // Only an interrupted run gets here with mounts (the floor's rootfs, a task's overlay): ours.
      for (const mount of await mountsUnder(dir)) await unmount(mount).catch(() => made.problems.push(`cannot unmount ${mount}`));
      if ((await mountsUnder(dir)).length > 0) made.problems.push(`mounts left under ${dir}`);
      else await removeDir(dir);
    }
    made.dataDir = made.floorDir = undefined;
  })();
  return cleaning;
}

process.once('SIGINT', () => {
  process.stderr.write('interrupted: stopping tasks and cleaning up...\n');
  void cleanUp().finally(() => process.exit(130));
});

/**
 * CPU (seconds) of minato's spawn server with the helpers it ran and waited for: the server is a
 * child of minato that lives as long as minato, so minato's children's times never include it.
 */
async function spawnServerCpu(minatoPid: number): Promise<number> {
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = await readFile(`/proc/${name}/stat`, 'utf8').catch(() => '');
    if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) !== minatoPid) continue;
    const cmdline = await readFile(`/proc/${name}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes('spawn-server-main')) return (await cpuSeconds(Number(name), true)) ?? 0;
  }
  return 0;
}

/** Registers the benchmark's cluster and task definition; returns the RunTask parameters. */
async function setUp(port: number, image: string): Promise<RunInput> {
  await call(port, 'CreateCluster', { clusterName: CLUSTER });
  const registered = await call<{ taskDefinition: { taskDefinitionArn: string } }>(port, 'RegisterTaskDefinition', {
    family: 'bench-sleep',
    networkMode: 'awsvpc',
    requiresCompatibilities: ['EC2'],
    containerDefinitions: [
      // The trap makes SIGTERM end the task at once; a bare `sleep` as PID 1 would ignore it.
      { name: 'app', image, cpu: 0, memoryReservation: 8, command: ['sh', '-c', 'trap "exit 0" TERM; sleep 3600 & wait'], stopTimeout: 2 },
    ],
  });
  return {
    cluster: CLUSTER,
    taskDefinition: registered.taskDefinition.taskDefinitionArn,
    launchType: 'EC2',
    networkConfiguration: DEFAULT_NETWORK,
  };
}

/** The phases against `minato up`, then the floor; the caller cleans up, whatever happens. */
async function measure() {
  made.registry = await startImageFixture();
  made.dataDir = await freshDataDir();
  process.env.MINATO_TASK_BRIDGE = BRIDGE;
  process.env.MINATO_TASK_SUBNET = SUBNET;
  const server = (made.server = await startServer(made.dataDir));
  const { port, pid } = server;
  const input = await setUp(port, made.registry.image);
  const track = (arns: readonly string[]) => arns.forEach((a) => made.arns.add(a));

  // Warm-up: the first task pulls the image; the others warm minato's code paths.
  process.stdout.write('  warm-up...\n');
  const warm = await sequentialLatency(port, input, WARMUP_TASKS, POLL_MS, TASK_TIMEOUT_MS, track);
  const warmTasks = await describeTasks(port, CLUSTER, warm.map((w) => w.taskArn));
  await stopMany(port, CLUSTER, warm.map((w) => w.taskArn), BURST.callers, BULK_POLL_MS, BULK_TIMEOUT_MS);
  await sleep(SETTLE_MS);
  const idle0 = await idleWindow(pid, IDLE_WINDOW_MS);

  process.stdout.write(`  ${LATENCY_TASKS} sequential RunTask -> RUNNING...\n`);
  const { samples, cpu: latencyCpu } = await withCpu(pid, () => LATENCY_TASKS, async () => ({
    samples: await sequentialLatency(port, input, LATENCY_TASKS, POLL_MS, TASK_TIMEOUT_MS, track),
  }));
  const latencyTasks = await describeTasks(port, CLUSTER, samples.map((s) => s.taskArn));
  const stop50 = await stopMany(port, CLUSTER, samples.map((s) => s.taskArn), BURST.callers, BULK_POLL_MS, BULK_TIMEOUT_MS);
  await sleep(SETTLE_MS);
  const rssBeforeBurst = round((await rssKiB(pid))! / MIB);

  process.stdout.write(`  burst of ${BURST.calls * BURST.count} tasks...\n`);
  const spawnServer0 = await spawnServerCpu(pid);
  const burst = await withCpu(pid, (b) => b.started, () => launchBurst(port, input, BURST.calls, BURST.count, BURST.callers, BULK_POLL_MS, BULK_TIMEOUT_MS, track));
  const spawnServerSeconds = (await spawnServerCpu(pid)) - spawnServer0;
  await sleep(SETTLE_MS);
  const idle500 = await idleWindow(pid, IDLE_WINDOW_MS);
  const procs = await monitorsAndContainers(made.dataDir);
  process.stdout.write(`  stopping ${burst.taskArns.length} tasks...\n`);
  const stop500 = await withCpu(pid, (s) => s.tasks, () => stopMany(port, CLUSTER, burst.taskArns, BURST.callers, BULK_POLL_MS, BULK_TIMEOUT_MS));
  await sleep(SETTLE_MS);
  const rssAfterStop = round((await rssKiB(pid))! / MIB);

  const exitCode = await shutDownServer();
  process.stdout.write(`  floor: runc run -d x${FLOOR_RUNS}...\n`);
  made.floorDir = await mkdtemp(join(os.tmpdir(), 'minato-bench-floor-'));
  const floor = await measureRuncFloor(await storedLayerDirs(join(made.dataDir, 'images')), FLOOR_RUNS, made.floorDir);

  const latency = {
    tasks: LATENCY_TASKS,
    pollMs: POLL_MS,
    observedMs: summarize(samples.map((s) => s.observedMs)),
    runTaskCallMs: summarize(samples.map((s) => s.runTaskMs)),
    phases: summarizePhases(latencyTasks),
    pollsPerTask: summarize(samples.map((s) => s.polls)),
    // Includes serving the 5 ms polls.
    cpu: latencyCpu,
    stopOf50: stop50,
  };
  const memory = {
    rss0MiB: idle0.rssMiB,
    rssBeforeBurstMiB: rssBeforeBurst,
    rss500MiB: idle500.rssMiB,
    rssAfterStopMiB: rssAfterStop,
    runningTasks: burst.started,
    perTaskMiB: round((idle500.rssMiB - idle0.rssMiB) / Math.max(1, burst.started), 3),
    perTaskFromBeforeBurstMiB: round((idle500.rssMiB - rssBeforeBurst) / Math.max(1, burst.started), 3),
    cpuPercentIdle0: idle0.cpuPercent,
    cpuPercentIdle500: idle500.cpuPercent,
    idleWindowMs: IDLE_WINDOW_MS,
    conmon: { count: procs.conmon.count, totalMiB: round(procs.conmon.totalMiB), perTaskMiB: round(procs.conmon.totalMiB / Math.max(1, procs.conmon.count), 3) },
    containerProcesses: { count: procs.containers.count, totalMiB: round(procs.containers.totalMiB) },
  };
  // The start's own CPU, apart from whatever else the machine ran: minato and its helpers, the
  // monitors with their `runc create`, and the containers' processes (runc init ran as them).
  const ownStartSeconds = burst.cpu.minatoWithHelpersSeconds + spawnServerSeconds + procs.conmon.cpuSeconds + procs.containers.cpuSeconds;
  const startCpu = {
    spawnServerWithHelpersSeconds: round(spawnServerSeconds, 2),
    monitorsWithRuncCreateSeconds: round(procs.conmon.cpuSeconds, 2),
    containerProcessesSeconds: round(procs.containers.cpuSeconds, 2),
    ownMsPerTask: round((ownStartSeconds * 1000) / Math.max(1, burst.started)),
    // What that CPU cost allows on this machine's CPUs if nothing else ran and all were used.
    ceilingTasksPerSecond: round((os.cpus().length * Math.max(1, burst.started)) / ownStartSeconds),
  };
  // The per-task lists stay out of the report; their summaries go in.
  const { tasks: burstTasks, taskArns, ...burstFigures } = burst;
  const throughput = { ...burstFigures, tasksStarted: taskArns.length, phases: summarizePhases(burstTasks), startCpu, stop: stop500 };
  const warmUp = { tasks: WARMUP_TASKS, observedMs: warm.map((w) => round(w.observedMs)), firstTaskPhases: summarizePhases(warmTasks.slice(0, 1)) };
  return { exitCode, warmUp, latency, throughput, memory, floor };
}

/** Checks that the run left the host's shared state as it found it. */
async function leftoversAgainst(before: { netns: string[]; runc: string[] }, ownIds: readonly string[]) {
  const after = { netns: await netnsNames(), runc: await runcIds() };
  return {
    // Pooled sandboxes' namespaces are not named after tasks: any new one is this run's.
    ownNetns: after.netns.filter(
      (n) => ownIds.some((id) => n === taskNetns(id)) || n.startsWith('mnbench-floor-') || (n.startsWith('minato-pool-') && !before.netns.includes(n)),
    ),
    bridgeExists: await linkExists(BRIDGE),
    defaultRuncRootUnchanged: JSON.stringify([...before.runc].sort()) === JSON.stringify([...after.runc].sort()),
    // Other users of the machine may add or remove namespaces meanwhile: for information only.
    allNetnsCount: { before: before.netns.length, after: after.netns.length },
  };
}

async function main(): Promise<number> {
  if (process.getuid?.() !== 0) throw new Error('run as root: tasks are real containers');
  if (await linkExists(BRIDGE)) throw new Error(`link ${BRIDGE} exists (another run, or a leftover): delete it first with ip link del ${BRIDGE}`);
  const startedAt = new Date();
  const machine = machineInfo();
  const loadavgBefore = os.loadavg().map((n) => round(n, 2));
  const before = { netns: await netnsNames(), runc: await runcIds() };
  process.stdout.write(`minato bench "tasks": ${WARMUP_TASKS} warm-up, ${LATENCY_TASKS} sequential, ${BURST.calls} x ${BURST.count} from ${BURST.callers} callers, floor x ${FLOOR_RUNS}\n`);

  let m: Awaited<ReturnType<typeof measure>>;
  try {
    m = await measure();
  } finally {
    await cleanUp();
  }
  const leftovers = await leftoversAgainst(before, [...made.arns].map(taskIdOf));
  const loadavgAfter = os.loadavg().map((n) => round(n, 2));

  const { latency, throughput, memory, floor } = m;
  const targets: Target[] = [
    target('RunTask -> RUNNING p50 (observed, cached image)', latency.observedMs.p50, 'ms', '<=', 60),
    target(`sustained launch of ${throughput.calls * throughput.countPerCall} tasks (to the last startedAt)`, throughput.tasksPerSecond.server, 'tasks/s', '>=', 50),
    target('minato RSS per running task', memory.perTaskMiB, 'MiB', '<=', 2),
  ];
  const problems = [
    ...made.problems,
    ...(throughput.failures.length ? [`${throughput.failures.length} RunTask failures, e.g. ${JSON.stringify(throughput.failures[0])}`] : []),
    ...(throughput.stoppedInstead.length ? [`${throughput.stoppedInstead.length} tasks stopped instead of running: ${throughput.stoppedInstead[0]?.stoppedReason}`] : []),
    ...(throughput.stop.unexpectedExitCodes ? [`${throughput.stop.unexpectedExitCodes} tasks exited non-zero on stop`] : []),
    ...(m.exitCode === 0 ? [] : [`minato exited with code ${m.exitCode}`]),
    ...(leftovers.ownNetns.length ? [`network namespaces left: ${leftovers.ownNetns.join(', ')}`] : []),
    ...(leftovers.bridgeExists ? [`bridge ${BRIDGE} left`] : []),
    ...(leftovers.defaultRuncRootUnchanged ? [] : ['`runc list` (default root) changed during the run']),
  ];
  const serverP50 = latency.phases.totalMs?.p50;
  const result = {
    name: 'tasks',
    startedAt: startedAt.toISOString(),
    note: `one ${machine.cpus}-CPU machine shared with other work: the benchmark (client, registry) competes with minato for CPU, and other jobs may run meanwhile`,
    valid: problems.length === 0,
    problems,
    machine,
    loadavgBefore,
    loadavgAfter,
    ...m,
    ratios: {
      observedP50OverFloorRun: round(latency.observedMs.p50 / floor.runDetachedMs.p50, 2),
      observedP50OverFloorNetnsAddAndRun: round(latency.observedMs.p50 / floor.netns.addAndRunMs.p50, 2),
      ...(serverP50 !== undefined && { serverP50OverFloorRun: round(serverP50 / floor.runDetachedMs.p50, 2) }),
    },
    leftovers,
    targets,
  };
  const file = await writeResults(result);
  const phase = (p: ReturnType<typeof summarizePhases>) =>
    `network ${p.networkMs?.p50} / PENDING report ${p.pendingReportMs?.p50} / pull ${p.pullMs?.p50} / start ${p.startMs?.p50} ms (p50; total p50 ${p.totalMs?.p50}, p99 ${p.totalMs?.p99})`;
  const lines = [
    '',
    `machine: ${machine.cpus} x ${machine.cpuModel}, ${machine.totalMemoryMiB} MiB, node ${machine.node}; loadavg ${loadavgBefore.join(' ')} -> ${loadavgAfter.join(' ')}`,
    `note: ${result.note}`,
    `warm-up: ${m.warmUp.observedMs.join(', ')} ms; first task (with the pull): ${phase(m.warmUp.firstTaskPhases)}`,
    `latency (${latency.tasks} sequential, poll ${POLL_MS} ms): observed p50 ${latency.observedMs.p50} / p90 ${latency.observedMs.p90} / p99 ${latency.observedMs.p99} / max ${latency.observedMs.max} ms; RunTask call p50 ${latency.runTaskCallMs.p50} ms`,
    `  server side: ${phase(latency.phases)}; minato CPU ${latency.cpu.minatoMsPerTask} ms/task (with the polls), host ${latency.cpu.hostMsPerTask} ms/task`,
    `burst: ${throughput.started} RUNNING of ${throughput.calls} x ${throughput.countPerCall}, ${throughput.failures.length} failures; ${throughput.tasksPerSecond.observed} tasks/s observed (${throughput.observedMs} ms), ${throughput.tasksPerSecond.server} tasks/s by startedAt; submit ${throughput.submitMs} ms, RunTask call p50 ${throughput.runTaskCallMs?.p50} / max ${throughput.runTaskCallMs?.max} ms`,
    `  server side: ${phase(throughput.phases)}`,
    `  CPU per task: minato ${throughput.cpu.minatoMsPerTask} ms (${round((100 * throughput.cpu.minatoSystemSeconds) / Math.max(0.01, throughput.cpu.minatoSeconds))} % system), with its helpers ${throughput.cpu.minatoWithHelpersMsPerTask} ms, its spawn server with helpers ${round((throughput.startCpu.spawnServerWithHelpersSeconds * 1000) / Math.max(1, throughput.started))} ms, all the start's own ${throughput.startCpu.ownMsPerTask} ms (ceiling ${throughput.startCpu.ceilingTasksPerSecond} tasks/s on ${machine.cpus} idle CPUs); whole host ${throughput.cpu.hostMsPerTask} ms (${throughput.cpu.hostBusySeconds} s busy; load ${throughput.cpu.loadavg1AtStart} at start)`,
    `stop: ${throughput.stop.tasksPerSecond.observed} tasks/s observed (${throughput.stop.observedMs} ms for ${throughput.stop.tasks}); stoppingAt -> stoppedAt p50 ${throughput.stop.stopPathMs?.p50} / max ${throughput.stop.stopPathMs?.max} ms; CPU: minato ${throughput.stop.cpu.minatoMsPerTask}, with helpers ${throughput.stop.cpu.minatoWithHelpersMsPerTask}, host ${throughput.stop.cpu.hostMsPerTask} ms/task`,
    `memory: minato RSS ${memory.rss0MiB} MiB idle -> ${memory.rss500MiB} MiB with ${memory.runningTasks} tasks = ${memory.perTaskMiB} MiB/task (${memory.perTaskFromBeforeBurstMiB} from just before the burst); ${memory.rssAfterStopMiB} MiB after stopping; CPU ${memory.cpuPercentIdle0} % idle, ${memory.cpuPercentIdle500} % with ${memory.runningTasks} tasks`,
    `  conmon: ${memory.conmon.count} processes, ${memory.conmon.totalMiB} MiB (${memory.conmon.perTaskMiB} MiB/task); container processes: ${memory.containerProcesses.count}, ${memory.containerProcesses.totalMiB} MiB`,
    `floor (${floor.runs} runs): runc run -d p50 ${floor.runDetachedMs.p50} ms, delete -f ${floor.deleteMs.p50} ms; ip netns add ${floor.netns.addMs.p50} + run ${floor.netns.runDetachedMs.p50} = ${floor.netns.addAndRunMs.p50} ms`,
    `ratios: observed p50 / floor = ${result.ratios.observedP50OverFloorRun} (${result.ratios.observedP50OverFloorNetnsAddAndRun} against netns add + run)`,
    'targets:',
    ...targetLines(targets),
    problems.length ? `INVALID RUN: ${problems.join('; ')}` : 'run valid: every task ran and stopped, nothing left behind',
    `results: ${relative(process.cwd(), file)} (and tasks-latest.json)`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  return problems.length ? 1 : 0;
}

main().then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    if (made.problems.length) process.stderr.write(`also: ${made.problems.join('; ')}\n`);
    process.exitCode = 1;
  },
);
