/**
 * Whether a proposed capacity is applied, pure: the target's min/max clamp, its suspended states,
 * an ECS deployment under way (scale-in waits for it), the policy's cooldowns, and the rule for
 * several policies: scale out when any asks, scale in only when all target tracking policies do.
 */

/** The direction of a change. */
export type Direction = 'out' | 'in';

/** What the decision looks at. */
export interface DecisionInput {
  current: number;
  proposed: number;
  min: number;
  max: number;
  now: number;
  dynamicInSuspended: boolean;
  dynamicOutSuspended: boolean;
  deploymentInProgress: boolean;
  /** Epoch ms until which this policy's scale-in waits (its cooldown), if any. */
  scaleInBlockedUntil?: number;
  /** False when another target tracking policy does not (yet) ask to scale in. */
  othersAgreeToScaleIn: boolean;
}

/** The outcome: a new desired count, or the reason nothing changes (AWS's NotScaledReason codes, and a few of minato's). */
export type Decision = { scale: true; desired: number; direction: Direction } | { scale: false; reason: string };

/** Decides one policy execution. */
export function decide(d: DecisionInput): Decision {
  const clamped = Math.min(d.max, Math.max(d.min, d.proposed));
  if (clamped === d.current) {
    if (d.proposed > d.current) return { scale: false, reason: 'AlreadyAtMaxCapacity' };
    if (d.proposed < d.current) return { scale: false, reason: 'AlreadyAtMinCapacity' };
    return { scale: false, reason: 'AlreadyAtDesiredCapacity' };
  }
  const direction: Direction = clamped > d.current ? 'out' : 'in';
  if (direction === 'out' && d.dynamicOutSuspended) return { scale: false, reason: 'DynamicScalingOutSuspended' };
  if (direction === 'in') {
    // A target below its min is raised by the clamp, never lowered further, so only a true scale-in gets here.
    if (d.dynamicInSuspended) return { scale: false, reason: 'DynamicScalingInSuspended' };
    if (d.deploymentInProgress) return { scale: false, reason: 'DeploymentInProgress' };
    if (d.scaleInBlockedUntil !== undefined && d.now < d.scaleInBlockedUntil) return { scale: false, reason: 'CooldownInProgress' };
    if (!d.othersAgreeToScaleIn) return { scale: false, reason: 'OtherPoliciesDoNotScaleIn' };
  }
  return { scale: true, desired: clamped, direction };
}

/** The capacity min/max imposes after a scheduled change of min/max (undefined: none). */
export function withinBounds(current: number, min: number, max: number): number | undefined {
  if (current < min) return min;
  if (current > max) return max;
  return undefined;
}
