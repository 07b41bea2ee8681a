/**
 * Benchmark of CloudWatch metrics (`node --import tsx bench/metrics.ts`; needs `npx tsc -p
 * tsconfig.build.json`, since it runs `minato up` from dist/):
 *
 * - PutMetricData ingestion in process (MetricService.put: the datum rules and the SQLite store,
 *   one transaction per request) and through the real front door of a `minato up` child process,
 *   with the AWS SDK v3 client (Smithy RPC v2 CBOR, set on the client as later SDK versions
 *   default to it, uncompressed; then AWS JSON 1.0, this version's default, gzipped), four
 *   requests in flight. Every request carries 1,000 data of one value each over 100 metrics;
 *   target ≥ 100,000 datapoints/s. Afterwards every datum is counted back (GetMetricStatistics
 *   SampleCount through the API), so lost data fails the run.
 * - GetMetricData over 7 days of 1-minute data of 1,000 series (10,080,000 data, written to
 *   metrics.db through the store before the server starts), queried through the API with the
 *   SDK: two requests of 500 MetricStat queries (CloudWatch's limit), Average at a 1-hour period,
 *   168 values per series; target ≤ 1 s for the whole 1,000. Every value is checked.
 *
 * The figures are medians of BENCH_RUNS runs (default 3); BENCH_IN_PROCESS_ONLY=1 runs the
 * in-process part alone. Writes bench/results/metrics-<time>.json
 * and metrics-latest.json; exits 1 when the run is invalid (failed requests, lost or wrong data),
 * missed targets are reported, not fatal.
 */
import { CloudWatchClient, GetMetricDataCommand, GetMetricStatisticsCommand, PutMetricDataCommand, type MetricDatum } from '@aws-sdk/client-cloudwatch';
import { AwsSmithyRpcV2CborProtocol } from '@aws-sdk/core/protocols';
import os from 'node:os';
import { join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openMetricService } from '../src/metrics/metric-service.js';
import { SqliteMetricStore } from '../src/metrics/sqlite-metric-store.js';
import type { CheckedDatum } from '../src/metrics/datum-rules.js';
import { cpuSeconds } from './lib/host-state.js';
import { freshDataDir, killStragglers, removeDir, startServer } from './lib/server.js';
import { median, round } from './lib/stats.js';
import { machineInfo, target, targetLines, writeResults } from './lib/task-report.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const PER_REQUEST = 1000;
const METRICS_PER_REQUEST = 100;
const REQUESTS = Number(process.env.BENCH_PUT_REQUESTS ?? 200);
const IN_FLIGHT = 4;
const SERIES = 1000;
const MINUTES = 7 * 24 * 60;
const MIN = 60_000;

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const scope = (now: number) => ({ accountId: '000000000000', region: 'us-east-1', principalArn: 'arn:aws:iam::000000000000:root', now: new Date(now) });

/** The data of request `r` of a run: 1,000 values over 100 metrics, ten per metric, spread over the last minutes. */
function request(run: number, r: number, now: number): MetricDatum[] {
  const data: MetricDatum[] = [];
  for (let i = 0; i < PER_REQUEST; i++) {
    data.push({
      MetricName: 'Latency',
      Dimensions: [{ Name: 'Host', Value: `host-${i % METRICS_PER_REQUEST}` }, { Name: 'Run', Value: `run-${run}` }],
      Timestamp: new Date(now - ((r * 7 + i) % 600) * 1000),
      Value: (r * PER_REQUEST + i) % 997,
      Unit: 'Milliseconds',
    });
  }
  return data;
}

