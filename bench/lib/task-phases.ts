/**
 * The measured phases of the task benchmark, against a running `minato up`: sequential RunTask →
 * RUNNING latency, a sustained burst of launches, and stopping many tasks. Every wait is bounded.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { describeTasks, inPool, ms, runTask, stopTask, type WireFailure, type WireTask } from './ecs-calls.js';
import type { Endpoint } from './load.js';
import { round, summarizeOrNone, type Summary } from './stats.js';

/** Where a task's server-side start time went, from its own timestamps (ms). */
export interface TaskPhases {
  /** createdAt → connectivityAt: network namespace and CNI ADD (loopback, bridge + host-local, portmap). */
  networkMs: number;
  /** connectivityAt → pullStartedAt: the PENDING report (a store transaction) and the pull's start. */
  pendingReportMs: number;
  /** pullStartedAt → pullStoppedAt: resolving the (cached) image: one HEAD to the registry. */
  pullMs: number;
  /** pullStoppedAt → startedAt: reports, state file, cgroup, overlay, bundle, conmon, runc create and start. */
  startMs: number;
  /** createdAt → startedAt. */
  totalMs: number;
}

/** The phases of a RUNNING task, or undefined when a timestamp is missing. */
export function phasesOf(t: WireTask): TaskPhases | undefined {
  const [created, connected, pullStart, pullStop, started] = [t.createdAt, t.connectivityAt, t.pullStartedAt, t.pullStoppedAt, t.startedAt].map(ms);
  if (created === undefined || connected === undefined || pullStart === undefined || pullStop === undefined || started === undefined) return undefined;
  return {
    networkMs: connected - created,
    pendingReportMs: pullStart - connected,
    pullMs: pullStop - pullStart,
    startMs: started - pullStop,
    totalMs: started - created,
  };
}

/** Summaries of each phase over many tasks. */
export function summarizePhases(tasks: readonly WireTask[]) {
  const phases = tasks.map(phasesOf).filter((p): p is TaskPhases => p !== undefined);
  const of = (k: keyof TaskPhases) => summarizeOrNone(phases.map((p) => p[k]));
  return { networkMs: of('networkMs'), pendingReportMs: of('pendingReportMs'), pullMs: of('pullMs'), startMs: of('startMs'), totalMs: of('totalMs') };
}

/** A request's RunTask parameters, minus the count. */
export type RunInput = Record<string, unknown>;

/** One task of the latency phase. */
export interface LatencySample {
  taskArn: string;
  /** Sending RunTask → its answer. */
  runTaskMs: number;
  /** Sending RunTask → the first DescribeTasks answer showing RUNNING. */
  observedMs: number;
  polls: number;
}

/** Told about every task started, at once, so that an interrupted run can still stop it. */
export type TrackTasks = (taskArns: readonly string[]) => void;

/**
 * Runs `n` tasks one after another, each polled with DescribeTasks every `pollMs` until RUNNING
 * (at most `timeoutMs`). A task that stops or fails instead ends the phase with an error.
 */
export async function sequentialLatency(port: Endpoint, input: RunInput, n: number, pollMs: number, timeoutMs: number, track: TrackTasks): Promise<LatencySample[]> {
  const cluster = input.cluster as string;
  const samples: LatencySample[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const res = await runTask(port, { ...input, count: 1 });
    const runTaskMs = performance.now() - t0;
    const arn = res.tasks[0]?.taskArn;
    if (!arn) throw new Error(`RunTask ${i + 1} started nothing: ${JSON.stringify(res.failures)}`);
    track([arn]);
    let polls = 0;
    for (;;) {
      const [task] = await describeTasks(port, cluster, [arn]);
      polls++;
      if (task?.lastStatus === 'RUNNING') break;
      if (task?.lastStatus === 'STOPPED' || task === undefined) throw new Error(`task ${arn} did not run: ${JSON.stringify(task)}`);
      if (performance.now() - t0 > timeoutMs) throw new Error(`task ${arn} not RUNNING after ${timeoutMs} ms (${task.lastStatus})`);
      await sleep(pollMs);
    }
    samples.push({ taskArn: arn, runTaskMs, observedMs: performance.now() - t0, polls });
  }
  return samples;
}

/** The outcome of waiting for many tasks. */
export interface WaitResult {
  /** The tasks' final descriptions (as of the last poll). */
  tasks: WireTask[];
  /** performance.now() when the last task was first seen in the wanted state. */
  doneAt: number;
  /** Tasks that reached STOPPED while RUNNING was wanted. */
  stoppedInstead: WireTask[];
}

/**
 * Polls DescribeTasks every `pollMs` until every task is `wanted`; when RUNNING is wanted, a STOPPED
 * task counts as settled (and is reported). Only tasks not yet settled are described again, so the
 * polling's own load on the server shrinks as the tasks get there. Throws past `timeoutMs`.
 */
export async function waitForAll(port: Endpoint, cluster: string, arns: readonly string[], wanted: 'RUNNING' | 'STOPPED', pollMs: number, timeoutMs: number): Promise<WaitResult> {
  const t0 = performance.now();
  const settled = new Map<string, WireTask>();
  let pending = [...arns];
  for (;;) {
    for (const t of await describeTasks(port, cluster, pending)) {
      if (t.lastStatus === wanted || t.lastStatus === 'STOPPED') settled.set(t.taskArn, t);
    }
    pending = pending.filter((a) => !settled.has(a));
    if (pending.length === 0) {
      const tasks = arns.map((a) => settled.get(a)!);
      return { tasks, doneAt: performance.now(), stoppedInstead: wanted === 'RUNNING' ? tasks.filter((t) => t.lastStatus === 'STOPPED') : [] };
    }
    if (performance.now() - t0 > timeoutMs) throw new Error(`after ${timeoutMs} ms, ${settled.size} of ${arns.length} tasks ${wanted}`);
    await sleep(pollMs);
  }
}

