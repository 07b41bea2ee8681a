/**
 * Benchmark of the front door on loopback (`npm run bench`): start-up time, resident memory, and the
 * throughput and latency of SigV4-signed ECS calls. Writes bench/results/<name>-<timestamp>.json and
 * bench/results/latest.json, and prints a summary. Exits 1 when the run itself is invalid (failed requests,
 * a non-zero exit code); missed targets are reported, not fatal, since they depend on the machine.
 */
import { rmSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { load, send, type Call, type LoadResult } from './lib/load.js';
import { freshDataDir, killStragglers, removeDir, residentMiB, startServer } from './lib/server.js';

const NAME = 'frontdoor';
const RESULTS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'results');
const STARTS = 5;
const IDLE_MS = 2_000;
const WARMUP_SECONDS = 2;
/** Capped well inside the 5-minute signature window, since one signature serves a whole run. */
const SECONDS = boundedInt(process.env.BENCH_SECONDS, 10, 1, 240);
const CONNECTIONS = [1, 16] as const;

const DESCRIBE: Call = { operation: 'DescribeClusters', body: JSON.stringify({ clusters: ['bench'] }) };
const REGISTER: Call = {
  operation: 'RegisterTaskDefinition',
  body: JSON.stringify({
    family: 'bench',
    requiresCompatibilities: ['EC2'],
    containerDefinitions: [{ name: 'app', image: 'busybox', memory: 128 }],
  }),
};

interface Target {
  name: string;
  value: number | undefined;
  unit: string;
  op: '>=' | '<=';
  limit: number;
  pass: boolean;
}

function boundedInt(raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`expected an integer from ${min} to ${max}, got "${raw}"`);
  return n;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function target(name: string, value: number | undefined, unit: string, op: Target['op'], limit: number): Target {
  const pass = value !== undefined && (op === '>=' ? value >= limit : value <= limit);
  return { name, value, unit, op, limit, pass };
}

const round = (n: number | undefined, digits = 1) => (n === undefined ? undefined : Number(n.toFixed(digits)));

/** Temp dirs still on disk, so that an interrupted run removes them too. */
const tempDirs = new Set<string>();
async function withDataDir<T>(body: (dir: string) => Promise<T>): Promise<T> {
  const dir = await freshDataDir();
  tempDirs.add(dir);
  try {
    return await body(dir);
  } finally {
    await removeDir(dir);
    tempDirs.delete(dir);
  }
}

process.once('SIGINT', () => {
  killStragglers();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  process.exit(130);
});

/** Start-up: spawn to `ready`, each time on a fresh data directory, then SIGTERM and wait for the exit. */
async function measureStarts() {
  const runs: { readyMs: number; exitCode: number | null }[] = [];
  for (let i = 0; i < STARTS; i++) {
    runs.push(
      await withDataDir(async (dir) => {
        const server = await startServer(dir);
        return { readyMs: round(server.readyMs)!, exitCode: await server.stop() };
      }),
    );
  }
  return { runs, medianReadyMs: round(median(runs.map((r) => r.readyMs)))! };
}

/** Memory and load on one server: idle RSS, the load cases, RSS again, then a clean stop. */
async function measureLoad() {
  return withDataDir(async (dir) => {
    const server = await startServer(dir);
    try {
      await sleep(IDLE_MS);
      const idleRssMiB = round(await residentMiB(server.pid));

      // Set up once, and check that the exact calls under load succeed before timing them.
      const created = await send(server.port, { operation: 'CreateCluster', body: JSON.stringify({ clusterName: 'bench' }) });
      if (created.status !== 200) throw new Error(`CreateCluster answered ${created.status}: ${created.body}`);
      for (const call of [DESCRIBE, REGISTER]) {
        const res = await send(server.port, call);
        if (res.status !== 200) throw new Error(`${call.operation} answered ${res.status}: ${res.body}`);
      }
      const described = JSON.parse((await send(server.port, DESCRIBE)).body) as { clusters?: { clusterName?: string }[] };
      if (described.clusters?.[0]?.clusterName !== 'bench') throw new Error('DescribeClusters did not return cluster "bench"');

      const cases: LoadResult[] = [];
      for (const call of [DESCRIBE, REGISTER]) {
        for (const connections of CONNECTIONS) {
          process.stdout.write(`  ${call.operation} x${connections} (${WARMUP_SECONDS} s warm-up + ${SECONDS} s)...\n`);
          cases.push(await load(server.port, call, connections, SECONDS, WARMUP_SECONDS));
        }
      }
      const afterLoadRssMiB = round(await residentMiB(server.pid));
      return { pid: server.pid, idleRssMiB, afterLoadRssMiB, cases, exitCode: await server.stop() };
    } finally {
      await server.stop();
    }
  });
}