/** In process: MetricService.put of REQUESTS requests, each its own transaction, on a metrics.db on disk. */
async function ingestInProcess(run: number): Promise<{ datapointsPerSecond: number; datapointsPerCpuSecond: number; seconds: number }> {
  const dir = await freshDataDir();
  const metrics = openMetricService(join(dir, 'metrics.db'));
  try {
    const now = Date.now();
    const requests = Array.from({ length: REQUESTS }, (_, r) =>
      request(run, r, now).map((d) => ({ MetricName: d.MetricName!, Dimensions: d.Dimensions!.map((x) => ({ Name: x.Name!, Value: x.Value! })), Timestamp: d.Timestamp!.getTime() / 1000, Value: d.Value!, Unit: d.Unit! })),
    );
    const cpu = process.cpuUsage();
    const started = performance.now();
    for (const data of requests) await metrics.put(scope(now), { Namespace: 'Bench', MetricData: data });
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    // Per CPU second as well: on a shared machine the wall clock counts other processes' turns.
    const cpuSeconds = (used.user + used.system) / 1e6;
    return { datapointsPerSecond: Math.round((REQUESTS * PER_REQUEST) / seconds), datapointsPerCpuSecond: Math.round((REQUESTS * PER_REQUEST) / cpuSeconds), seconds: round(seconds, 3) };
  } finally {
    await metrics.close();
    await removeDir(dir);
  }
}

/** Through the front door: REQUESTS PutMetricData calls of the SDK, IN_FLIGHT at a time; then every datum counted back. */
async function ingestHttp(client: CloudWatchClient, serverPid: number, run: number, problems: string[]): Promise<{ datapointsPerSecond: number; datapointsPerServerCpuSecond: number; seconds: number }> {
  const now = Date.now();
  const requests = Array.from({ length: REQUESTS }, (_, r) => request(run, r, now));
  // One warm-up request (connection, first-call paths), not counted; its data are counted back below.
  await client.send(new PutMetricDataCommand({ Namespace: 'Bench', MetricData: requests[0] }));
  let next = 1;
  const serverCpu = (await cpuSeconds(serverPid)) ?? 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < REQUESTS) {
        const data = requests[next++]!;
        await client.send(new PutMetricDataCommand({ Namespace: 'Bench', MetricData: data }));
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  // The server's own CPU per datum too: the SDK client shares this machine's two CPUs with it.
  const serverSeconds = ((await cpuSeconds(serverPid)) ?? 0) - serverCpu;
  let counted = 0;
  for (let h = 0; h < METRICS_PER_REQUEST; h++) {
    const got = await client.send(
      new GetMetricStatisticsCommand({
        Namespace: 'Bench',
        MetricName: 'Latency',
        Dimensions: [{ Name: 'Host', Value: `host-${h}` }, { Name: 'Run', Value: `run-${run}` }],
        StartTime: new Date(now - 3600_000),
        EndTime: new Date(now + 60_000),
        Period: 3600,
        Statistics: ['SampleCount'],
      }),
    );
    counted += (got.Datapoints ?? []).reduce((s, p) => s + (p.SampleCount ?? 0), 0);
  }
  if (counted !== REQUESTS * PER_REQUEST) problems.push(`run ${run}: ${counted} of ${REQUESTS * PER_REQUEST} data counted back`);
  return {
    datapointsPerSecond: Math.round(((REQUESTS - 1) * PER_REQUEST) / seconds),
    datapointsPerServerCpuSecond: Math.round(((REQUESTS - 1) * PER_REQUEST) / serverSeconds),
    seconds: round(seconds, 3),
  };
}

/** The value of series `s` at minute `m` of the preload. */
const valueAt = (s: number, m: number) => (s * 31 + m * 7) % 101;

/** Writes 7 days of 1-minute data for SERIES series into `<dir>/metrics.db` through the store, in transactions of 10,000. */
async function preload(dir: string, end: number): Promise<number> {
  const store = new SqliteMetricStore(join(dir, 'metrics.db'));
  const started = performance.now();
  try {
    const start = end - MINUTES * MIN;
    let batch: CheckedDatum[] = [];
    for (let m = 0; m < MINUTES; m++) {
      for (let s = 0; s < SERIES; s++) {
        const v = valueAt(s, m);
        batch.push({
          metricName: 'CPU',
          dimensions: [{ Name: 'Series', Value: `s-${String(s).padStart(4, '0')}` }],
          timestamp: start + m * MIN,
          unit: 'Percent',
          storageResolution: 60,
          samples: { count: 1, sum: v, min: v, max: v, values: [[v, 1]] },
        });
        if (batch.length === 10_000) {
          await store.put('us-east-1', 'Series', batch, end);
          batch = [];
        }
      }
    }
    if (batch.length > 0) await store.put('us-east-1', 'Series', batch, end);
  } finally {
    await store.close();
  }
  return (performance.now() - started) / 1000;
}

