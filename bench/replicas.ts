/**
 * Benchmark of minato on PostgreSQL and as replicas (`node --import tsx bench/replicas.ts`, as root,
 * after `npm run build`), side by side with SQLite in one run:
 *   1. signed DescribeClusters throughput (autocannon, 16 connections, 3 rounds of 10 s, median)
 *      against `minato up` on SQLite, one process on PostgreSQL (`--store`), and two `--replica`
 *      processes on PostgreSQL with the connections split over both endpoints;
 *   2. RunTask → RUNNING of tasks on one agent host (EC2 launch type), the same three set-ups, each
 *      with its own agent in its own network namespace (calls alternate between the replicas);
 *   3. failover: the leader of the two replicas is killed with SIGKILL, UpdateService(+1) goes to the
 *      survivor at once; kill → its `leading` line, and kill → the new task RUNNING (3 trials, a
 *      replica started again on the dead one's port between trials);
 *   4. Store transactions per second in this process, SqliteStore vs PostgresStore: get + put of one
 *      small document, 1 and 8 callers.
 * PostgreSQL is a throwaway local cluster (src/store/postgres-server.fixtures.ts: fsync off); SQLite
 * is WAL with synchronous=NORMAL. Writes bench/results/replicas-<timestamp>.json and
 * replicas-latest.json. Exits 1 when the run itself is invalid (failed requests, tasks elsewhere
 * than on the agent, lost updates, leftovers); missed targets are reported, not fatal.
 */
import { readFileSync, rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import { join, relative } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { PostgresStore } from '../src/store/postgres-store.js';
import { postgresMissing, startPostgresServer, type PostgresServer } from '../src/store/postgres-server.fixtures.js';
import { SqliteStore } from '../src/store/sqlite-store.js';
import type { Store } from '../src/store/store.js';
import { agentContainers, createAgentHosts, type AgentHosts } from '../test/support/agent-hosts.js';
import type { MinatoProcess } from '../test/support/minato-process.js';
import { sweepDataDir } from '../test/support/sweep-data-dir.js';
import { call, describeTasks, stopTask } from './lib/ecs-calls.js';
import { createService, endpointsOf, failoverTrial, joinAgent, LOAD_CLUSTER, SERVICE, serviceSteady, TASK_CLUSTER, taskLatency, throughputRound, type FailoverTrial } from './lib/replica-phases.js';
import { removeDataDir, replaceReplica, setupDirs, startSetup, type Setup, type SetupName } from './lib/replica-setups.js';
import { linkExists, netnsNames } from './lib/host-state.js';
import { median, round } from './lib/stats.js';
import { measureTransactions, type TransactionRun } from './lib/store-transactions.js';
import { machineInfo, target, targetLines, writeResults, type Target } from './lib/task-report.js';

const SETUPS: readonly SetupName[] = ['sqlite', 'postgres-1', 'postgres-2-replicas'];
const CONNECTIONS = 16;
const LOAD_SECONDS = 10;
const LOAD_WARMUP_SECONDS = 2;
const ROUNDS = 3;
const WARMUP_TASKS = 3;
const LATENCY_TASKS = 15;
const SERVICE_TASKS = 2;
const FAILOVER_TRIALS = 3;
const TX_SECONDS = 3;
const TX_CALLERS = [1, 8] as const;

/** Everything the run made, so that both the normal end and an interrupt remove it. */
const made: {
  pg?: PostgresServer;
  hosts?: AgentHosts;
  processes: Set<MinatoProcess>;
  dirs: Set<string>;
  stores: Store[];
  arns: Map<SetupName, Set<string>>;
  /** Network namespaces and links the run made, checked once it has cleaned up. */
  netns: Set<string>;
  links: Set<string>;
  problems: string[];
} = {
  processes: new Set(),
  netns: new Set(),
  links: new Set(),
  dirs: new Set(),
  stores: [],
  arns: new Map(),
  problems: [],
};
const live = (p: MinatoProcess) => {
  made.processes.add(p);
  const args = p.child.spawnargs;
  made.links.add(args[args.indexOf('--task-bridge') + 1]!);
};
const alive = (p: MinatoProcess) => p.child.exitCode === null && p.child.signalCode === null;

/** Stops a process (SIGTERM unless told), which also sweeps its data dir and removes its bridge; then removes the dir. */
async function stopProcess(p: MinatoProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  const code = await p.stop(signal);
  made.processes.delete(p);
  removeDataDir(p);
  return code;
}

/** Through the set-up, ends the service and stops every task it still runs, so that its agent's containers go. */
async function stopTasksOf(setup: Setup): Promise<void> {
  const to = endpointsOf(setup).find((_, i) => alive(setup.processes[i]!));
  if (!to) return;
  await call(to, 'DeleteService', { cluster: TASK_CLUSTER, service: SERVICE, force: true }).catch(() => undefined);
  const listed = await call<{ taskArns: string[] }>(to, 'ListTasks', { cluster: TASK_CLUSTER }).catch(() => ({ taskArns: [] }));
  const arns = [...new Set([...listed.taskArns, ...(made.arns.get(setup.name) ?? [])])];
  const open = (await describeTasks(to, TASK_CLUSTER, arns)).filter((t) => t.lastStatus !== 'STOPPED');
  for (const t of open) if (t.desiredStatus !== 'STOPPED') await stopTask(to, TASK_CLUSTER, t.taskArn).catch(() => undefined);
  const end = Date.now() + 60_000;
  while (Date.now() < end && (await describeTasks(to, TASK_CLUSTER, open.map((t) => t.taskArn))).some((t) => t.lastStatus !== 'STOPPED')) await sleep(250);
}

let cleaning: Promise<void> | undefined;

/** Removes everything the run made; the first call does the work, later ones wait for it. */
function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    for (const p of made.processes) await stopProcess(p, 'SIGKILL').catch((err: unknown) => made.problems.push(`stopping minato failed: ${(err as Error).message}`));
    // Kills the agents, removes their containers, mounts and namespaces, the bridge and their data dirs.
    await made.hosts?.dispose().catch((err: unknown) => made.problems.push(`removing the agent hosts failed: ${(err as Error).message}`));
    made.hosts = undefined;
    for (const s of made.stores.splice(0)) await s.close().catch(() => undefined);
    await made.pg?.stop();
    made.pg = undefined;
    for (const dir of [...made.dirs, ...setupDirs]) rmSync(dir, { recursive: true, force: true });
    made.dirs.clear();
    setupDirs.clear();
  })();
  return cleaning;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    process.stderr.write(`${signal}: cleaning up...\n`);
    void cleanUp().finally(() => process.exit(130));
  });
}

