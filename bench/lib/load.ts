/** SigV4-signed ECS calls against the front door, one at a time (setup) or under autocannon load. */
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import autocannon from 'autocannon';
import { request } from 'node:http';

const TARGET_PREFIX = 'AmazonEC2ContainerServiceV20141113';
const DEFAULT_KEYS = { accessKeyId: 'test', secretAccessKey: 'test' };

/**
 * Where the calls go: a port on 127.0.0.1 signed with the default keys, or a host and port (a
 * bridge address agents in network namespaces also reach) with the keys that server was given,
 * since the default keys only serve loopback.
 */
export type Endpoint = number | { host: string; port: number; credentials?: { accessKeyId: string; secretAccessKey: string } };

const signers = new Map<string, SignatureV4>();
function target(to: Endpoint) {
  const { host, port, credentials } = typeof to === 'number' ? { host: '127.0.0.1', port: to, credentials: DEFAULT_KEYS } : { credentials: DEFAULT_KEYS, ...to };
  let signer = signers.get(credentials.accessKeyId);
  if (!signer) signers.set(credentials.accessKeyId, (signer = new SignatureV4({ credentials, region: 'us-east-1', service: 'ecs', sha256: Sha256 })));
  return { host, port, signer };
}

/** One ECS operation with a fixed body. */
export interface Call {
  operation: string;
  body: string;
}

/**
 * Signs the call once. The result is replayed unchanged for a whole run: the server accepts a signature
 * for 5 minutes either side of its x-amz-date, and it does not reject replays.
 */
export async function signedHeaders(to: Endpoint, call: Call): Promise<Record<string, string>> {
  const { host, port, signer } = target(to);
  const signed = await signer.sign({
    method: 'POST',
    protocol: 'http:',
    hostname: host,
    port,
    path: '/',
    query: {},
    headers: {
      host: `${host}:${port}`,
      'x-amz-target': `${TARGET_PREFIX}.${call.operation}`,
      'content-type': 'application/x-amz-json-1.1',
    },
    body: call.body,
  });
  return signed.headers;
}

/** Sends one signed call; resolves with the status and body (used for setup and to check the load request works). */
export async function send(to: Endpoint, call: Call): Promise<{ status: number; body: string }> {
  const headers = await signedHeaders(to, call);
  const { host, port } = target(to);
  return new Promise((resolve, reject) => {
    const req = request({ host, port, method: 'POST', path: '/', headers, timeout: 10_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${call.operation} timed out`)));
    req.on('error', reject);
    req.end(call.body);
  });
}

export interface LoadResult {
  operation: string;
  connections: number;
  seconds: number;
  requestsPerSecond: { mean: number; median: number };
  /** 2xx responses only, 1 ms resolution (autocannon's histogram). */
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  ok2xx: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  /** False when any request failed or answered non-2xx: the figures then do not describe the happy path. */
  clean: boolean;
}

/** A warm-up run (discarded), then a measured run, each with freshly signed headers. */
export async function load(to: Endpoint, call: Call, connections: number, seconds: number, warmupSeconds: number): Promise<LoadResult> {
  const { host, port } = target(to);
  const run = async (duration: number) =>
    autocannon({
      url: `http://${host}:${port}/`,
      method: 'POST',
      headers: await signedHeaders(to, call),
      body: call.body,
      connections,
      duration,
      timeout: 10,
    });
  await run(warmupSeconds);
  const r = await run(seconds);
  const statusCodes = Object.fromEntries(Object.entries(r.statusCodeStats).map(([code, s]) => [code, s.count]));
  return {
    operation: call.operation,
    connections,
    seconds,
    requestsPerSecond: { mean: r.requests.mean, median: r.requests.p50 },
    latencyMs: { p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, max: r.latency.max },
    ok2xx: r['2xx'],
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    statusCodes,
    clean: r.non2xx === 0 && r.errors === 0 && r.timeouts === 0 && r['2xx'] > 0,
  };
}