/** One GetMetricData pass over the 1,000 series (two calls of 500 queries); checks every value against the preload. */
async function queryWeek(client: CloudWatchClient, end: number, problems: string[]): Promise<number> {
  const start = end - MINUTES * MIN;
  const started = performance.now();
  const calls = [0, 500].map((from) =>
    client.send(
      new GetMetricDataCommand({
        StartTime: new Date(start),
        EndTime: new Date(end),
        MetricDataQueries: Array.from({ length: 500 }, (_, k) => ({
          Id: `q${from + k}`,
          MetricStat: { Metric: { Namespace: 'Series', MetricName: 'CPU', Dimensions: [{ Name: 'Series', Value: `s-${String(from + k).padStart(4, '0')}` }] }, Period: 3600, Stat: 'Average' },
        })),
      }),
    ),
  );
  const answers = await Promise.all(calls);
  const seconds = (performance.now() - started) / 1000;
  let checked = 0;
  for (const answer of answers) {
    if (answer.NextToken) problems.push('GetMetricData answered a NextToken');
    for (const r of answer.MetricDataResults ?? []) {
      const s = Number(r.Id!.slice(1));
      const values = r.Values ?? [];
      if (values.length !== 168) {
        problems.push(`series ${s}: ${values.length} hourly values, not 168`);
        continue;
      }
      // Newest first: value k is hour 167 - k of the week.
      for (let k = 0; k < values.length; k++) {
        const hour = 167 - k;
        let sum = 0;
        for (let m = hour * 60; m < hour * 60 + 60; m++) sum += valueAt(s, m);
        if (Math.abs(values[k]! - sum / 60) > 1e-9) {
          problems.push(`series ${s}, hour ${hour}: ${values[k]} instead of ${sum / 60}`);
          break;
        }
      }
      checked++;
    }
  }
  if (checked !== SERIES) problems.push(`${checked} of ${SERIES} series answered`);
  return seconds;
}

/**
 * The SDK's CloudWatch client; with `cbor`, speaking Smithy RPC v2 CBOR as later SDK versions do
 * by default (this one defaults to AWS JSON 1.0). Records the protocol of every request sent.
 */
function clientOf(port: number, cbor: boolean, sent: Set<string>): CloudWatchClient {
  const client = new CloudWatchClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    credentials,
    maxAttempts: 1,
    // This SDK version, given the CBOR protocol, gzips the body but sends the uncompressed
    // Content-Length, so the request never ends: its CBOR requests go uncompressed here.
    ...(cbor && { protocol: AwsSmithyRpcV2CborProtocol, disableRequestCompression: true }),
  });
  client.middlewareStack.add(
    (next) => async (args) => {
      const headers = (args.request as { headers: Record<string, string> }).headers;
      sent.add(headers['smithy-protocol'] ?? headers['content-type'] ?? 'unknown');
      return next(args);
    },
    { step: 'finalizeRequest', name: 'recordProtocol' },
  );
  return client;
}

