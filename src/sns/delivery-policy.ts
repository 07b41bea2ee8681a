import { invalidParameter } from '../lib/errors.js';

/** The HTTP retry policy of a topic (DeliveryPolicy's `http.defaultHealthyRetryPolicy`). */
export interface RetryPolicy {
  readonly minDelayTarget: number;
  readonly maxDelayTarget: number;
  readonly numRetries: number;
  readonly numMaxDelayRetries: number;
  readonly numNoDelayRetries: number;
  readonly numMinDelayRetries: number;
  readonly backoffFunction: 'linear' | 'arithmetic' | 'geometric' | 'exponential';
}

/** SNS's default for HTTP/S endpoints: 3 retries, 20 seconds apart. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  minDelayTarget: 20,
  maxDelayTarget: 20,
  numRetries: 3,
  numMaxDelayRetries: 0,
  numNoDelayRetries: 0,
  numMinDelayRetries: 0,
  backoffFunction: 'linear',
};

/** The EffectiveDeliveryPolicy SNS reports for a topic without its own DeliveryPolicy. */
export function effectiveDeliveryPolicy(policy: RetryPolicy = DEFAULT_RETRY_POLICY): string {
  return JSON.stringify({
    http: {
      defaultHealthyRetryPolicy: policy,
      disableSubscriptionOverrides: false,
      defaultRequestPolicy: { headerContentType: 'text/plain; charset=UTF-8' },
    },
  });
}

const BACKOFFS = ['linear', 'arithmetic', 'geometric', 'exponential'] as const;
const COUNTS = ['numRetries', 'numMaxDelayRetries', 'numNoDelayRetries', 'numMinDelayRetries'] as const;

/**
 * Parses a topic's DeliveryPolicy attribute: its HTTP retry policy, SNS's defaults for what it
 * leaves out. Throws InvalidParameter for what SNS refuses (bounds of its documentation).
 */
export function parseDeliveryPolicy(text: string): RetryPolicy {
  const bad = (why: string) => invalidParameter(`Invalid parameter: DeliveryPolicy: ${why}`);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw bad('not valid JSON');
  }
  const http = (doc as { http?: unknown } | null)?.http;
  if (http === undefined) return DEFAULT_RETRY_POLICY;
  const given = (http as { defaultHealthyRetryPolicy?: Record<string, unknown> } | null)?.defaultHealthyRetryPolicy ?? {};
  const policy: Record<string, unknown> = { ...DEFAULT_RETRY_POLICY, ...given };
  for (const key of ['minDelayTarget', 'maxDelayTarget', ...COUNTS]) {
    const v = policy[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw bad(`${key} must be a non-negative integer`);
  }
  const p = policy as unknown as RetryPolicy;
  if (p.minDelayTarget < 1 || p.maxDelayTarget > 3600 || p.minDelayTarget > p.maxDelayTarget) throw bad('minDelayTarget must be between 1 and maxDelayTarget, maxDelayTarget at most 3600');
  if (p.numRetries > 100) throw bad('numRetries must be at most 100');
  if (p.numNoDelayRetries + p.numMinDelayRetries + p.numMaxDelayRetries > p.numRetries) throw bad('the retries of the phases must not exceed numRetries');
  if (!BACKOFFS.includes(p.backoffFunction)) throw bad(`backoffFunction must be one of ${BACKOFFS.join(', ')}`);
  // SNS's hard limit: an HTTP/S delivery is retried for at most an hour in all.
  if (retrySchedule(p).reduce((a, b) => a + b, 0) > 3600) throw bad('the total retry time must not exceed 3600 seconds');
  return p;
}

/**
 * The delays (seconds) before each retry, in order: SNS's four phases — immediate retries,
 * pre-backoff at minDelayTarget, backoff from min to max by the backoff function, post-backoff
 * at maxDelayTarget.
 */
export function retrySchedule(p: RetryPolicy): number[] {
  const delays: number[] = [];
  for (let i = 0; i < p.numNoDelayRetries; i++) delays.push(0);
  for (let i = 0; i < p.numMinDelayRetries; i++) delays.push(p.minDelayTarget);
  const backoff = p.numRetries - p.numNoDelayRetries - p.numMinDelayRetries - p.numMaxDelayRetries;
  for (let i = 1; i <= backoff; i++) delays.push(backoffDelay(p, i, backoff));
  for (let i = 0; i < p.numMaxDelayRetries; i++) delays.push(p.maxDelayTarget);
  return delays;
}

/** The i-th (1-based) of n backoff delays: from minDelayTarget up to maxDelayTarget. */
function backoffDelay(p: RetryPolicy, i: number, n: number): number {
  const span = p.maxDelayTarget - p.minDelayTarget;
  if (n === 1 || span === 0) return p.minDelayTarget;
  const x = (i - 1) / (n - 1);
  const shape = { linear: x, arithmetic: x * x, geometric: Math.pow(x, 3), exponential: (Math.pow(2, x * 10) - 1) / 1023 }[p.backoffFunction];
  return Math.round(p.minDelayTarget + span * shape);
}