/** The sustained-launch phase's outcome. */
export interface BurstResult {
  calls: number;
  countPerCall: number;
  callers: number;
  started: number;
  failures: WireFailure[];
  taskArns: string[];
  runTaskCallMs: Summary | undefined;
  /** First RunTask sent → every RunTask answered. */
  submitMs: number;
  /** First RunTask sent → the poll that saw the last task RUNNING. */
  observedMs: number;
  /** First RunTask sent → the largest startedAt (no polling delay; the same clock). */
  serverMs: number | undefined;
  tasksPerSecond: { observed: number; server: number | undefined };
  stoppedInstead: { taskArn: string; stoppedReason?: string }[];
  tasks: WireTask[];
}

/** `calls` RunTask calls of `count` tasks from `callers` concurrent callers, then waits for all RUNNING. */
export async function launchBurst(
  port: Endpoint,
  input: RunInput,
  calls: number,
  count: number,
  callers: number,
  pollMs: number,
  timeoutMs: number,
  track: TrackTasks,
): Promise<BurstResult> {
  const cluster = input.cluster as string;
  const wallStart = Date.now();
  const t0 = performance.now();
  const callMs: number[] = [];
  const answers = await inPool(Array.from({ length: calls }, (_, i) => i), callers, async () => {
    const c0 = performance.now();
    const res = await runTask(port, { ...input, count });
    callMs.push(performance.now() - c0);
    track(res.tasks.map((t) => t.taskArn));
    return res;
  });
  const submitMs = performance.now() - t0;
  const taskArns = answers.flatMap((a) => a.tasks.map((t) => t.taskArn));
  const failures = answers.flatMap((a) => a.failures);
  const waited = await waitForAll(port, cluster, taskArns, 'RUNNING', pollMs, timeoutMs);
  const observedMs = waited.doneAt - t0;
  const running = waited.tasks.filter((t) => t.lastStatus === 'RUNNING');
  const lastStarted = Math.max(...running.map((t) => ms(t.startedAt) ?? 0));
  const serverMs = running.length > 0 ? lastStarted - wallStart : undefined;
  return {
    calls,
    countPerCall: count,
    callers,
    started: running.length,
    failures,
    taskArns,
    runTaskCallMs: summarizeOrNone(callMs),
    submitMs: round(submitMs),
    observedMs: round(observedMs),
    serverMs: serverMs === undefined ? undefined : round(serverMs),
    tasksPerSecond: {
      observed: round(running.length / (observedMs / 1000)),
      server: serverMs === undefined ? undefined : round(running.length / (serverMs / 1000)),
    },
    stoppedInstead: waited.stoppedInstead.map((t) => ({ taskArn: t.taskArn, ...(t.stoppedReason && { stoppedReason: t.stoppedReason }) })),
    tasks: waited.tasks,
  };
}

/** The stop phase's outcome. */
export interface StopResult {
  tasks: number;
  callers: number;
  stopTaskCallMs: Summary | undefined;
  submitMs: number;
  observedMs: number;
  serverMs: number | undefined;
  tasksPerSecond: { observed: number; server: number | undefined };
  /** stoppingAt → stoppedAt per task: the agent's stop (signal, exit, runc delete, unmount, CNI DEL). */
  stopPathMs: Summary | undefined;
  /** Tasks whose essential container exited with something other than 0 (the trap exits 0). */
  unexpectedExitCodes: number;
}

/** StopTask for every task from `callers` concurrent callers, then waits for all STOPPED. */
export async function stopMany(port: Endpoint, cluster: string, arns: readonly string[], callers: number, pollMs: number, timeoutMs: number): Promise<StopResult> {
  const wallStart = Date.now();
  const t0 = performance.now();
  const callMs: number[] = [];
  await inPool(arns, callers, async (arn) => {
    const c0 = performance.now();
    await stopTask(port, cluster, arn);
    callMs.push(performance.now() - c0);
  });
  const submitMs = performance.now() - t0;
  const waited = await waitForAll(port, cluster, arns, 'STOPPED', pollMs, timeoutMs);
  const observedMs = waited.doneAt - t0;
  const stoppedAts = waited.tasks.map((t) => ms(t.stoppedAt)).filter((v): v is number => v !== undefined);
  const serverMs = stoppedAts.length > 0 ? Math.max(...stoppedAts) - wallStart : undefined;
  const stopPath = waited.tasks.flatMap((t) => (t.stoppingAt !== undefined && t.stoppedAt !== undefined ? [ms(t.stoppedAt)! - ms(t.stoppingAt)!] : []));
  return {
    tasks: arns.length,
    callers,
    stopTaskCallMs: summarizeOrNone(callMs),
    submitMs: round(submitMs),
    observedMs: round(observedMs),
    serverMs: serverMs === undefined ? undefined : round(serverMs),
    tasksPerSecond: {
      observed: round(arns.length / (observedMs / 1000)),
      server: serverMs === undefined ? undefined : round(arns.length / (serverMs / 1000)),
    },
    stopPathMs: summarizeOrNone(stopPath),
    unexpectedExitCodes: waited.tasks.filter((t) => (t.containers ?? []).some((c) => c.exitCode !== 0)).length,
  };
}
