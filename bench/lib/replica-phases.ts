/**
 * The measured phases of the replica benchmark, against the set-ups of replica-setups.ts: signed
 * DescribeClusters throughput, RunTask → RUNNING on one agent host, and the failover of the leader
 * under a service action. Every wait is bounded.
 */
import { performance } from 'node:perf_hooks';
import { DEFAULT_CONFIG } from '../../src/cli/config.js';
import { pushBusybox, until } from '../../test/cluster/hosts-fixture.js';
import type { AgentHost, AgentProcess } from '../../test/support/agent-hosts.js';
import { DEFAULT_NETWORK } from '../../test/support/default-vpc.js';
import type { MinatoProcess } from '../../test/support/minato-process.js';
import { call, describeTasks, type WireTask } from './ecs-calls.js';
import { cpuSeconds, hostBusySeconds, treeCpuSeconds } from './host-state.js';
import { load, type Call, type Endpoint, type LoadResult } from './load.js';
import { controlPlaneOf, endpointOf, ledAt, leadsNow, type Setup } from './replica-setups.js';
import { round, summarize } from './stats.js';
import { sequentialLatency, stopMany, summarizePhases, type RunInput, type TrackTasks } from './task-phases.js';

export const LOAD_CLUSTER = 'bench';
export const TASK_CLUSTER = 'bench-tasks';
export const DESCRIBE: Call = { operation: 'DescribeClusters', body: JSON.stringify({ clusters: [LOAD_CLUSTER] }) };
const IMAGE = `${DEFAULT_CONFIG.accountId}.dkr.ecr.us-east-1.amazonaws.com/hosts/busybox:1`;
const POLL_MS = 5;
const TASK_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 120_000;

export const endpointsOf = (setup: Setup): Array<Exclude<Endpoint, number>> => setup.processes.map(endpointOf);

/** CPU seconds so far: minato's processes, PostgreSQL's, this process (the load generator) and the whole host. */
async function cpuNow(minatoPids: readonly number[], postgresPid: number) {
  const minato = await Promise.all(minatoPids.map((pid) => cpuSeconds(pid)));
  const own = process.cpuUsage();
  return {
    minato: minato.reduce<number>((s, t) => s + (t ?? 0), 0),
    postgres: await treeCpuSeconds(postgresPid),
    loadGenerator: (own.user + own.system) / 1e6,
    host: await hostBusySeconds(),
  };
}

/**
 * One load round on a set-up: `connections` split evenly over its endpoints, run at once. Also the
 * share of one CPU (%) each party used over the round (warm-up included): on a machine of few
 * CPUs, whichever saturates them sets the figure.
 */
export async function throughputRound(setup: Setup, connections: number, seconds: number, warmupSeconds: number, postgresPid: number) {
  const to = endpointsOf(setup);
  const pids = setup.processes.map((p) => p.child.pid!);
  const [c0, t0] = [await cpuNow(pids, postgresPid), performance.now()];
  const parts: LoadResult[] = await Promise.all(to.map((e) => load(e, DESCRIBE, connections / to.length, seconds, warmupSeconds)));
  const [c1, wall] = [await cpuNow(pids, postgresPid), (performance.now() - t0) / 1000];
  const share = (k: keyof typeof c0) => round(((c1[k] - c0[k]) / wall) * 100);
  return {
    requestsPerSecond: round(parts.reduce((s, p) => s + p.requestsPerSecond.mean, 0)),
    clean: parts.every((p) => p.clean),
    cpuPercent: { minato: share('minato'), postgres: share('postgres'), loadGenerator: share('loadGenerator'), host: share('host') },
    parts: parts.map((p) => ({ connections: p.connections, requestsPerSecond: p.requestsPerSecond, latencyMs: p.latencyMs, ok2xx: p.ok2xx, non2xx: p.non2xx, errors: p.errors, timeouts: p.timeouts })),
  };
}

/** Registers the tasks' definition (a sleeper that ends at once on SIGTERM) and returns RunTask's parameters. */
async function taskInput(to: Endpoint): Promise<RunInput> {
  const registered = await call<{ taskDefinition: { taskDefinitionArn: string } }>(to, 'RegisterTaskDefinition', {
    family: 'bench-sleep',
    networkMode: 'awsvpc',
    requiresCompatibilities: ['EC2'],
    containerDefinitions: [{ name: 'app', image: IMAGE, cpu: 0, memoryReservation: 8, command: ['sh', '-c', 'trap "exit 0" TERM; sleep 3600 & wait'], stopTimeout: 2 }],
  });
  return { cluster: TASK_CLUSTER, taskDefinition: registered.taskDefinition.taskDefinitionArn, launchType: 'EC2', networkConfiguration: DEFAULT_NETWORK };
}

/** The cluster, the busybox image in the set-up's registry, and one agent joined with every endpoint of the set-up. */
export async function joinAgent(setup: Setup, host: AgentHost): Promise<{ agent: AgentProcess; input: RunInput }> {
  const to = endpointsOf(setup);
  await call(to[0]!, 'CreateCluster', { clusterName: TASK_CLUSTER });
  const plane = controlPlaneOf(setup);
  await pushBusybox(plane);
  const agent = await host.startAgent(plane, ['--cluster', TASK_CLUSTER, '--join', setup.processes.map((p) => p.endpoint).join(',')]);
  return { agent, input: await taskInput(to[0]!) };
}

/**
 * RunTask → RUNNING, one task at a time, each sent to the set-up's endpoints in turn and polled
 * (DescribeTasks every 5 ms) through the same one; warm-up tasks first (the first pulls the image),
 * stopped before the measured ones. All measured tasks are stopped at the end.
 */
