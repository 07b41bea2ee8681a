/**
 * Benchmark of the registry (`node --import tsx bench/registry.ts`): push and pull of 1 MB, 10 MB
 * and 100 MB blobs and small-manifest GETs at concurrency 1 and 10, side by side with CNCF
 * Distribution (Debian's `docker-registry`) on the same machine, and the resident memory of the
 * minato process while a 1 GiB blob streams in and out. Both registries run at once and take turns
 * case by case (the machine's background load drifts; turns keep the drift out of the ratios);
 * pulls are repeated and the median round counts. Records the load average before and after.
 * Writes bench/results/registry-<time>.json.
 *
 * Which minato it measures (bench/registry-targets.ts):
 * - default: a child process running bench/registry-serve.ts (the front door with the ECR API
 *   and the `/v2/` routes over a SQLite store: the registry part of `minato up`);
 * - `BENCH_MINATO=process`: `node bin/minato.js up`, what users run (`npm run build` first);
 * - `BENCH_REGISTRY_ENDPOINT=http://host:port` (+ `BENCH_REGISTRY_PID` for memory): a running one.
 * Credentials are test/test (Basic on `/v2/`, SigV4 for CreateRepository). `BENCH_QUICK=1` shrinks
 * the run to a smoke test.
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { Agent, request, type IncomingMessage } from 'node:http';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { minatoMode, startDistribution, startMinato, type Target } from './registry-targets.js';

// The SDK's notice about future Node versions is noise in benchmark output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const SELF = fileURLToPath(import.meta.url);
const RESULTS_DIR = join(dirname(SELF), 'results');
const QUICK = process.env.BENCH_QUICK === '1';
const MB = 1_000_000;
/** Blob sizes and how many blobs each concurrency level moves. */
const BLOB_CASES = QUICK
  ? [{ size: 1 * MB, ops: { 1: 4, 10: 10 } }]
  : [
      { size: 1 * MB, ops: { 1: 30, 10: 100 } },
      { size: 10 * MB, ops: { 1: 10, 10: 30 } },
      { size: 100 * MB, ops: { 1: 3, 10: 10 } },
    ];
const CONCURRENCY = [1, 10] as const;
const MANIFEST_SECONDS = QUICK ? 1 : 5;
/** Pull rounds per blob case (the median is reported): one round of big blobs lasts well under a second. */
const PULL_ROUNDS = QUICK ? 1 : 5;
const STREAM_BYTES = QUICK ? 64 * 2 ** 20 : 2 ** 30;
const RSS_SAMPLE_MS = 100;

interface Response {
  status: number;
  headers: IncomingMessage['headers'];
  bytes: number;
  body: Buffer;
}

// ---------------------------------------------------------------------------------------------
// HTTP

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

/** One request; the response body is counted, and kept only when `keep` (small bodies). */
function http(target: Target, method: string, path: string, body?: Buffer | Readable, headers: Record<string, string | number> = {}, keep = false): Promise<Response> {
  const url = new URL(path, target.base);
  return new Promise((resolve, reject) => {
    const req = request(
      { agent, host: url.hostname, port: url.port, method, path: url.pathname + url.search, headers: { ...(target.authorization && { authorization: target.authorization }), ...headers } },
      (res) => {
        let bytes = 0;
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          if (keep) chunks.push(chunk);
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (body instanceof Readable) body.pipe(req);
    else req.end(body);
  });
}

/** Blob content: a unique 32-byte header, then a shared pseudo-random MiB repeated; streamed, never held whole. */
const PATTERN = randomBytes(2 ** 20);
function blobStream(size: number, seed: string): Readable {
  const header = createHash('sha256').update(seed).digest();
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= size) return void this.push(null);
      const chunk = sent === 0 ? Buffer.concat([header, PATTERN]) : PATTERN;
      const piece = chunk.subarray(0, Math.min(chunk.length, size - sent));
      sent += piece.length;
      this.push(piece);
    },
  });
}

async function blobDigest(size: number, seed: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of blobStream(size, seed)) hash.update(chunk as Buffer);
  return `sha256:${hash.digest('hex')}`;
}