async function main(): Promise<number> {
  const startedAt = new Date();
  const cpus = os.cpus();
  const machine = {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    totalMemoryMiB: Math.round(os.totalmem() / 2 ** 20),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  };
  const loadavgBefore = os.loadavg().map((n) => round(n, 2)!);
  process.stdout.write(`minato bench "${NAME}": ${STARTS} starts, then 4 load cases of ${SECONDS} s\n`);

  const startup = await measureStarts();
  const server = await measureLoad();
  const loadavgAfter = os.loadavg().map((n) => round(n, 2)!);

  const d16 = server.cases.find((c) => c.operation === DESCRIBE.operation && c.connections === 16)!;
  const targets = [
    target('DescribeClusters req/s at 16 connections (mean)', d16.requestsPerSecond.mean, 'req/s', '>=', 3000),
    target('DescribeClusters p99 at 16 connections', d16.latencyMs.p99, 'ms', '<=', 10),
    target(`ready (median of ${STARTS})`, startup.medianReadyMs, 'ms', '<=', 1000),
    target('idle RSS', server.idleRssMiB, 'MiB', '<=', 120),
  ];
  const problems = [
    ...server.cases.filter((c) => !c.clean).map((c) => `${c.operation} x${c.connections}: ${c.non2xx} non-2xx, ${c.errors} errors, ${c.timeouts} timeouts`),
    ...startup.runs.flatMap((r, i) => (r.exitCode === 0 ? [] : [`start ${i + 1} exited with code ${r.exitCode}`])),
    ...(server.exitCode === 0 ? [] : [`load server exited with code ${server.exitCode}`]),
  ];
  const note = `the load generator (autocannon, in this process) runs on the same ${machine.cpus}-CPU machine as the server and competes with it for CPU`;

  const result = {
    name: NAME,
    startedAt: startedAt.toISOString(),
    note,
    valid: problems.length === 0,
    problems,
    machine,
    loadavgBefore,
    loadavgAfter,
    startup,
    memory: { idleRssMiB: server.idleRssMiB, idleAfterMs: IDLE_MS, afterLoadRssMiB: server.afterLoadRssMiB },
    load: { warmupSeconds: WARMUP_SECONDS, seconds: SECONDS, cases: server.cases, serverExitCode: server.exitCode },
    targets,
  };
  await mkdir(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `${NAME}-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
  const json = `${JSON.stringify(result, null, 2)}\n`;
  await writeFile(file, json);
  await writeFile(join(RESULTS_DIR, 'latest.json'), json);

  const lines = [
    '',
    `machine: ${machine.cpus} x ${machine.cpuModel}, ${machine.totalMemoryMiB} MiB, node ${machine.node}; loadavg ${loadavgBefore.join(' ')} -> ${loadavgAfter.join(' ')}`,
    `note: ${note}`,
    `start-up: median ${startup.medianReadyMs} ms to ready (${startup.runs.map((r) => r.readyMs).join(', ')}); exit codes ${startup.runs.map((r) => r.exitCode).join(', ')}`,
    `RSS: ${server.idleRssMiB} MiB idle (ready + ${IDLE_MS / 1000} s), ${server.afterLoadRssMiB} MiB after load`,
    'load (req/s mean / median of 1 s samples; latency p50 / p90 / p99 / max in ms, 1 ms resolution; 2xx / non-2xx / errors):',
    ...server.cases.map(
      (c) =>
        `  ${c.operation.padEnd(22)} x${String(c.connections).padEnd(3)} ${String(c.requestsPerSecond.mean).padStart(8)} / ${String(c.requestsPerSecond.median).padEnd(6)}` +
        `  ${c.latencyMs.p50} / ${c.latencyMs.p90} / ${c.latencyMs.p99} / ${c.latencyMs.max}` +
        `  ${c.ok2xx} / ${c.non2xx} / ${c.errors + c.timeouts}${c.clean ? '' : '  <-- ERRORS'}`,
    ),
    'targets:',
    ...targets.map((t) => `  ${t.pass ? 'PASS' : 'FAIL'}  ${t.name}: ${t.value ?? 'n/a'} ${t.unit} (target ${t.op} ${t.limit})`),
    problems.length ? `INVALID RUN: ${problems.join('; ')}` : 'run valid: every request answered 2xx, every server exited 0',
    `results: ${relative(process.cwd(), file)} (and latest.json)`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  return problems.length ? 1 : 0;
}

main().then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    killStragglers();
    process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exitCode = 1;
  },
);