async function main(): Promise<void> {
  const startedAt = new Date().toISOString();
  const loadavgBefore = os.loadavg().map((n) => round(n, 2));
  const problems: string[] = [];

  const inProcess = [];
  for (let run = 0; run < RUNS; run++) inProcess.push(await ingestInProcess(run));
  console.log(`PutMetricData in process: ${inProcess.map((r) => r.datapointsPerSecond).join(', ')} datapoints/s (${inProcess.map((r) => r.datapointsPerCpuSecond).join(', ')} per CPU second)`);
  // BENCH_IN_PROCESS_ONLY=1: the in-process figures only (no server, nothing written).
  if (process.env.BENCH_IN_PROCESS_ONLY === '1') return;

  const http = [];
  const httpJson = [];
  let preloadSeconds = 0;
  const queries: number[] = [];
  const dir = await freshDataDir();
  try {
    // The week of data goes in through the store before the server opens metrics.db.
    const end = Math.floor(Date.now() / 3600_000) * 3600_000;
    preloadSeconds = await preload(dir, end);
    console.log(`preload: ${SERIES * MINUTES} data in ${round(preloadSeconds, 1)} s`);
    const server = await startServer(dir);
    const cborSent = new Set<string>();
    const jsonSent = new Set<string>();
    const client = clientOf(server.port, true, cborSent);
    const jsonClient = clientOf(server.port, false, jsonSent);
    try {
      for (let run = 0; run < RUNS; run++) http.push(await ingestHttp(client, server.pid, run, problems));
      console.log(`PutMetricData through the front door, CBOR: ${http.map((r) => r.datapointsPerSecond).join(', ')} datapoints/s (${http.map((r) => r.datapointsPerServerCpuSecond).join(', ')} per server CPU second)`);
      for (let run = 0; run < RUNS; run++) httpJson.push(await ingestHttp(jsonClient, server.pid, RUNS + run, problems));
      console.log(`PutMetricData through the front door, JSON 1.0: ${httpJson.map((r) => r.datapointsPerSecond).join(', ')} datapoints/s (${httpJson.map((r) => r.datapointsPerServerCpuSecond).join(', ')} per server CPU second)`);
      for (let run = 0; run < RUNS; run++) queries.push(round(await queryWeek(client, end, problems), 3));
      console.log(`GetMetricData, 1,000 series x 7 days: ${queries.join(', ')} s`);
      if ([...cborSent].join() !== 'rpc-v2-cbor') problems.push(`the CBOR client sent ${[...cborSent].join(', ')}`);
      if ([...jsonSent].join() !== 'application/x-amz-json-1.0') problems.push(`the JSON client sent ${[...jsonSent].join(', ')}`);
    } finally {
      client.destroy();
      jsonClient.destroy();
      const code = await server.stop();
      if (code !== 0) problems.push(`minato up exited with code ${code}`);
    }
  } finally {
    await removeDir(dir);
  }

  const inProcessMedian = median(inProcess.map((r) => r.datapointsPerSecond));
  const httpMedian = median(http.map((r) => r.datapointsPerSecond));
  const queryMedian = median(queries);
  const targets = [
    target('PutMetricData through the front door (SDK v3 CBOR, 1,000 values a request, median)', httpMedian, 'datapoints/s', '>=', 100_000),
    target('PutMetricData through the front door, AWS JSON 1.0 (median)', median(httpJson.map((r) => r.datapointsPerSecond)), 'datapoints/s', '>=', 100_000),
    target('PutMetricData through the front door per server CPU second, CBOR (median)', median(http.map((r) => r.datapointsPerServerCpuSecond)), 'datapoints/CPU-s', '>=', 100_000),
    target('PutMetricData in process (MetricService.put, median)', inProcessMedian, 'datapoints/s', '>=', 100_000),
    target('PutMetricData in process per CPU second (median)', median(inProcess.map((r) => r.datapointsPerCpuSecond)), 'datapoints/CPU-s', '>=', 100_000),
    target('GetMetricData, 1,000 series x 7 days of 1-minute data, hourly Average (median)', queryMedian, 's', '<=', 1),
  ];
  const result = {
    name: 'metrics',
    startedAt,
    machine: machineInfo(),
    loadavgBefore,
    loadavgAfter: os.loadavg().map((n) => round(n, 2)),
    put: { requests: REQUESTS, perRequest: PER_REQUEST, inFlight: IN_FLIGHT, inProcess, httpCbor: http, httpJson },
    getMetricData: { series: SERIES, minutes: MINUTES, preloadSeconds: round(preloadSeconds, 1), periodSeconds: 3600, seconds: queries },
    targets,
    problems,
  };
  const file = await writeResults(result);
  console.log(targetLines(targets).join('\n'));
  console.log(`loadavg ${result.loadavgBefore.join(' ')} -> ${result.loadavgAfter.join(' ')}`);
  console.log(`results: ${relative(process.cwd(), file)}`);
  if (problems.length > 0) {
    console.error(`invalid run: ${problems.slice(0, 10).join('; ')}`);
    process.exitCode = 1;
  }
}

process.once('SIGINT', () => {
  killStragglers();
  process.exit(130);
});
await main().catch((err: unknown) => {
  killStragglers();
  console.error(err);
  process.exitCode = 1;
});