export async function taskLatency(setup: Setup, agent: AgentProcess, input: RunInput, warmup: number, tasks: number, track: TrackTasks) {
  const to = endpointsOf(setup);
  const one = async (i: number) => (await sequentialLatency(to[i % to.length]!, input, 1, POLL_MS, TASK_TIMEOUT_MS, track))[0]!;
  const warm = [];
  for (let i = 0; i < warmup; i++) warm.push(await one(i));
  await stopMany(to[0]!, TASK_CLUSTER, warm.map((w) => w.taskArn), 4, 250, STOP_TIMEOUT_MS);
  const samples = [];
  for (let i = 0; i < tasks; i++) samples.push(await one(i));
  const described = (await describeTasks(to[0]!, TASK_CLUSTER, samples.map((s) => s.taskArn))) as Array<WireTask & { containerInstanceArn?: string }>;
  const stop = await stopMany(to[0]!, TASK_CLUSTER, samples.map((s) => s.taskArn), 4, 250, STOP_TIMEOUT_MS);
  return {
    endpoints: to.length,
    warmUpMs: warm.map((w) => round(w.observedMs)),
    tasks,
    observedMs: summarize(samples.map((s) => s.observedMs)),
    runTaskCallMs: summarize(samples.map((s) => s.runTaskMs)),
    phases: summarizePhases(described),
    onTheAgent: described.filter((t) => t.containerInstanceArn === agent.containerInstanceArn).length,
    stopObservedMs: stop.observedMs,
    unexpectedExitCodes: stop.unexpectedExitCodes,
  };
}

export const SERVICE = 'bench-failover';

/** The service's tasks the control plane lists as desired RUNNING, described. */
async function serviceTasks(to: Endpoint): Promise<WireTask[]> {
  const { taskArns } = await call<{ taskArns: string[] }>(to, 'ListTasks', { cluster: TASK_CLUSTER, serviceName: SERVICE });
  return describeTasks(to, TASK_CLUSTER, taskArns);
}

/** Waits until the service runs exactly `count` tasks, all RUNNING. */
export function serviceSteady(to: Endpoint, count: number, ms = 90_000): Promise<WireTask[]> {
  return until(
    `${count} tasks of the service RUNNING`,
    async () => {
      const tasks = await serviceTasks(to);
      return tasks.length === count && tasks.every((t) => t.lastStatus === 'RUNNING') && tasks;
    },
    ms,
    250,
  );
}

/** Creates the failover phase's service with `count` tasks and waits until they run. */
export async function createService(setup: Setup, input: RunInput, count: number): Promise<void> {
  const to = endpointsOf(setup)[0]!;
  await call(to, 'CreateService', {
    cluster: TASK_CLUSTER,
    serviceName: SERVICE,
    taskDefinition: input.taskDefinition,
    desiredCount: count,
    launchType: 'EC2',
    networkConfiguration: DEFAULT_NETWORK,
  });
  await serviceSteady(to, count);
}

/** One failover trial's figures, in ms from the kill. */
export interface FailoverTrial {
  /** kill → the survivor's `leading` log line. */
  leadingMs: number;
  /** kill → UpdateService answered by the survivor. */
  updateServiceAnsweredMs: number;
  /** kill → the new task's createdAt (the new leader's scheduler made it). */
  newTaskCreatedMs: number;
  /** kill → the new task's startedAt. */
  newTaskStartedMs: number;
  /** kill → the first poll that saw it RUNNING (polls every 50 ms). */
  newTaskObservedRunningMs: number;
}

/**
 * Kills the leader with SIGKILL, at once asks the survivor for one more task of the service, and
 * waits until the survivor leads and the new task runs. Returns the figures and the dead process
 * (the caller stops and replaces it).
 */
export async function failoverTrial(setup: Setup, desired: number): Promise<{ figures: FailoverTrial; killed: MinatoProcess }> {
  const leader = setup.processes.find(leadsNow);
  const survivor = setup.processes.find((p) => p !== leader);
  if (!leader || !survivor || leadsNow(survivor)) throw new Error('expected exactly one of the two replicas to lead');
  const to = endpointOf(survivor);
  const before = new Set((await serviceSteady(to, desired)).map((t) => t.taskArn));

  const killedAt = Date.now();
  leader.child.kill('SIGKILL');
  await call(to, 'UpdateService', { cluster: TASK_CLUSTER, service: SERVICE, desiredCount: desired + 1 });
  const updateServiceAnsweredMs = Date.now() - killedAt;
  const running = await until(
    'the new leader to start the new task',
    async () => {
      const fresh = (await serviceTasks(to)).find((t) => !before.has(t.taskArn));
      if (fresh?.lastStatus === 'STOPPED') throw new Error(`the new task stopped: ${fresh.stoppedReason}`);
      return fresh?.lastStatus === 'RUNNING' && { task: fresh, seenAt: Date.now() };
    },
    60_000,
    50,
  );
  const led = await until('the survivor to log that it leads', () => ledAt(survivor, killedAt), 15_000, 50);
  const since = (epochSeconds: number | undefined) => (epochSeconds === undefined ? Number.NaN : round(epochSeconds * 1000 - killedAt));
  return {
    killed: leader,
    figures: {
      leadingMs: led - killedAt,
      updateServiceAnsweredMs,
      newTaskCreatedMs: since(running.task.createdAt),
      newTaskStartedMs: since(running.task.startedAt),
      newTaskObservedRunningMs: running.seenAt - killedAt,
    },
  };
}
