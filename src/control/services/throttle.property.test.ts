import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reconcile } from './reconcile.js';
import { serviceFixture } from './service.fixtures.js';
import type { ServiceRecord } from './service.js';
import { isLive, type TaskView } from './task-view.js';
import { recordFailure, START_WINDOW_MS, throttleDelay, type ThrottleOptions, type ThrottleState } from './throttle.js';

const options = fc
  .record({ baseDelayMs: fc.integer({ min: 0, max: 60_000 }), extra: fc.integer({ min: 0, max: 30 * 60_000 }) })
  .map(({ baseDelayMs, extra }): ThrottleOptions => ({ baseDelayMs, maxDelayMs: baseDelayMs + extra }));

describe('the service throttle, properties', () => {
  it('never shrinks its delay while failures continue, and never exceeds the cap', () => {
    fc.assert(
      fc.property(
        options,
        // Each failure: how long after the previous one it is seen, and whether its task was created before the last count.
        fc.array(fc.record({ after: fc.integer({ min: 0, max: 3_600_000 }), earlier: fc.boolean() }), { minLength: 1, maxLength: 60 }),
        (o, failures) => {
          let state: ThrottleState | undefined;
          let now = 0;
          let lastDelay = 0;
          for (const f of failures) {
            now += f.after;
            const attemptAt = f.earlier && state ? state.countedAt - 1 : now;
            const before = state;
            state = recordFailure(state, 'd', attemptAt, now, o);
            const delay = state.retryAt - state.countedAt;
            expect(delay).toBeLessThanOrEqual(o.maxDelayMs);
            expect(delay).toBeGreaterThanOrEqual(lastDelay);
            // An attempt already counted changes nothing; a new one counts once.
            expect(state.failures).toBe(before && attemptAt < before.countedAt ? before.failures : (before?.failures ?? 0) + 1);
            lastDelay = delay;
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('launches no faster than its delays allow while tasks fail, and recovers once they start', () => {
    let recovered = 0;
    // Short delays, so that most runs also see the recovery.
    const short = fc
      .record({ baseDelayMs: fc.integer({ min: 500, max: 5_000 }), extra: fc.integer({ min: 0, max: 30_000 }) })
      .map(({ baseDelayMs, extra }): ThrottleOptions => ({ baseDelayMs, maxDelayMs: baseDelayMs + extra }));
    fc.assert(
      fc.property(
        short,
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.integer({ min: 200, max: 5_000 }), { minLength: 100, maxLength: 200 }),
        fc.integer({ min: 0, max: 60 }),
        (o, desired, gaps, fixedAtPercent) => {
          let s: ServiceRecord = serviceFixture({ desired });
          const d = s.deployments[0]!.id;
          const tasks: TaskView[] = [];
          let serial = 0;
          let now = 0;
          const fixedAt = gaps.slice(0, Math.floor((gaps.length * fixedAtPercent) / 100)).reduce((a, b) => a + b, 0);
          const attempts: number[] = [];
          for (const gap of gaps) {
            now += gap;
            const broken = now < fixedAt;
            // What happened since the last tick: pending tasks failed to start, or started.
            for (const t of tasks) {
              if (t.lastStatus !== 'PENDING') continue;
              if (broken) Object.assign(t, { lastStatus: 'STOPPED', desiredStatus: 'STOPPED', stopCode: 'TaskFailedToStart', stoppedAt: now });
              else Object.assign(t, { lastStatus: 'RUNNING', startedAt: now });
            }
            const held = s.scheduler.throttle && now < s.scheduler.throttle.retryAt;
            const r = reconcile({ service: s, tasks, instances: [], now, newDeploymentId: () => 'ecs-svc/0000000000000000009', throttle: o });
            const count = r.start.reduce((n, a) => n + a.count, 0);
            // Nothing is launched while the stored delay runs, whatever nudges the scheduler.
            if (held) expect(count).toBe(0);
            if (count > 0) attempts.push(now);
            for (let i = 0; i < count; i++) {
              const id = (++serial).toString(16).padStart(32, '0');
              tasks.push({
                taskArn: `arn:aws:ecs:us-east-1:000000000000:task/c/${id}`, taskId: id, startedBy: d, lastStatus: 'PENDING', desiredStatus: 'RUNNING',
                healthStatus: 'UNKNOWN', hasHealthCheck: false, createdAt: now,
              });
            }
            s = r.service;
          }
          // While broken, the k-th attempt comes at least the sum of the first k-1 delays after the first.
          const whileBroken = attempts.filter((a) => a < fixedAt);
          let floor = whileBroken[0] ?? 0;
          whileBroken.forEach((at, k) => {
            expect(at).toBeGreaterThanOrEqual(floor);
            floor = at + throttleDelay(k + 1, o);
          });
          // Once tasks start, the service gets its tasks within the longest delay, and the throttle ends once they stayed up.
          const last = fixedAt + o.maxDelayMs + START_WINDOW_MS + 3 * 5_000;
          if (now > last) {
            expect(tasks.filter(isLive)).toHaveLength(desired);
            expect(s.scheduler.throttle).toBeUndefined();
            recovered += 1;
          }
        },
      ),
      { numRuns: 300 },
    );
    expect(recovered).toBeGreaterThan(100);
  });
});
