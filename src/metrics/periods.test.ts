import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { alignedStart, bucketOf, checkDatapointLimit, checkPeriod, retainedAt, timeGrid } from './periods.js';

const now = new Date('2026-12-06T12:00:00Z');
const HOUR = 3600_000;
const DAY = 24 * HOUR;

describe('periods and retention', () => {
  it('accepts 1, 5, 10, 20, 30 and multiples of 60 only', () => {
    for (const ok of [1, 5, 10, 20, 30, 60, 120, 300, 86400]) expect(() => checkPeriod(ok)).not.toThrow();
    for (const bad of [2, 15, 45, 61, 90]) expect(() => checkPeriod(bad)).toThrow(/Period must be 1, 5, 10, 20, 30, or a multiple of 60/);
  });

  it('rounds the start down as CloudWatch does for its age', () => {
    const t = Date.parse('2026-12-06T11:32:34.500Z');
    expect(new Date(alignedStart(t, 60, now)).toISOString()).toBe('2026-12-06T11:32:00.000Z');
    expect(new Date(alignedStart(t, 10, now)).toISOString()).toBe('2026-12-06T11:32:30.000Z');
    expect(alignedStart(now.getTime() - 20 * DAY - 7 * 60_000, 300, now) % (5 * 60_000)).toBe(0);
    expect(alignedStart(now.getTime() - 70 * DAY - 7 * 60_000, 3600, now) % HOUR).toBe(0);
  });

  it('refuses more than 1,440 datapoints in CloudWatch words', () => {
    const start = now.getTime() - DAY;
    expect(() => checkDatapointLimit(timeGrid(start, start + 1440 * 60_000, 60, now))).not.toThrow();
    expect(() => checkDatapointLimit(timeGrid(start, start + 1441 * 60_000, 60, now))).toThrow(
      'You have requested up to 1,441 datapoints, which exceeds the limit of 1,440. You may reduce the datapoints requested by increasing Period, or decreasing the time range.',
    );
    expect(() => timeGrid(start, start, 60, now)).toThrow(/StartTime must be less than/);
  });

  it('answers old buckets only at periods as coarse as the data kept for their age', () => {
    expect(retainedAt(now.getTime() - 2 * HOUR, 1, now)).toBe(true);
    expect(retainedAt(now.getTime() - 4 * HOUR, 1, now)).toBe(false);
    expect(retainedAt(now.getTime() - 4 * HOUR, 60, now)).toBe(true);
    expect(retainedAt(now.getTime() - 20 * DAY, 60, now)).toBe(false);
    expect(retainedAt(now.getTime() - 20 * DAY, 300, now)).toBe(true);
    expect(retainedAt(now.getTime() - 100 * DAY, 300, now)).toBe(false);
    expect(retainedAt(now.getTime() - 100 * DAY, 3600, now)).toBe(true);
    expect(retainedAt(now.getTime() - 456 * DAY, 3600, now)).toBe(false);
  });

  it('puts every timestamp of the range in the bucket that starts at or before it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 86_400_000 }), fc.constantFrom(1, 5, 60, 300), (offset, period) => {
        const grid = timeGrid(now.getTime() - DAY, now.getTime(), period, now);
        const t = grid.start + offset;
        const b = bucketOf(grid, t);
        if (t >= grid.end) {
          expect(b).toBe(-1);
        } else {
          const start = grid.start + b * grid.periodMs;
          expect(start <= t && t < start + grid.periodMs).toBe(true);
        }
      }),
    );
  });
});
