/**
 * CloudWatch Logs on SQLite and on PostgreSQL, side by side (`node --import tsx bench/logs-postgres.ts`):
 * the same events go into each store through the in-process `appendEvents` path (batches of
 * 1,000 lines over 10 streams of one group), then FilterLogEvents reads the whole group with a
 * term pattern (pushed into SQL as a byte search), a JSON pattern (decided in JavaScript on
 * PostgreSQL) and no pattern, following every nextToken. Match counts are checked against the
 * counts known from generating the data. PostgreSQL is a throwaway local server from Debian's
 * `postgresql` package (see src/store/postgres-server.fixtures.ts). Writes
 * bench/results/logs-postgres-<timestamp>.json; exits 1 on a wrong count.
 *
 * BENCH_LOG_EVENTS sets the number of events (default 100,000).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Scope } from '../src/lib/scope.js';
import { LogService, type InputLogEvent } from '../src/logstore/log-service.js';
import type { LogStore } from '../src/logstore/log-store.js';
import { PostgresLogStore } from '../src/logstore/postgres-log-store.js';
import { SqliteLogStore } from '../src/logstore/sqlite-log-store.js';
import { postgresMissing, startPostgresServer } from '../src/store/postgres-server.fixtures.js';

const RESULTS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'results');
const EVENTS = Number(process.env.BENCH_LOG_EVENTS ?? 100_000);
const BATCH = 1_000;
const STREAMS = 10;
const RUNS = 5;
const GROUP = '/bench/app';

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;
const round = (n: number) => Math.round(n * 10) / 10;

function generate(now: number) {
  const start = now - 55 * 60_000;
  const step = (50 * 60_000) / EVENTS;
  const types = ['InfoLog', 'DebugLog', 'WarnLog'];
  let errors = 0;
  const batches: InputLogEvent[][] = [];
  for (let b = 0; b * BATCH < EVENTS; b++) {
    const batch: InputLogEvent[] = [];
    for (let i = b * BATCH; i < Math.min(EVENTS, (b + 1) * BATCH); i++) {
      const error = i % 200 === 0; // 0.5% of events
      if (error) errors++;
      const message = JSON.stringify({ logType: error ? 'ErrorLog' : types[i % 3], requestId: `req-${i}`, latency: (i * 7919) % 1000, path: `/api/v1/items/${i % 777}` });
      batch.push({ timestamp: Math.floor(start + i * step), message });
    }
    batches.push(batch);
  }
  return { batches, patterns: [
    { name: 'term', pattern: 'ErrorLog', expected: errors },
    { name: 'json', pattern: '{ $.logType = "ErrorLog" }', expected: errors },
    { name: 'all (no pattern)', pattern: '', expected: EVENTS },
  ] };
}

async function measure(name: string, store: LogStore, scope: Scope, data: ReturnType<typeof generate>) {
  const logs = new LogService(store);
  const t0 = performance.now();
  for (const [b, batch] of data.batches.entries()) await logs.appendEvents(scope, GROUP, `task/${b % STREAMS}`, batch, { createGroup: true });
  const ingestMs = performance.now() - t0;
  const filters = [];
  let invalid: string | undefined;
  for (const p of data.patterns) {
    const runsMs: number[] = [];
    let matches = 0;
    for (let r = 0; r < RUNS; r++) {
      const t = performance.now();
      matches = 0;
      let nextToken: string | undefined;
      do {
        const page = await logs.filterEvents(scope, { groupName: GROUP, pattern: p.pattern, ...(nextToken && { nextToken }) });
        matches += page.events.length;
        nextToken = page.nextToken;
      } while (nextToken);
      runsMs.push(performance.now() - t);
    }
    if (matches !== p.expected) invalid ??= `${name} ${p.name}: ${matches} matches, expected ${p.expected}`;
    filters.push({ ...p, matches, runsMs: runsMs.map(round), medianMs: round(median(runsMs)) });
  }
  await logs.close();
  return { store: name, ingestMs: round(ingestMs), linesPerSecond: Math.round(EVENTS / (ingestMs / 1000)), filters, invalid };
}

async function main(): Promise<void> {
  const missing = postgresMissing();
  if (missing) throw new Error(missing);
  const now = Date.now();
  const scope: Scope = { accountId: '000000000000', region: 'us-east-1', principalArn: 'arn:aws:iam::000000000000:root', now: new Date(now) };
  const data = generate(now);
  const dir = mkdtempSync(join(os.tmpdir(), 'minato-bench-logs-pg-'));
  const server = await startPostgresServer();
  try {
    const sqlite = await measure('sqlite', new SqliteLogStore(join(dir, 'logs.db')), scope, data);
    const postgres = await measure('postgres', await PostgresLogStore.open({ connectionString: await server.createDatabase() }), scope, data);
    const ratio = (i: number) => round(postgres.filters[i]!.medianMs / sqlite.filters[i]!.medianMs);
    const report = {
      date: new Date().toISOString(),
      events: EVENTS,
      host: { cpus: os.cpus().length, node: process.version },
      note: 'PostgreSQL is a local throwaway cluster with fsync off (the test fixture); SQLite is WAL with synchronous=NORMAL.',
      results: [sqlite, postgres],
      postgresOverSqlite: Object.fromEntries(data.patterns.map((p, i) => [p.name, ratio(i)])),
    };
    await mkdir(RESULTS_DIR, { recursive: true });
    const file = join(RESULTS_DIR, `logs-postgres-${report.date.replace(/[:.]/g, '-')}.json`);
    await writeFile(file, JSON.stringify(report, null, 2) + '\n');
    for (const r of [sqlite, postgres]) {
      console.log(`${r.store}: ingestion ${r.linesPerSecond} lines/s`);
      for (const f of r.filters) console.log(`  filter ${f.name}: ${f.matches} matches, median ${f.medianMs} ms (${f.runsMs.join(', ')})`);
    }
    console.log(`postgres/sqlite: ${JSON.stringify(report.postgresOverSqlite)}`);
    console.log(`results: ${relative(process.cwd(), file)}`);
    const invalid = sqlite.invalid ?? postgres.invalid;
    if (invalid) {
      console.error(`INVALID: ${invalid}`);
      process.exitCode = 1;
    }
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
