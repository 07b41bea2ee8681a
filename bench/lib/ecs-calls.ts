/**
 * The ECS task calls the task benchmark makes, as raw SigV4-signed requests (load.ts's `send`): a
 * thin client keeps the benchmark's own CPU use small on a machine it shares with the server.
 */
import { send, type Endpoint } from './load.js';

/** The fields of a wire Task the benchmark reads; timestamps are epoch seconds, as ECS sends them. */
export interface WireTask {
  taskArn: string;
  lastStatus: string;
  desiredStatus?: string;
  createdAt?: number;
  connectivityAt?: number;
  pullStartedAt?: number;
  pullStoppedAt?: number;
  startedAt?: number;
  stoppingAt?: number;
  executionStoppedAt?: number;
  stoppedAt?: number;
  stopCode?: string;
  stoppedReason?: string;
  containers?: { name?: string; lastStatus?: string; exitCode?: number; reason?: string }[];
}

/** A failure entry of RunTask or DescribeTasks. */
export interface WireFailure {
  arn?: string;
  reason?: string;
  detail?: string;
}

/** DescribeTasks takes at most this many tasks per call. */
export const DESCRIBE_BATCH = 100;

/** Sends one call and parses its answer; anything but 200 is an error carrying the body. */
export async function call<T>(port: Endpoint, operation: string, input: object): Promise<T> {
  const res = await send(port, { operation, body: JSON.stringify(input) });
  if (res.status !== 200) throw new Error(`${operation} answered ${res.status}: ${res.body.slice(0, 500)}`);
  return JSON.parse(res.body) as T;
}

/** RunTask with the given request. */
export function runTask(port: Endpoint, input: object): Promise<{ tasks: WireTask[]; failures: WireFailure[] }> {
  return call(port, 'RunTask', input);
}

/** StopTask of one task. */
export function stopTask(port: Endpoint, cluster: string, taskArn: string, reason = 'benchmark done'): Promise<{ task: WireTask }> {
  return call(port, 'StopTask', { cluster, task: taskArn, reason });
}

/** DescribeTasks of any number of tasks, in batches of {@link DESCRIBE_BATCH}; MISSING ones are left out. */
export async function describeTasks(port: Endpoint, cluster: string, taskArns: readonly string[]): Promise<WireTask[]> {
  const out: WireTask[] = [];
  for (let i = 0; i < taskArns.length; i += DESCRIBE_BATCH) {
    const res = await call<{ tasks: WireTask[] }>(port, 'DescribeTasks', { cluster, tasks: taskArns.slice(i, i + DESCRIBE_BATCH) });
    out.push(...res.tasks);
  }
  return out;
}

/** Epoch seconds (the wire form) to epoch milliseconds. */
export const ms = (seconds: number | undefined): number | undefined => (seconds === undefined ? undefined : seconds * 1000);

/**
 * Runs `fn` over `items` with at most `concurrency` calls in flight (the benchmark's "callers"),
 * in order of the items; resolves with the results in the same order. The first error is thrown
 * once the calls under way have settled.
 */
export async function inPool<T, R>(items: readonly T[], concurrency: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  const errors: unknown[] = [];
  let next = 0;
  const caller = async () => {
    while (next < items.length && errors.length === 0) {
      const i = next++;
      try {
        results[i] = await fn(items[i]!, i);
      } catch (err) {
        errors.push(err);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, caller));
  if (errors.length > 0) throw errors[0];
  return results;
}
