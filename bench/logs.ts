/**
 * Benchmark of CloudWatch Logs storage (`node --import tsx bench/logs.ts`): ingestion through the
 * in-process `appendEvents` path in batches of 1,000 lines, then FilterLogEvents over all stored
 * events with JSON, term and worst-case patterns — in process and through the front door with the
 * real SDK. Every stored line is counted afterwards and every filter's match count is checked
 * against the count known from generating the data, so a fast wrong answer fails the run.
 * Writes bench/results/logs-<timestamp>.json. Exits 1 when the run is invalid (lost lines, wrong
 * counts); missed targets are reported, not fatal, since they depend on the machine.
 *
 * BENCH_LOG_EVENTS sets the number of events (default 1,000,000).
 */
import { CloudWatchLogsClient, paginateFilterLogEvents } from '@aws-sdk/client-cloudwatch-logs';
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { logsService } from '../src/api/logs/logs-service.js';
import type { Scope } from '../src/lib/scope.js';
import { LogService, type InputLogEvent } from '../src/logstore/log-service.js';
import { SqliteLogStore } from '../src/logstore/sqlite-log-store.js';
import { buildFrontDoor, DEFAULT_BODY_LIMIT } from '../src/server/http-server.js';

// The SDK's notice about future Node versions is noise in benchmark output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const RESULTS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'results');
const EVENTS = boundedInt(process.env.BENCH_LOG_EVENTS, 1_000_000, 10_000, 10_000_000);
const BATCH = 1_000;
const STREAMS = 10;
const RUNS = 3;
const GROUP = '/bench/app';

function boundedInt(raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`expected an integer from ${min} to ${max}, got "${raw}"`);
  return n;
}

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/** The generated events, in batches, and how many events each benchmarked pattern must match. */
function generate(now: number) {
  const start = now - 55 * 60_000;
  const step = (50 * 60_000) / EVENTS; // spread over 50 minutes, in time order
  const types = ['InfoLog', 'DebugLog', 'WarnLog'];
  const expected = { errorLog: 0, slow: 0, errorLowUser: 0, path: 0 };
  const batches: InputLogEvent[][] = [];
  for (let b = 0; b * BATCH < EVENTS; b++) {
    const batch: InputLogEvent[] = [];
    for (let i = b * BATCH; i < Math.min(EVENTS, (b + 1) * BATCH); i++) {
      const error = i % 200 === 0; // 0.5% of events
      const latency = (i * 7919) % 1000;
      const user = i % 5000;
      const item = i % 777;
      if (error) expected.errorLog++;
      if (latency > 995) expected.slow++;
      if (error && user < 100) expected.errorLowUser++;
      if (item >= 770) expected.path++;
      const message = JSON.stringify({
        logType: error ? 'ErrorLog' : types[i % 3],
        requestId: `req-${i}`,
        latency,
        path: `/api/v1/items/${item}`,
        user: { id: user, name: `user${user}` },
      });
      batch.push({ timestamp: Math.floor(start + i * step), message });
    }
    batches.push(batch);
  }
  return { batches, expected };
}

