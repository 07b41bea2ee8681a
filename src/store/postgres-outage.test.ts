import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isConnectionFailure, Outage } from './postgres-outage.js';

const withCode = (code: string, message = 'failed') => Object.assign(new Error(message), { code });

describe('isConnectionFailure', () => {
  it('names lost or refused connections, not failed statements', () => {
    for (const err of [
      withCode('ECONNREFUSED'),
      withCode('ECONNRESET'),
      withCode('57P01', 'terminating connection due to administrator command'),
      withCode('57P02'),
      withCode('57P03', 'the database system is starting up'),
      withCode('08006'),
      new Error('Connection terminated unexpectedly'),
      new Error('Connection terminated due to connection timeout'),
      new Error('Client has encountered a connection error and is not queryable'),
    ]) {
      expect([err.message, isConnectionFailure(err)]).toEqual([err.message, true]);
    }
    for (const err of [
      withCode('23505', 'duplicate key'),
      withCode('57014', 'canceling statement due to statement timeout'),
      withCode('40P01', 'deadlock detected'),
      new Error('timeout exceeded when trying to connect'),
      'ECONNREFUSED',
      undefined,
    ]) {
      expect(isConnectionFailure(err)).toBe(false);
    }
  });
});

describe('Outage', () => {
  const WAIT = 1_000;
  /** A step of a caller: time passes, then it fails its attempt-th time or succeeds. */
  const step = fc.record({ after: fc.integer({ min: 0, max: 1_500 }), attempt: fc.integer({ min: 1, max: 20 }), ok: fc.boolean() });

  it('pauses callers until the wait, counted from the first failure, is over; then they give up until the server answers', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        let now = 0;
        const outage = new Outage(WAIT, () => now);
        let since: number | undefined;
        let last = 0;
        for (const s of steps) {
          now += s.after;
          if (s.ok) {
            outage.recovered();
            since = undefined;
            continue;
          }
          if (since === undefined || now - last > WAIT) since = now;
          last = now;
          const pause = outage.failed(s.attempt);
          if (now >= since + WAIT) {
            expect(pause).toBeUndefined();
          } else {
            expect(pause).toBeGreaterThan(0);
            expect(pause).toBeLessThanOrEqual(1_000);
            expect(now + pause!).toBeLessThanOrEqual(since + WAIT);
          }
        }
      }),
    );
  });

  it('pauses longer with each attempt, up to a second', () => {
    const outage = new Outage(60_000, () => 0);
    expect([1, 2, 3, 4, 5, 6, 50].map((n) => outage.failed(n))).toEqual([50, 100, 200, 400, 800, 1_000, 1_000]);
  });

  it('retries lost connections, not other failures, and gives up for everyone once the wait is over', async () => {
    const outage = new Outage(150);
    let calls = 0;
    const flaky = () => (++calls < 3 ? Promise.reject(withCode('ECONNREFUSED')) : Promise.resolve('up'));
    await expect(outage.retry(flaky)).resolves.toBe('up');
    expect(calls).toBe(3);

    calls = 0;
    const wrong = withCode('23505');
    await expect(outage.retry(() => (calls++, Promise.reject(wrong)))).rejects.toBe(wrong);
    expect(calls).toBe(1);

    const down = withCode('ECONNREFUSED');
    const started = performance.now();
    await expect(outage.retry(() => Promise.reject(down))).rejects.toBe(down);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    // The next caller of the same outage is not made to wait again.
    calls = 0;
    await expect(outage.retry(() => (calls++, Promise.reject(down)))).rejects.toBe(down);
    expect(calls).toBe(1);
    // Once the server answers, the next outage has a wait of its own.
    await outage.retry(() => Promise.resolve());
    calls = 0;
    await expect(outage.retry(() => (calls++, Promise.reject(down)))).rejects.toBe(down);
    expect(calls).toBeGreaterThan(1);
  });
});
