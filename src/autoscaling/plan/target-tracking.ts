/**
 * Target tracking arithmetic, pure. Scale-out is proportional: the capacity that would bring the
 * metric back to its target if the load spread evenly, ceil(current × metric / target). Scale-in is
 * conservative: the same ratio rounded up (it keeps the spare task), and never more than a tenth of
 * the capacity (at least one task) at a time, so that a brief lull does not empty the service.
 */

/** The capacity a scale-out alarm asks for; at least one task more than now. */
export function scaleOutCapacity(current: number, metric: number, target: number): number {
  if (current === 0) return 1;
  return Math.max(current + 1, Math.ceil((current * metric) / target));
}

/** The capacity a scale-in alarm asks for; never more than now, never a big drop at once. */
export function scaleInCapacity(current: number, metric: number, target: number): number {
  const proportional = Math.ceil((current * metric) / target);
  const largestStep = Math.max(1, Math.floor(current / 10));
  return Math.min(current, Math.max(proportional, current - largestStep));
}

/** The scale-in alarm's threshold: 90 % of the target, as AWS sets it (two decimals kept exact). */
export const scaleInThreshold = (target: number): number => Math.round(target * 0.9 * 1e6) / 1e6;
