/**
 * CloudWatch's statistics over a set of samples, pure. A stored datum is a sample set: its count,
 * sum, minimum and maximum, and — when the raw values are known — the values with their counts,
 * which percentiles need. Everything here is exact arithmetic over those sets; no estimation.
 */

/** One stored datum: a statistic set, with its raw values when they are known. */
export interface SampleSet {
  readonly count: number;
  readonly sum: number;
  readonly min: number;
  readonly max: number;
  /** `[value, count]` pairs; absent for a statistic set whose values are not known. */
  readonly values?: ReadonlyArray<readonly [number, number]>;
}

/** The five basic statistics of CloudWatch, by their API names. */
export const BASIC_STATISTICS = ['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'] as const;
/** One of {@link BASIC_STATISTICS}. */
export type BasicStatistic = (typeof BASIC_STATISTICS)[number];

/** The statistics of a bucket of sample sets. */
export interface Aggregate {
  readonly sampleCount: number;
  readonly sum: number;
  readonly min: number;
  readonly max: number;
  /** All raw values with counts, sorted by value; undefined when any set lacks its values. */
  readonly values: ReadonlyArray<readonly [number, number]> | undefined;
}

/** Combines sample sets (at least one) into one aggregate. */
export function aggregate(sets: readonly SampleSet[]): Aggregate {
  let sampleCount = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  let values: Array<readonly [number, number]> | undefined = [];
  for (const s of sets) {
    sampleCount += s.count;
    sum += s.sum;
    if (s.min < min) min = s.min;
    if (s.max > max) max = s.max;
    if (values && s.values) values.push(...s.values);
    else values = undefined;
  }
  values?.sort((a, b) => a[0] - b[0]);
  return { sampleCount, sum, min, max, values };
}

/** A basic statistic of an aggregate. */
export function basicStatistic(agg: Aggregate, stat: BasicStatistic): number {
  switch (stat) {
    case 'SampleCount':
      return agg.sampleCount;
    case 'Average':
      return agg.sum / agg.sampleCount;
    case 'Sum':
      return agg.sum;
    case 'Minimum':
      return agg.min;
    case 'Maximum':
      return agg.max;
  }
}

// p0 to p100 with up to ten decimals, as CloudWatch writes percentile statistics.
const PERCENTILE = /^p(\d{1,2}(\.\d{1,10})?|100(\.0{1,10})?)$/;

/** The percentile a statistic name asks for (`p99.9` → 99.9), or undefined when it is not one. */
export function percentileOf(stat: string): number | undefined {
  return PERCENTILE.test(stat) ? Number(stat.slice(1)) : undefined;
}

/**
 * The `p`th percentile of an aggregate, or undefined when CloudWatch has none to give: a set
 * without raw values (a statistic set with SampleCount > 1 and Minimum ≠ Maximum), or a negative
 * value among the samples ("Percentile statistics are not available for metrics when any of the
 * metric values are negative numbers").
 *
 * The definition is nearest rank over the weighted samples, without interpolation: the smallest
 * sample value v such that the samples ≤ v weigh at least p% of the total. So p0 and p100 are the
 * minimum and the maximum, and every percentile is a value that was published. CloudWatch does
 * not document an interpolation, and its percentiles are reported as published values (they are
 * computed over its value histogram); nearest rank is the definition that keeps that property.
 */
export function percentile(agg: Aggregate, p: number): number | undefined {
  const values = agg.values;
  if (!values || values.length === 0 || agg.min < 0) return undefined;
  const total = values.reduce((acc, [, c]) => acc + c, 0);
  if (!(total > 0)) return undefined;
  if (p <= 0) return values[0]![0];
  const needed = (p / 100) * total;
  let seen = 0;
  for (const [v, c] of values) {
    seen += c;
    // A relative tolerance, so that float sums of counts do not skip the exact rank.
    if (seen >= needed * (1 - 1e-12)) return v;
  }
  return values[values.length - 1]![0];
}

/** Any statistic by name: a basic one or a percentile; undefined when there is no value. */
export function statistic(agg: Aggregate, stat: string): number | undefined {
  if ((BASIC_STATISTICS as readonly string[]).includes(stat)) return basicStatistic(agg, stat as BasicStatistic);
  const p = percentileOf(stat);
  return p === undefined ? undefined : percentile(agg, p);
}