/** 4. Store transactions per second, in this process: each store, each caller count, median of the rounds. */
async function storeTransactions(pg: PostgresServer) {
  const dir = await mkdtemp(join(os.tmpdir(), 'minato-bench-store-'));
  made.dirs.add(dir);
  const sqlite = new SqliteStore(join(dir, 'minato.db'));
  const postgres = await PostgresStore.open({ connectionString: await pg.createDatabase() });
  made.stores.push(sqlite, postgres);
  const out: Record<string, Record<string, { runs: TransactionRun[]; medianPerSecond: number; lost: number }>> = { sqlite: {}, postgres: {} };
  for (const callers of TX_CALLERS) {
    const runs: Record<string, TransactionRun[]> = { sqlite: [], postgres: [] };
    for (let r = 0; r < ROUNDS; r++) {
      for (const [name, store] of [['sqlite', sqlite], ['postgres', postgres]] as const) {
        process.stdout.write(`  ${name}, ${callers} caller(s), round ${r + 1}...\n`);
        await measureTransactions(store, 'warm-up', callers, 0.5);
        runs[name]!.push(await measureTransactions(store, `counter-${callers}`, callers, TX_SECONDS));
      }
    }
    for (const name of ['sqlite', 'postgres']) {
      const list = runs[name]!;
      out[name]![`callers${callers}`] = { runs: list, medianPerSecond: median(list.map((x) => x.perSecond)), lost: list.reduce((s, x) => s + x.transactions - x.counted, 0) };
    }
  }
  for (const s of made.stores.splice(0)) await s.close();
  return out;
}