interface FilterResult {
  name: string;
  pattern: string;
  via: 'in-process' | 'http+sdk';
  matches: number;
  expected: number;
  runsMs: number[];
  medianMs: number;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(os.tmpdir(), 'minato-bench-logs-'));
  const store = new SqliteLogStore(join(dir, 'logs.db'));
  const logs = new LogService(store);
  const now = Date.now();
  const scope: Scope = { accountId: '000000000000', region: 'us-east-1', principalArn: 'arn:aws:iam::000000000000:root', now: new Date(now) };
  const loadavgBefore = os.loadavg().map((n) => round(n, 2));
  let invalid = '';
  try {
    const { batches, expected } = generate(now);

    // Ingestion: every batch through appendEvents, as the awslogs driver calls it.
    const t0 = performance.now();
    for (const [b, batch] of batches.entries()) {
      await logs.appendEvents(scope, GROUP, `task/${b % STREAMS}`, batch, { createGroup: true });
    }
    const ingestMs = performance.now() - t0;
    const group = await logs.groups.require(scope, GROUP);
    let stored = 0;
    for (let s = 0; s < STREAMS; s++) stored += store.countEvents((await store.stream(group.id, `task/${s}`))!.id);
    if (stored !== EVENTS) invalid = `stored ${stored} of ${EVENTS} lines`;
    const linesPerSecond = Math.round(EVENTS / (ingestMs / 1000));

    const patterns = [
      { name: 'json-string', pattern: '{ $.logType = "ErrorLog" }', expected: expected.errorLog },
      { name: 'json-number', pattern: '{ $.latency > 995 }', expected: expected.slow },
      { name: 'json-and', pattern: '{ $.logType = "ErrorLog" && $.user.id < 100 }', expected: expected.errorLowUser },
      { name: 'term', pattern: 'ErrorLog', expected: expected.errorLog },
      // No prefilter can narrow a regex: every event is parsed in JavaScript.
      { name: 'json-regex (worst case)', pattern: '{ $.path = %items/77\\d$% }', expected: expected.path },
    ];
    const results: FilterResult[] = [];
    for (const p of patterns) {
      const runsMs: number[] = [];
      let matches = 0;
      for (let r = 0; r < RUNS; r++) {
        const t = performance.now();
        matches = 0;
        let nextToken: string | undefined;
        for (let page = 0; page < 10_000; page++) {
          const res = await logs.filterEvents(scope, { groupName: GROUP, pattern: p.pattern, ...(nextToken && { nextToken }) });
          matches += res.events.length;
          nextToken = res.nextToken;
          if (!nextToken) break;
        }
        runsMs.push(performance.now() - t);
      }
      if (matches !== p.expected) invalid ||= `${p.name}: ${matches} matches, expected ${p.expected}`;
      results.push({ ...p, via: 'in-process', matches, runsMs: runsMs.map((n) => round(n)), medianMs: round(median(runsMs)) });
    }

    // The same JSON filter through the front door, signed, with the real SDK and its paginator.
    const app = buildFrontDoor({
      accountId: '000000000000',
      credentials: new Map([['test', 'test']]),
      services: [logsService(logs)],
      logger: pino({ level: 'silent' }),
      bodyLimit: DEFAULT_BODY_LIMIT,
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const client = new CloudWatchLogsClient({
      endpoint: `http://127.0.0.1:${port}`,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    });
    try {
      const p = patterns[0]!;
      const runsMs: number[] = [];
      let matches = 0;
      for (let r = 0; r < RUNS; r++) {
        const t = performance.now();
        matches = 0;
        for await (const page of paginateFilterLogEvents({ client }, { logGroupName: GROUP, filterPattern: p.pattern })) {
          matches += page.events?.length ?? 0;
        }
        runsMs.push(performance.now() - t);
      }
      if (matches !== p.expected) invalid ||= `http ${p.name}: ${matches} matches, expected ${p.expected}`;
      results.push({ ...p, via: 'http+sdk', matches, runsMs: runsMs.map((n) => round(n)), medianMs: round(median(runsMs)) });
    } finally {
      client.destroy();
      await app.close();
    }

    const cpus = os.cpus();
    const jsonFilter = results.find((r) => r.name === 'json-string' && r.via === 'in-process')!;
    const report = {
      name: 'logs',
      date: new Date().toISOString(),
      machine: {
        cpus: cpus.length,
        cpuModel: cpus[0]?.model ?? 'unknown',
        totalMemoryMiB: Math.round(os.totalmem() / 2 ** 20),
        node: process.version,
        platform: `${os.platform()} ${os.release()}`,
      },
      loadavg: { before: loadavgBefore, after: os.loadavg().map((n) => round(n, 2)) },
      events: EVENTS,
      batchSize: BATCH,
      streams: STREAMS,
      ingestion: { ms: round(ingestMs), linesPerSecond, stored, lost: EVENTS - stored },
      filters: results,
      targets: [
        { name: 'ingestion via appendEvents', value: linesPerSecond, unit: 'lines/s', op: '>=', limit: 50_000, pass: linesPerSecond >= 50_000 },
        {
          name: `FilterLogEvents, JSON pattern, ${EVENTS.toLocaleString('en')} events (median of ${RUNS})`,
          value: jsonFilter.medianMs,
          unit: 'ms',
          op: '<=',
          limit: 1000,
          pass: jsonFilter.medianMs <= 1000,
        },
      ],
      ...(invalid && { invalid }),
    };
    await mkdir(RESULTS_DIR, { recursive: true });
    const file = join(RESULTS_DIR, `logs-${report.date.replace(/[:.]/g, '-')}.json`);
    await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);

    console.log(`machine: ${report.machine.cpus} x ${report.machine.cpuModel}, node ${report.machine.node}; loadavg ${report.loadavg.before.join(' ')} -> ${report.loadavg.after.join(' ')}`);
    console.log(`ingestion: ${EVENTS} lines in ${round(ingestMs)} ms = ${linesPerSecond} lines/s; stored ${stored}, lost ${EVENTS - stored}`);
    for (const r of results) {
      console.log(`filter ${r.via} ${r.name} ${JSON.stringify(r.pattern)}: ${r.matches} matches, median ${r.medianMs} ms (${r.runsMs.join(', ')})`);
    }
    for (const t of report.targets) console.log(`${t.pass ? 'PASS' : 'MISS'} ${t.name}: ${t.value} ${t.unit} (${t.op} ${t.limit})`);
    console.log(`results: ${relative(process.cwd(), file)}`);
  } finally {
    await logs.close();
    rmSync(dir, { recursive: true, force: true });
  }
  if (invalid) {
    console.error(`invalid run: ${invalid}`);
    process.exitCode = 1;
  }
}

await main();
