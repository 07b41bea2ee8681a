import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_POLICY, effectiveDeliveryPolicy, parseDeliveryPolicy, retrySchedule, type RetryPolicy } from './delivery-policy.js';

describe('retrySchedule', () => {
  it('is three retries 20 seconds apart by default, as SNS documents for HTTP/S', () => {
    expect(retrySchedule(DEFAULT_RETRY_POLICY)).toEqual([20, 20, 20]);
  });

  it('runs the four phases in order: immediate, pre-backoff, backoff from min to max, post-backoff', () => {
    const p: RetryPolicy = { minDelayTarget: 1, maxDelayTarget: 60, numRetries: 10, numNoDelayRetries: 2, numMinDelayRetries: 2, numMaxDelayRetries: 2, backoffFunction: 'linear' };
    expect(retrySchedule(p)).toEqual([0, 0, 1, 1, 1, 21, 40, 60, 60, 60]);
  });

  it('has numRetries delays, each within [0, maxDelayTarget], non-decreasing after the immediate phase', () => {
    const policy = fc
      .record({
        minDelayTarget: fc.integer({ min: 1, max: 100 }),
        span: fc.integer({ min: 0, max: 100 }),
        phases: fc.tuple(fc.nat(5), fc.nat(5), fc.nat(5), fc.nat(10)),
        backoffFunction: fc.constantFrom('linear', 'arithmetic', 'geometric', 'exponential' as const),
      })
      .map(({ minDelayTarget, span, phases: [no, min, max, backoff], backoffFunction }) => ({
        minDelayTarget,
        maxDelayTarget: minDelayTarget + span,
        numNoDelayRetries: no,
        numMinDelayRetries: min,
        numMaxDelayRetries: max,
        numRetries: no + min + max + backoff,
        backoffFunction,
      }));
    fc.assert(
      fc.property(policy, (p) => {
        const s = retrySchedule(p);
        expect(s).toHaveLength(p.numRetries);
        expect(s.slice(0, p.numNoDelayRetries).every((d) => d === 0)).toBe(true);
        const rest = s.slice(p.numNoDelayRetries);
        expect(rest.every((d) => d >= p.minDelayTarget && d <= p.maxDelayTarget)).toBe(true);
        for (let i = 1; i < rest.length; i++) expect(rest[i]!).toBeGreaterThanOrEqual(rest[i - 1]!);
      }),
    );
  });
});

describe('parseDeliveryPolicy', () => {
  it('fills what the policy leaves out with SNS\'s defaults', () => {
    expect(parseDeliveryPolicy('{"http":{"defaultHealthyRetryPolicy":{"numRetries":5,"minDelayTarget":1,"maxDelayTarget":2}}}')).toEqual({ ...DEFAULT_RETRY_POLICY, numRetries: 5, minDelayTarget: 1, maxDelayTarget: 2 });
    expect(parseDeliveryPolicy('{}')).toEqual(DEFAULT_RETRY_POLICY);
  });

  it.each([
    ['not json', 'not valid JSON'],
    ['{"http":{"defaultHealthyRetryPolicy":{"numRetries":-1}}}', 'non-negative'],
    ['{"http":{"defaultHealthyRetryPolicy":{"minDelayTarget":30,"maxDelayTarget":20}}}', 'minDelayTarget'],
    ['{"http":{"defaultHealthyRetryPolicy":{"numRetries":2,"numNoDelayRetries":3}}}', 'phases'],
    ['{"http":{"defaultHealthyRetryPolicy":{"backoffFunction":"random"}}}', 'backoffFunction'],
    ['{"http":{"defaultHealthyRetryPolicy":{"numRetries":100,"minDelayTarget":3600,"maxDelayTarget":3600}}}', '3600'],
  ])('refuses %s', (text, why) => {
    expect(() => parseDeliveryPolicy(text)).toThrow(why);
  });

  it('reports the effective policy in SNS\'s shape', () => {
    expect(JSON.parse(effectiveDeliveryPolicy())).toEqual({
      http: { defaultHealthyRetryPolicy: DEFAULT_RETRY_POLICY, disableSubscriptionOverrides: false, defaultRequestPolicy: { headerContentType: 'text/plain; charset=UTF-8' } },
    });
  });
});