/** 1. Throughput: the rounds interleave the set-ups, so that the machine's other load falls on each alike. */
async function throughput(setups: readonly Setup[], postgresPid: number) {
  for (const s of setups) await call(endpointsOf(s)[0]!, 'CreateCluster', { clusterName: LOAD_CLUSTER });
  const rounds: Record<string, Awaited<ReturnType<typeof throughputRound>>[]> = {};
  for (let r = 0; r < ROUNDS; r++) {
    for (const s of setups) {
      process.stdout.write(`  ${s.name}: DescribeClusters x${CONNECTIONS}, round ${r + 1} (${LOAD_WARMUP_SECONDS} s warm-up + ${LOAD_SECONDS} s)...\n`);
      (rounds[s.name] ??= []).push(await throughputRound(s, CONNECTIONS, LOAD_SECONDS, LOAD_WARMUP_SECONDS, postgresPid));
    }
  }
  return Object.fromEntries(
    setups.map((s) => {
      const list = rounds[s.name]!;
      const cpu = (k: keyof (typeof list)[number]['cpuPercent']) => round(median(list.map((x) => x.cpuPercent[k])));
      const medianCpuPercent = { minato: cpu('minato'), postgres: cpu('postgres'), loadGenerator: cpu('loadGenerator'), host: cpu('host') };
      const rps = median(list.map((x) => x.requestsPerSecond));
      // What a request costs, whatever share of the machine the server got: % of one CPU x 10 / req/s
      // (approximate: the CPU window includes the warm-up, the request count does not).
      const perRequest = (percent: number) => round((percent * 10) / rps, 3);
      const cpuMsPerRequest = { minato: perRequest(medianCpuPercent.minato), postgres: perRequest(medianCpuPercent.postgres), total: perRequest(medianCpuPercent.minato + medianCpuPercent.postgres) };
      return [s.name, { medianRequestsPerSecond: rps, medianCpuPercent, cpuMsPerRequest, clean: list.every((x) => x.clean), rounds: list }];
    }),
  );
}

