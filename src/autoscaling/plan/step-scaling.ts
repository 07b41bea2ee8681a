/**
 * Step scaling, pure: which step adjustment a breach selects, and the capacity it asks for.
 * Bounds are relative to the alarm threshold (breach = metric − threshold). Above the threshold a
 * step's lower bound is inclusive and its upper bound exclusive; below it the reverse, as AWS
 * documents, so that a breach of exactly 0 belongs to the step that starts at 0.
 */

/** One step (a missing bound is infinite). */
export interface Step {
  MetricIntervalLowerBound?: number;
  MetricIntervalUpperBound?: number;
  ScalingAdjustment: number;
}

/** How an adjustment is read. */
export type AdjustmentType = 'ChangeInCapacity' | 'PercentChangeInCapacity' | 'ExactCapacity';

/** How the alarm's recent datapoints are reduced to the one value the steps are read against. */
export type MetricAggregationType = 'Average' | 'Minimum' | 'Maximum';

/** The step a breach falls in, if any. */
export function selectStep(steps: readonly Step[], breach: number): Step | undefined {
  return steps.find((s) => {
    const lo = s.MetricIntervalLowerBound ?? -Infinity;
    const hi = s.MetricIntervalUpperBound ?? Infinity;
    return breach >= 0 ? lo <= breach && breach < hi : lo < breach && breach <= hi;
  });
}

/** Why a set of steps is refused (AWS's ValidationException wording), or undefined when fine. */
export function stepsProblem(steps: readonly Step[]): string | undefined {
  if (steps.length === 0) return 'Step scaling policy must contain at least one step adjustment';
  const sorted = [...steps].sort((a, b) => (a.MetricIntervalLowerBound ?? -Infinity) - (b.MetricIntervalLowerBound ?? -Infinity));
  for (const s of sorted) {
    if (s.MetricIntervalLowerBound !== undefined && s.MetricIntervalUpperBound !== undefined && s.MetricIntervalLowerBound >= s.MetricIntervalUpperBound) {
      return 'Step adjustment upper bound must be greater than its lower bound';
    }
  }
  if (sorted.filter((s) => s.MetricIntervalLowerBound === undefined).length > 1) return 'Only one step adjustment can have an infinite lower bound';
  if (sorted.filter((s) => s.MetricIntervalUpperBound === undefined).length > 1) return 'Only one step adjustment can have an infinite upper bound';
  for (let i = 1; i < sorted.length; i++) {
    const prevHi = sorted[i - 1]!.MetricIntervalUpperBound ?? Infinity;
    const lo = sorted[i]!.MetricIntervalLowerBound ?? -Infinity;
    if (prevHi > lo) return 'Step adjustments must not overlap';
    if (prevHi < lo) return 'Step adjustments must not have gaps between them';
  }
  return undefined;
}

/** Reduces datapoints by the policy's aggregation (Average when unset). */
export function aggregate(values: readonly number[], how: MetricAggregationType = 'Average'): number {
  if (how === 'Minimum') return Math.min(...values);
  if (how === 'Maximum') return Math.max(...values);
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/**
 * A percent change in tasks, rounded as AWS rounds: above 1 down, between 0 and 1 up to 1, between
 * −1 and 0 to −1, below −1 towards zero; then raised to MinAdjustmentMagnitude when smaller.
 */
export function percentChange(current: number, percent: number, minMagnitude = 0): number {
  const x = (current * percent) / 100;
  let change = x > 1 ? Math.floor(x) : x > 0 ? 1 : x === 0 ? 0 : x > -1 ? -1 : Math.ceil(x);
  if (change !== 0 && Math.abs(change) < minMagnitude) change = Math.sign(change) * minMagnitude;
  return change;
}

/** The capacity a step's adjustment asks for, before the target's min/max. */
export function stepCapacity(type: AdjustmentType, adjustment: number, current: number, minMagnitude?: number): number {
  if (type === 'ExactCapacity') return adjustment;
  if (type === 'ChangeInCapacity') return current + adjustment;
  return current + percentChange(current, adjustment, minMagnitude);
}
