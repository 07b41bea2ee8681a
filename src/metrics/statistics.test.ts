import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aggregate, percentile, percentileOf, statistic, type SampleSet } from './statistics.js';

/** A sample set of raw values with integer counts, as PutMetricData's Values and Counts make it. */
const sampleSet = fc
  .array(fc.tuple(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 1, max: 5 })), { minLength: 1, maxLength: 20 })
  .map((pairs): SampleSet => ({
    count: pairs.reduce((a, [, c]) => a + c, 0),
    sum: pairs.reduce((a, [v, c]) => a + v * c, 0),
    min: Math.min(...pairs.map(([v]) => v)),
    max: Math.max(...pairs.map(([v]) => v)),
    values: pairs,
  }));

/** Every sample, one array element per count. */
const expand = (sets: readonly SampleSet[]) => sets.flatMap((s) => s.values!.flatMap(([v, c]) => Array<number>(c).fill(v))).sort((a, b) => a - b);

describe('statistics', () => {
  it('equal the brute-force values over every sample', () => {
    fc.assert(
      fc.property(fc.array(sampleSet, { minLength: 1, maxLength: 8 }), (sets) => {
        const all = expand(sets);
        const agg = aggregate(sets);
        expect(statistic(agg, 'SampleCount')).toBe(all.length);
        expect(statistic(agg, 'Sum')).toBe(all.reduce((a, b) => a + b, 0));
        expect(statistic(agg, 'Minimum')).toBe(all[0]);
        expect(statistic(agg, 'Maximum')).toBe(all[all.length - 1]);
        expect(statistic(agg, 'Average')).toBeCloseTo(all.reduce((a, b) => a + b, 0) / all.length, 9);
      }),
    );
  });

  it('take percentiles by nearest rank: the smallest sample with at least p% of samples at or below it', () => {
    fc.assert(
      fc.property(fc.array(sampleSet, { minLength: 1, maxLength: 8 }), fc.integer({ min: 0, max: 1000 }), (sets, tenths) => {
        const p = tenths / 10;
        const all = expand(sets);
        const rank = Math.max(1, Math.ceil((p / 100) * all.length));
        expect(percentile(aggregate(sets), p)).toBe(all[rank - 1]);
      }),
    );
  });

  it('do not depend on how the samples were split into sets', () => {
    fc.assert(
      fc.property(fc.array(sampleSet, { minLength: 2, maxLength: 8 }), (sets) => {
        const merged: SampleSet = { ...aggregate(sets), count: aggregate(sets).sampleCount, values: aggregate(sets).values! };
        for (const stat of ['SampleCount', 'Sum', 'Minimum', 'Maximum', 'p50', 'p90', 'p99']) {
          expect(statistic(aggregate([merged]), stat)).toBe(statistic(aggregate(sets), stat));
        }
      }),
    );
  });

  it('give no percentile when a set lacks its values or a value is negative', () => {
    const summary: SampleSet = { count: 4, sum: 10, min: 1, max: 4 };
    expect(percentile(aggregate([summary]), 50)).toBeUndefined();
    expect(percentile(aggregate([{ count: 1, sum: -1, min: -1, max: -1, values: [[-1, 1]] }]), 50)).toBeUndefined();
    expect(statistic(aggregate([summary]), 'Sum')).toBe(10);
  });

  it('read percentile names from p0 to p100', () => {
    expect(percentileOf('p99')).toBe(99);
    expect(percentileOf('p99.9')).toBe(99.9);
    expect(percentileOf('p100')).toBe(100);
    expect(percentileOf('p0')).toBe(0);
    for (const bad of ['p101', 'P99', 'tm99', 'p', 'p-1', 'p99.']) expect(percentileOf(bad)).toBeUndefined();
  });
});