async function measure() {
  const pg = (made.pg = await startPostgresServer());
  process.stdout.write('4. Store transactions in process...\n');
  const store = await storeTransactions(pg);

  const hosts = (made.hosts = await createAgentHosts(SETUPS.length));
  made.links.add(hosts.bridge);
  for (const h of hosts.hosts) made.netns.add(h.netns);
  const setups: Setup[] = [];
  for (const name of SETUPS) setups.push(await startSetup(name, hosts.gateway, name === 'sqlite' ? undefined : await pg.createDatabase(), live));
  await sleep(2_000);

  process.stdout.write('1. Signed API throughput...\n');
  const postgresPid = Number(readFileSync(join(pg.dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
  const load = await throughput(setups, postgresPid);

  process.stdout.write('2. RunTask -> RUNNING on one agent host...\n');
  const latency: Record<string, Awaited<ReturnType<typeof taskLatency>> & { leftovers: string[] }> = {};
  let failover: { trials: FailoverTrial[]; serviceTasksAtEnd: number; containersOnTheAgentAtEnd: number } | undefined;
  for (const [i, setup] of setups.entries()) {
    const host = hosts.hosts[i]!;
    const arns = new Set<string>();
    made.arns.set(setup.name, arns);
    const { agent, input } = await joinAgent(setup, host);
    process.stdout.write(`  ${setup.name}: ${WARMUP_TASKS} warm-up + ${LATENCY_TASKS} tasks...\n`);
    const figures = await taskLatency(setup, agent, input, WARMUP_TASKS, LATENCY_TASKS, (a) => a.forEach((x) => arns.add(x)));

    if (setup.name === 'postgres-2-replicas') {
      process.stdout.write(`3. Failover: ${FAILOVER_TRIALS} trials of kill -9 of the leader...\n`);
      await createService(setup, input, SERVICE_TASKS);
      const trials: FailoverTrial[] = [];
      for (let t = 0; t < FAILOVER_TRIALS; t++) {
        const { figures: trial, killed } = await failoverTrial(setup, SERVICE_TASKS + t);
        trials.push(trial);
        process.stdout.write(`  trial ${t + 1}: leading after ${trial.leadingMs} ms, new task RUNNING after ${trial.newTaskObservedRunningMs} ms\n`);
        await stopProcess(killed);
        await replaceReplica(setup, killed, live);
        // Let the new replica settle as a follower before the next kill.
        await sleep(2_000);
      }
      const running = await serviceSteady(endpointsOf(setup)[0]!, SERVICE_TASKS + FAILOVER_TRIALS);
      const containers = agentContainers(host).filter((c) => c.status === 'running').length;
      failover = { trials, serviceTasksAtEnd: running.length, containersOnTheAgentAtEnd: containers };
    }

    await stopTasksOf(setup);
    await agent.kill('SIGTERM');
    latency[setup.name] = { ...figures, leftovers: await sweepDataDir(host.dataDir) };
  }

  const exitCodes: Record<string, Array<number | null>> = {};
  for (const setup of setups) for (const p of setup.processes) (exitCodes[setup.name] ??= []).push(await stopProcess(p));
  return { store, load, latency, failover: failover!, exitCodes };
}

async function main(): Promise<number> {
  if (process.getuid?.() !== 0) throw new Error('run as root: tasks are real containers in network namespaces');
  const missing = postgresMissing();
  if (missing) throw new Error(missing);
  const startedAt = new Date();
  const machine = machineInfo();
  const loadavgBefore = os.loadavg().map((n) => round(n, 2));
  process.stdout.write(`minato bench "replicas": SQLite vs PostgreSQL (1 process) vs 2 replicas; ${ROUNDS} rounds\n`);
  let m: Awaited<ReturnType<typeof measure>>;
  try {
    m = await measure();
  } finally {
    await cleanUp();
  }
  const loadavgAfter = os.loadavg().map((n) => round(n, 2));
  const namespaces = new Set(await netnsNames());
  const leftovers = { netns: [...made.netns].filter((n) => namespaces.has(n)), links: [] as string[] };
  for (const link of made.links) if (await linkExists(link)) leftovers.links.push(link);

  const rps = (name: SetupName) => m.load[name]!.medianRequestsPerSecond;
  const ratios = {
    postgres1OverSqlite: round(rps('postgres-1') / rps('sqlite'), 2),
    replicas2OverSqlite: round(rps('postgres-2-replicas') / rps('sqlite'), 2),
    replicas2OverPostgres1: round(rps('postgres-2-replicas') / rps('postgres-1'), 2),
  };
  const trialMedian = (k: keyof FailoverTrial) => round(median(m.failover.trials.map((t) => t[k])));
  const failover = {
    ...m.failover,
    medianMs: {
      leading: trialMedian('leadingMs'),
      updateServiceAnswered: trialMedian('updateServiceAnsweredMs'),
      newTaskCreated: trialMedian('newTaskCreatedMs'),
      newTaskStarted: trialMedian('newTaskStartedMs'),
      newTaskObservedRunning: trialMedian('newTaskObservedRunningMs'),
    },
  };
  const targets: Target[] = [
    target('DescribeClusters req/s, PostgreSQL (1 process) / SQLite', ratios.postgres1OverSqlite, 'x', '>=', 0.5),
    target(`failover: kill -9 of the leader -> the other replica leads (median of ${FAILOVER_TRIALS})`, failover.medianMs.leading, 'ms', '<=', 10_000),
    target(`failover: kill -9 of the leader -> UpdateService's new task RUNNING (median of ${FAILOVER_TRIALS})`, failover.medianMs.newTaskObservedRunning, 'ms', '<=', 10_000),
  ];
  const problems = [
    ...made.problems,
    ...SETUPS.flatMap((s) => (m.load[s]!.clean ? [] : [`${s}: failed requests under load`])),
    ...SETUPS.flatMap((s) => (m.latency[s]!.onTheAgent === LATENCY_TASKS ? [] : [`${s}: ${LATENCY_TASKS - m.latency[s]!.onTheAgent} tasks not on the agent`])),
    ...SETUPS.flatMap((s) => (m.latency[s]!.unexpectedExitCodes ? [`${s}: ${m.latency[s]!.unexpectedExitCodes} tasks exited non-zero on stop`] : [])),
    ...SETUPS.flatMap((s) => (m.latency[s]!.leftovers.length ? [`${s}: left on the agent host and removed: ${m.latency[s]!.leftovers.join(', ')}`] : [])),
    ...Object.entries(m.store).flatMap(([name, byCallers]) => Object.entries(byCallers).flatMap(([c, v]) => (v.lost ? [`${name} ${c}: ${v.lost} updates lost`] : []))),
    ...(m.failover.containersOnTheAgentAtEnd === SERVICE_TASKS + FAILOVER_TRIALS ? [] : [`the agent ran ${m.failover.containersOnTheAgentAtEnd} containers for ${SERVICE_TASKS + FAILOVER_TRIALS} service tasks`]),
    ...(leftovers.netns.length || leftovers.links.length ? [`left behind: ${[...leftovers.netns, ...leftovers.links].join(', ')}`] : []),
    ...Object.entries(m.exitCodes).flatMap(([s, codes]) => (codes.every((c) => c === 0) ? [] : [`${s}: minato exit codes ${codes.join(', ')}`])),
  ];
  const result = {
    name: 'replicas',
    startedAt: startedAt.toISOString(),
    note:
      `one ${machine.cpus}-CPU machine shared with other work: the load generator (autocannon, in this process), PostgreSQL, the agent and every minato process compete for CPU. ` +
      'PostgreSQL is a throwaway local cluster with fsync off; SQLite is WAL with synchronous=NORMAL.',
    valid: problems.length === 0,
    problems,
    machine,
    loadavgBefore,
    loadavgAfter,
    settings: { connections: CONNECTIONS, loadSeconds: LOAD_SECONDS, loadWarmupSeconds: LOAD_WARMUP_SECONDS, rounds: ROUNDS, warmupTasks: WARMUP_TASKS, latencyTasks: LATENCY_TASKS, serviceTasks: SERVICE_TASKS, failoverTrials: FAILOVER_TRIALS, txSeconds: TX_SECONDS },
    throughput: { ...m.load, ratios },
    taskLatency: m.latency,
    failover,
    storeTransactions: m.store,
    exitCodes: m.exitCodes,
    leftovers,
    targets,
  };
  const file = await writeResults(result);
  const lat = (s: SetupName) => m.latency[s]!.observedMs;
  const cpu = (s: SetupName) => m.load[s]!.medianCpuPercent;
  const tx = (name: string, c: number) => m.store[name]![`callers${c}`]!.medianPerSecond;
  const lines = [
    '',
    `machine: ${machine.cpus} x ${machine.cpuModel}, ${machine.totalMemoryMiB} MiB, node ${machine.node}; loadavg ${loadavgBefore.join(' ')} -> ${loadavgAfter.join(' ')}`,
    `note: ${result.note}`,
    `DescribeClusters x${CONNECTIONS} (median of ${ROUNDS} x ${LOAD_SECONDS} s): ` + SETUPS.map((s) => `${s} ${rps(s)} req/s`).join(', '),
    `  PostgreSQL-1 / SQLite ${ratios.postgres1OverSqlite}, 2 replicas / SQLite ${ratios.replicas2OverSqlite}, 2 replicas / PostgreSQL-1 ${ratios.replicas2OverPostgres1}`,
    '  CPU (% of one CPU, median): ' + SETUPS.map((s) => `${s}: minato ${cpu(s).minato}, PostgreSQL ${cpu(s).postgres}, load generator ${cpu(s).loadGenerator}, host ${cpu(s).host}`).join('; '),
    '  CPU ms per request (minato + PostgreSQL): ' + SETUPS.map((s) => `${s} ${m.load[s]!.cpuMsPerRequest.minato} + ${m.load[s]!.cpuMsPerRequest.postgres}`).join(', '),
    `RunTask -> RUNNING (${LATENCY_TASKS} sequential after ${WARMUP_TASKS} warm-up): ` + SETUPS.map((s) => `${s} p50 ${lat(s).p50} / p90 ${lat(s).p90} ms`).join(', '),
    `failover (median of ${FAILOVER_TRIALS}): leading after ${failover.medianMs.leading} ms; new task created ${failover.medianMs.newTaskCreated}, started ${failover.medianMs.newTaskStarted}, seen RUNNING ${failover.medianMs.newTaskObservedRunning} ms after the kill`,
    `  trials: ${m.failover.trials.map((t) => `${t.leadingMs}/${t.newTaskObservedRunningMs}`).join(', ')} ms (leading / new task RUNNING)`,
    `store transactions/s (get + put, median of ${ROUNDS} x ${TX_SECONDS} s): ` + TX_CALLERS.map((c) => `${c} caller(s): SQLite ${tx('sqlite', c)}, PostgreSQL ${tx('postgres', c)}`).join('; '),
    'targets:',
    ...targetLines(targets),
    problems.length ? `INVALID RUN: ${problems.join('; ')}` : 'run valid: every request answered 2xx, every task ran on its agent and stopped, no update lost, nothing left behind',
    `results: ${relative(process.cwd(), file)} (and replicas-latest.json)`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  return problems.length ? 1 : 0;
}

main().then(
  (code) => (process.exitCode = code),
  async (err: unknown) => {
    await cleanUp();
    process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    if (made.problems.length) process.stderr.write(`also: ${made.problems.join('; ')}\n`);
    process.exitCode = 1;
  },
);
