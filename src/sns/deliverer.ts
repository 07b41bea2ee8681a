import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Store } from '../store/store.js';
import { retrySchedule, type RetryPolicy } from './delivery-policy.js';

/** One message on its way to one endpoint; persisted until it is delivered or given up. */
export interface PendingDelivery {
  readonly id: string;
  readonly endpoint: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly policy: RetryPolicy;
  /** Attempts made so far. */
  readonly attempts: number;
  /** Epoch ms of the next attempt. */
  readonly dueAt: number;
}

export const DELIVERIES = 'sns-deliveries';

/** How long an endpoint may take to answer before the attempt counts as failed (SNS: 15 s). */
const ATTEMPT_TIMEOUT_MS = 15_000;

export interface DelivererOptions {
  /** Milliseconds per second of the retry policy's delays; tests shorten them. */
  readonly delayUnitMs?: number;
  readonly onError?: (err: unknown, delivery: PendingDelivery) => void;
  readonly now?: () => number;
}

/**
 * Posts messages to HTTP/S endpoints with the topic's retry policy. Each delivery is written to
 * the store before its first attempt and after each failure, so a restart resumes what was
 * pending (`start`). A 2xx answer delivers; anything else, or no answer, is retried.
 */
export class Deliverer {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly running = new Set<Promise<void>>();
  private stopped = false;
  private readonly unit: number;
  private readonly now: () => number;

  constructor(
    private readonly store: Store,
    private readonly options: DelivererOptions = {},
  ) {
    this.unit = options.delayUnitMs ?? 1000;
    this.now = options.now ?? Date.now;
  }

  /** Schedules every delivery a previous run left pending. */
  async start(): Promise<void> {
    for (const { value } of await this.store.collection<PendingDelivery>(DELIVERIES).list()) this.schedule(value);
  }

  /** Persists a new delivery, then attempts it at once. */
  async enqueue(d: Omit<PendingDelivery, 'attempts' | 'dueAt'>): Promise<void> {
    const delivery: PendingDelivery = { ...d, attempts: 0, dueAt: this.now() };
    await this.store.collection<PendingDelivery>(DELIVERIES).put(delivery.id, delivery);
    this.schedule(delivery);
  }

  /** Stops attempting; pending deliveries stay in the store for the next start. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    await Promise.allSettled([...this.running]);
  }

  private schedule(d: PendingDelivery): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.timers.delete(d.id);
      const run = this.attempt(d).catch((err: unknown) => this.options.onError?.(err, d));
      this.running.add(run);
      void run.finally(() => this.running.delete(run));
    }, Math.max(0, d.dueAt - this.now()));
    this.timers.set(d.id, timer);
  }

  private async attempt(d: PendingDelivery): Promise<void> {
    const ok = await post(d.endpoint, d.headers, d.body).then(
      (status) => status >= 200 && status < 300,
      () => false,
    );
    const deliveries = this.store.collection<PendingDelivery>(DELIVERIES);
    const delays = retrySchedule(d.policy);
    if (ok || d.attempts >= delays.length) {
      // Delivered, or out of retries: SNS discards the message (no dead-letter queue here).
      await deliveries.delete(d.id);
      return;
    }
    const next: PendingDelivery = { ...d, attempts: d.attempts + 1, dueAt: this.now() + delays[d.attempts]! * this.unit };
    await deliveries.put(d.id, next);
    this.schedule(next);
  }
}

/** One POST; resolves with the status code. */
function post(endpoint: string, headers: Readonly<Record<string, string>>, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const url = new URL(endpoint);
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(url, { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, timeout: ATTEMPT_TIMEOUT_MS }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('the endpoint did not answer in time')));
    req.on('error', reject);
    req.end(body);
  });
}
