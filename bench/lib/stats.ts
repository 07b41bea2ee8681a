/** Summaries of timing samples, rounded for reports. */

/** Order statistics of a sample, in the sample's unit (ms in the benchmarks). */
export interface Summary {
  n: number;
  min: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

/** Rounds to `digits` decimals (0.1 ms by default): finer digits are noise on a shared machine. */
export const round = (n: number, digits = 1): number => Number(n.toFixed(digits));

/**
 * The nearest-rank percentile of sorted values: the smallest value with at least q of the sample at
 * or below it (so the p99 of 50 samples is the largest, not an interpolation past it).
 */
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) throw new Error('percentile of an empty sample');
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1]!;
}

/** The median (mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of an empty sample');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** min, p50 (the median), p90, p99, max and mean of a non-empty sample. */
export function summarize(values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const mean = sorted.reduce((s, v) => s + v, 0) / sorted.length;
  return {
    n: sorted.length,
    min: round(sorted[0]!),
    p50: round(median(sorted)),
    p90: round(percentile(sorted, 0.9)),
    p99: round(percentile(sorted, 0.99)),
    max: round(sorted.at(-1)!),
    mean: round(mean),
  };
}

/** {@link summarize}, or undefined for an empty sample (a phase that produced nothing). */
export function summarizeOrNone(values: readonly number[]): Summary | undefined {
  return values.length === 0 ? undefined : summarize(values);
}