/** Monolithic upload: POST, then PUT ?digest= with the streamed body. */
async function pushBlob(target: Target, repo: string, size: number, seed: string, digest: string): Promise<void> {
  const start = await http(target, 'POST', `/v2/${repo}/blobs/uploads/`, undefined, { 'content-length': 0 });
  if (start.status !== 202) throw new Error(`${target.name}: POST upload answered ${start.status}`);
  const location = new URL(String(start.headers.location), target.base);
  location.searchParams.set('digest', digest);
  const put = await http(target, 'PUT', location.pathname + location.search, blobStream(size, seed), { 'content-type': 'application/octet-stream', 'content-length': size });
  if (put.status !== 201) throw new Error(`${target.name}: PUT upload answered ${put.status}`);
}

async function pullBlob(target: Target, repo: string, digest: string, size: number): Promise<void> {
  const res = await http(target, 'GET', `/v2/${repo}/blobs/${digest}`);
  if (res.status !== 200 || res.bytes !== size) throw new Error(`${target.name}: GET blob answered ${res.status} with ${res.bytes} of ${size} bytes`);
}

// ---------------------------------------------------------------------------------------------
// Measurements

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
const round = (n: number, digits = 1) => Number(n.toFixed(digits));

interface Timing {
  ops: number;
  seconds: number;
  opsPerSecond: number;
  megabytesPerSecond?: number;
  latencyMs: { p50: number; p99: number; max: number };
}

/** Runs `count` operations with `concurrency` workers; returns throughput and latency. */
async function timed(count: number, concurrency: number, op: (i: number) => Promise<void>, bytesPerOp?: number): Promise<Timing> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        const t = performance.now();
        await op(i);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    ops: count,
    seconds: round(seconds, 3),
    opsPerSecond: round(count / seconds),
    ...(bytesPerOp !== undefined && { megabytesPerSecond: round((count * bytesPerOp) / MB / seconds) }),
    latencyMs: { p50: round(percentile(latencies, 50)), p99: round(percentile(latencies, 99)), max: round(latencies[latencies.length - 1] ?? 0) },
  };
}

/** Manifest GETs for a fixed time with `concurrency` workers. */
async function manifestGets(target: Target, repo: string, concurrency: number): Promise<Timing> {
  const deadline = performance.now() + MANIFEST_SECONDS * 1000;
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const t = performance.now();
        const res = await http(target, 'GET', `/v2/${repo}/manifests/v1`, undefined, { accept: 'application/vnd.oci.image.manifest.v1+json' });
        if (res.status !== 200) throw new Error(`${target.name}: GET manifest answered ${res.status}`);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    ops: latencies.length,
    seconds: round(seconds, 3),
    opsPerSecond: round(latencies.length / seconds),
    latencyMs: { p50: round(percentile(latencies, 50), 2), p99: round(percentile(latencies, 99), 2), max: round(latencies[latencies.length - 1] ?? 0, 2) },
  };
}

/** `sync`: flushes the page cache to disk. */
function runSync(): Promise<void> {
  return new Promise((resolve) => spawn('sync', [], { stdio: 'ignore' }).once('exit', () => resolve()));
}

async function residentMiB(pid: number): Promise<number | undefined> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const kib = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
  return kib === undefined ? undefined : Number(kib) / 1024;
}

/** Samples the RSS of `pid` every 100 ms while `work` runs. */
async function sampleRss(pid: number | undefined, work: () => Promise<void>) {
  const samples: number[] = [];
  let running = true;
  const sampler = (async () => {
    while (running && pid !== undefined) {
      const rss = await residentMiB(pid);
      if (rss !== undefined) samples.push(round(rss));
      await sleep(RSS_SAMPLE_MS);
    }
  })();
  const before = pid === undefined ? undefined : await residentMiB(pid);
  const started = performance.now();
  try {
    await work();
  } finally {
    running = false;
    await sampler;
  }
  const seconds = (performance.now() - started) / 1000;
  const max = samples.length ? Math.max(...samples) : undefined;
  return {
    seconds: round(seconds, 2),
    megabytesPerSecond: round(STREAM_BYTES / MB / seconds),
    rssBeforeMiB: before === undefined ? undefined : round(before),
    rssMaxMiB: max,
    rssGrowthMiB: before === undefined || max === undefined ? undefined : round(max - before),
    samples: samples.length,
    // A thinned series, enough to see whether it stays flat.
    series: samples.filter((_, i) => i % Math.max(1, Math.ceil(samples.length / 40)) === 0),
  };
}

// ---------------------------------------------------------------------------------------------
// The run

