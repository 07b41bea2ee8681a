import { afterEach, describe, expect, it, vi } from 'vitest';
import { HealthChecker, probeArgs, type Health } from './health-check.js';

afterEach(() => vi.useRealTimers());

describe('probeArgs', () => {
  it('runs CMD-SHELL through sh -c and CMD as given', () => {
    expect(probeArgs(['CMD-SHELL', 'curl -f localhost || exit 1'])).toEqual(['/bin/sh', '-c', 'curl -f localhost || exit 1']);
    expect(probeArgs(['CMD', 'test', '-f', '/ok'])).toEqual(['test', '-f', '/ok']);
  });
});

describe('HealthChecker', () => {
  it('turns HEALTHY on a success and UNHEALTHY after `retries` failures outside the start period', async () => {
    vi.useFakeTimers();
    const results = [0, 1, 1, 1, 0];
    const seen: Health[] = [];
    const checker = new HealthChecker(
      { command: ['CMD', 'x'], interval: 5, timeout: 2, retries: 3, startPeriod: 0 },
      async () => ({ exitCode: results.shift() ?? 0, timedOut: false }),
      (h) => seen.push(h),
      Date.now(),
    );
    checker.start();
    for (let i = 0; i < 5; i++) await vi.advanceTimersByTimeAsync(5000);
    checker.stop();
    expect(seen).toEqual(['HEALTHY', 'UNHEALTHY', 'HEALTHY']);
  });

  it('does not count failures inside the start period, and a timed-out probe fails', async () => {
    vi.useFakeTimers();
    const seen: Health[] = [];
    let calls = 0;
    const checker = new HealthChecker(
      { command: ['CMD', 'x'], interval: 5, timeout: 2, retries: 1, startPeriod: 12 },
      async () => {
        calls += 1;
        return { exitCode: 0, timedOut: true };
      },
      (h) => seen.push(h),
      Date.now(),
    );
    checker.start();
    await vi.advanceTimersByTimeAsync(10_000); // two probes inside the start period
    expect(seen).toEqual([]);
    await vi.advanceTimersByTimeAsync(5000); // the third, at 15 s, counts
    checker.stop();
    expect(calls).toBe(3);
    expect(seen).toEqual(['UNHEALTHY']);
  });
});
