/**
 * What one alarm state change does to a policy's target: the proposal (target tracking or step
 * scaling arithmetic from plan/), then the decision (plan/decision.ts). Pure over the records and
 * the service's state, so that the executor only reads, decides and commits.
 */
import { decide, type Decision } from './plan/decision.js';
import { aggregate, selectStep, stepCapacity } from './plan/step-scaling.js';
import { scaleInCapacity, scaleOutCapacity } from './plan/target-tracking.js';
import { isHighAlarm } from './plan/tracking-alarms.js';
import type { AlarmStateChange, EcsServiceState } from './ports.js';
import type { PolicyRecord, TargetRecord } from './records.js';

/** Target tracking's cooldowns when the policy gives none (AWS's default for ECS). */
export const DEFAULT_COOLDOWN_SECONDS = 300;

/** The datapoints and threshold an alarm change carries, from its members or CloudWatch's reasonData. */
export function alarmReading(alarm: AlarmStateChange, policy: PolicyRecord): { values: number[]; threshold: number | undefined } {
  let values = alarm.metricValues;
  let threshold = alarm.threshold;
  if ((values === undefined || threshold === undefined) && alarm.reasonData !== undefined) {
    try {
      const data = JSON.parse(alarm.reasonData) as { recentDatapoints?: unknown; threshold?: unknown };
      if (values === undefined && Array.isArray(data.recentDatapoints)) values = data.recentDatapoints.filter((v): v is number => typeof v === 'number');
      if (threshold === undefined && typeof data.threshold === 'number') threshold = data.threshold;
    } catch {
      // Unreadable reason data is missing data: it never scales.
    }
  }
  threshold ??= policy.alarmSpecs.find((s) => s.AlarmName === alarm.name)?.Threshold;
  return { values: (values ?? []).filter((v) => Number.isFinite(v)), threshold };
}

/** An execution's outcome before it is committed: a decision, or nothing to decide and why. */
export type Execution = { decision: Decision; proposed: number; policyUpdate: Partial<PolicyRecord> } | { ignored: string };

/** Decides what `alarm` asks of `policy` on `target`, whose service is in `state` (`current`: its desired count, or one committed but not yet set). */
export function planExecution(
  target: TargetRecord,
  policy: PolicyRecord,
  siblings: readonly PolicyRecord[],
  alarm: AlarmStateChange,
  state: EcsServiceState,
  current: number,
  now: number,
): Execution {
  if (alarm.newState !== 'ALARM') return { ignored: `alarm in state ${alarm.newState}` };
  const { values, threshold } = alarmReading(alarm, policy);
  if (values.length === 0) return { ignored: 'missing data' };
  let proposed: number;
  let cooldownMs: number;
  let scaleInCooldownMs: number;
  let othersAgree = true;
  const sinceOut = policy.lastScaleOut;
  if (policy.PolicyType === 'TargetTrackingScaling') {
    const c = policy.TargetTrackingScalingPolicyConfiguration!;
    const metric = values[values.length - 1]!;
    cooldownMs = (c.ScaleOutCooldown ?? DEFAULT_COOLDOWN_SECONDS) * 1000;
    scaleInCooldownMs = (c.ScaleInCooldown ?? DEFAULT_COOLDOWN_SECONDS) * 1000;
    if (isHighAlarm(alarm.name)) {
      // In the scale-out cooldown, the capacity the last scale-out added counts as already there.
      const base = sinceOut && now < sinceOut.at + cooldownMs ? Math.min(sinceOut.from, current) : current;
      proposed = Math.max(current, scaleOutCapacity(base, metric, c.TargetValue));
    } else {
      if (c.DisableScaleIn === true) return { ignored: 'scale-in disabled' };
      proposed = scaleInCapacity(current, metric, c.TargetValue);
      // Scale in only when every target tracking policy that may scale in asks to.
      othersAgree = siblings.every((p) => {
        const cfg = p.TargetTrackingScalingPolicyConfiguration;
        if (p.PolicyType !== 'TargetTrackingScaling' || p.PolicyARN === policy.PolicyARN || cfg?.DisableScaleIn === true) return true;
        const low = p.alarmSpecs.find((s) => !isHighAlarm(s.AlarmName));
        return low !== undefined && p.alarmStates[low.AlarmName] === 'ALARM';
      });
    }
  } else {
    const c = policy.StepScalingPolicyConfiguration!;
    if (threshold === undefined) return { ignored: 'missing alarm threshold' };
    const step = selectStep(c.StepAdjustments ?? [], aggregate(values, c.MetricAggregationType) - threshold);
    if (!step) return { ignored: 'no step adjustment for the breach' };
    cooldownMs = scaleInCooldownMs = (c.Cooldown ?? DEFAULT_COOLDOWN_SECONDS) * 1000;
    const type = c.AdjustmentType ?? 'ChangeInCapacity';
    proposed = stepCapacity(type, step.ScalingAdjustment, current, c.MinAdjustmentMagnitude);
    if (proposed > current && sinceOut && now < sinceOut.at + cooldownMs && type !== 'ExactCapacity') {
      proposed = Math.max(current, stepCapacity(type, step.ScalingAdjustment, Math.min(sinceOut.from, current), c.MinAdjustmentMagnitude));
    }
  }
  const lastActivity = Math.max(policy.lastScaleInAt ?? -Infinity, policy.PolicyType === 'StepScaling' ? (sinceOut?.at ?? -Infinity) : -Infinity);
  const decision = decide({
    current,
    proposed,
    min: target.MinCapacity,
    max: target.MaxCapacity,
    now,
    dynamicInSuspended: target.SuspendedState.DynamicScalingInSuspended,
    dynamicOutSuspended: target.SuspendedState.DynamicScalingOutSuspended,
    deploymentInProgress: state.deploymentInProgress,
    ...(Number.isFinite(lastActivity) && { scaleInBlockedUntil: lastActivity + scaleInCooldownMs }),
    othersAgreeToScaleIn: othersAgree,
  });
  const policyUpdate: Partial<PolicyRecord> = !decision.scale
    ? {}
    : decision.direction === 'out'
      ? { lastScaleOut: { at: now, from: sinceOut && now < sinceOut.at + cooldownMs ? Math.min(sinceOut.from, current) : current } }
      : { lastScaleInAt: now };
  return { decision, proposed, policyUpdate };
}