type Targets = readonly [Target, Target];
type BlobCase = { size: number; concurrency: number; push: Timing; pull: Timing; pullRoundsMegabytesPerSecond: number[] };

/**
 * Both targets in turn on one blob case: push `count` unique blobs, then pull them all
 * `PULL_ROUNDS` times; the pull figure is the median round. Which target goes first alternates
 * from case to case, and each push starts with a clean page cache: the machine's background load
 * drifts over minutes, and interleaving keeps the drift out of the ratio.
 */
async function blobCase(targets: Targets, size: number, concurrency: number, count: number, first: number): Promise<Record<Target['name'], BlobCase>> {
  const out = {} as Record<Target['name'], BlobCase>;
  for (const target of first === 0 ? targets : [targets[1], targets[0]]) {
    const repo = `bench/blobs-${size}-${concurrency}`;
    await target.prepare(repo);
    const seeds = Array.from({ length: count }, (_, i) => `${target.name}-${size}-${concurrency}-${i}-${randomBytes(4).toString('hex')}`);
    const digests = await Promise.all(seeds.map((s) => blobDigest(size, s)));
    process.stdout.write(`  ${target.name} ${size / MB} MB x${concurrency}: push ${count}, pull ${count} x${PULL_ROUNDS}\n`);
    await runSync();
    const push = await timed(count, concurrency, (i) => pushBlob(target, repo, size, seeds[i]!, digests[i]!), size);
    const rounds: Timing[] = [];
    for (let r = 0; r < PULL_ROUNDS; r++) rounds.push(await timed(count, concurrency, (i) => pullBlob(target, repo, digests[i]!, size), size));
    const byRate = [...rounds].sort((a, b) => a.megabytesPerSecond! - b.megabytesPerSecond!);
    out[target.name] = { size, concurrency, push, pull: byRate[Math.floor(byRate.length / 2)]!, pullRoundsMegabytesPerSecond: rounds.map((t) => t.megabytesPerSecond!) };
  }
  return out;
}

/** Stores a small image (`bench/manifest:v1`) for the manifest GETs. */
async function putSmallImage(target: Target): Promise<void> {
  await target.prepare('bench/manifest');
  const config = '{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}';
  const configDigest = `sha256:${createHash('sha256').update(config).digest('hex')}`;
  const start = await http(target, 'POST', `/v2/bench/manifest/blobs/uploads/?digest=${configDigest}`, Buffer.from(config), { 'content-length': config.length });
  if (start.status !== 201 && start.status !== 202) throw new Error(`${target.name}: config upload answered ${start.status}`);
  if (start.status === 202) {
    const location = new URL(String(start.headers.location), target.base);
    location.searchParams.set('digest', configDigest);
    await http(target, 'PUT', location.pathname + location.search, Buffer.from(config), { 'content-length': config.length });
  }
  const manifest = JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: config.length }, layers: [] });
  const put = await http(target, 'PUT', '/v2/bench/manifest/manifests/v1', Buffer.from(manifest), { 'content-type': 'application/vnd.oci.image.manifest.v1+json' });
  if (put.status !== 201) throw new Error(`${target.name}: manifest PUT answered ${put.status}`);
}

/** A 1 GiB blob in and out of one target while its resident memory is sampled. */
async function stream(target: Target) {
  await target.prepare('bench/stream');
  const seed = `${target.name}-stream-${randomBytes(4).toString('hex')}`;
  const digest = await blobDigest(STREAM_BYTES, seed);
  process.stdout.write(`  ${target.name}: ${STREAM_BYTES / 2 ** 20} MiB stream in and out, sampling RSS\n`);
  // Earlier phases leave gigabytes of dirty pages; flushing them first keeps their writeback out of this figure.
  await runSync();
  const push = await sampleRss(target.pid, () => pushBlob(target, 'bench/stream', STREAM_BYTES, seed, digest));
  const pull = await sampleRss(target.pid, () => pullBlob(target, 'bench/stream', digest, STREAM_BYTES));
  return { bytes: STREAM_BYTES, push, pull };
}

async function measure(targets: Targets) {
  for (const target of targets) process.stdout.write(`${target.name} at ${target.base}\n`);
  await sleep(1000);
  const idle = await Promise.all(targets.map((t) => (t.pid === undefined ? undefined : residentMiB(t.pid))));
  const blobs = { minato: {} as Record<string, BlobCase>, distribution: {} as Record<string, BlobCase> };
  let turn = 0;
  for (const { size, ops } of BLOB_CASES) {
    for (const concurrency of CONCURRENCY) {
      const both = await blobCase(targets, size, concurrency, ops[concurrency], turn++ % 2);
      for (const name of ['minato', 'distribution'] as const) blobs[name][`${size / MB}MB/c${concurrency}`] = both[name];
    }
  }
  const manifests = { minato: {} as Record<string, Timing>, distribution: {} as Record<string, Timing> };
  for (const target of targets) await putSmallImage(target);
  for (const concurrency of CONCURRENCY) {
    for (const target of targets) {
      process.stdout.write(`  ${target.name}: manifest GET x${concurrency} for ${MANIFEST_SECONDS} s\n`);
      manifests[target.name][`c${concurrency}`] = await manifestGets(target, 'bench/manifest', concurrency);
    }
  }
  const result = (t: Target, i: number, streamed: Awaited<ReturnType<typeof stream>>) => ({
    base: t.base,
    idleRssMiB: idle[i] === undefined ? undefined : round(idle[i]!),
    blobs: blobs[t.name],
    manifests: manifests[t.name],
    stream: streamed,
  });
  const streamed = [await stream(targets[0]), await stream(targets[1])] as const;
  return { minato: result(targets[0], 0, streamed[0]), distribution: result(targets[1], 1, streamed[1]) };
}

type Measured = Awaited<ReturnType<typeof measure>>['minato'];

/** minato ÷ distribution for every throughput figure (above 1: minato is faster). */
function ratios(minato: Measured, distribution: Measured) {
  const out: Record<string, number> = {};
  for (const key of Object.keys(minato.blobs)) {
    const m = minato.blobs[key]!;
    const d = distribution.blobs[key]!;
    out[`push ${key}`] = round(m.push.megabytesPerSecond! / d.push.megabytesPerSecond!, 2);
    out[`pull ${key}`] = round(m.pull.megabytesPerSecond! / d.pull.megabytesPerSecond!, 2);
  }
  for (const key of Object.keys(minato.manifests)) out[`manifest GET ${key}`] = round(minato.manifests[key]!.opsPerSecond / distribution.manifests[key]!.opsPerSecond, 2);
  return out;
}

/** The 1, 5 and 15 minute load averages, rounded. */
const loadAverage = () => os.loadavg().map((n) => round(n, 2));

async function main(): Promise<void> {
  const startedAt = new Date();
  const mode = minatoMode();
  const cpus = os.cpus();
  const machine = { cpus: cpus.length, cpuModel: cpus[0]?.model ?? 'unknown', totalMemoryMiB: Math.round(os.totalmem() / 2 ** 20), node: process.version };
  process.stdout.write(`registry bench (${QUICK ? 'quick' : 'full'}), minato as: ${mode}\n`);
  const loadBefore = loadAverage();
  await runSync();
  const minato = await startMinato();
  let measured: Awaited<ReturnType<typeof measure>>;
  try {
    const distribution = await startDistribution();
    try {
      measured = await measure([minato, distribution]);
    } finally {
      await distribution.stop();
    }
  } finally {
    await minato.stop();
  }
  const result = {
    name: 'registry',
    startedAt: startedAt.toISOString(),
    quick: QUICK,
    minatoMeasured: mode,
    note: `client and both servers share this ${machine.cpus}-CPU machine; both servers run side by side and take turns case by case; pulls are the median of ${PULL_ROUNDS} rounds; blob content is unique per push; loopback HTTP`,
    machine,
    loadAverage: { before: loadBefore, after: loadAverage() },
    minato: measured.minato,
    distribution: measured.distribution,
    ratioMinatoToDistribution: ratios(measured.minato, measured.distribution),
  };
  await mkdir(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `registry-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
  await writeFile(file, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(result.ratioMinatoToDistribution, null, 2)}\n`);
  process.stdout.write(`stream RSS growth (MiB): minato push ${measured.minato.stream.push.rssGrowthMiB}, pull ${measured.minato.stream.pull.rssGrowthMiB}; distribution push ${measured.distribution.stream.push.rssGrowthMiB}, pull ${measured.distribution.stream.pull.rssGrowthMiB}\n`);
  process.stdout.write(`load average (1/5/15 min): before ${loadBefore.join(' ')}, after ${result.loadAverage.after.join(' ')}\n`);
  process.stdout.write(`results: ${file}\n`);
}

await main();
agent.destroy();
