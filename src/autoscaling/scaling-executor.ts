/**
 * Applies scaling: alarm-triggered policy executions (`executePolicy`, called by the alarm
 * evaluator) and due scheduled actions (`tick`, called by the scheduler loop). Every change follows
 * *persist the intent, then act*: the activity and the target's `pending` desired count (and, for a
 * scheduled run, the new min/max and the action's next due time) commit in one transaction, then the
 * ECS service is told, then the activity is finished. A crash in between leaves `pending`, which the
 * next tick carries out; a run due while the platform was down is found by its stored `nextRunAt`
 * and runs once, its next time computed from now.
 */
import { notFound } from '../lib/errors.js';
import { parseArn } from '../lib/arn.js';
import { rootPrincipal, type Scope } from '../lib/scope.js';
import { Mutex } from '../store/mutex.js';
import type { Store } from '../store/store.js';
import { finishActivity, recordActivity } from './activities.js';
import { withinBounds } from './plan/decision.js';
import { planExecution } from './policy-execution.js';
import type { AlarmStateChange, EcsServiceTarget } from './ports.js';
import { childKey, COLLECTIONS, ECS_DESIRED_COUNT, ecsService, targetKey, type PolicyRecord, type ScheduledActionRecord, type TargetRecord } from './records.js';
import { nextDue } from './scheduled-actions.js';

/** What an execution did. */
export interface ExecutionResult {
  outcome: 'scaled' | 'not-scaled' | 'ignored';
  /** Why nothing changed (a NotScaledReason code, or why the change was ignored). */
  reason?: string;
  /** The new desired count, when scaled. */
  desiredCount?: number;
  activityId?: string;
}

/** The NotScaledReason codes AWS records in a not scaled activity that minato can meet. */
const RECORDED_REASONS = new Set(['AlreadyAtMaxCapacity', 'AlreadyAtMinCapacity', 'AlreadyAtDesiredCapacity']);

const scopeOf = (t: TargetRecord, now: Date): Scope => ({ accountId: t.accountId, region: t.region, principalArn: rootPrincipal(t.accountId), now });

/** Carries out policy executions and scheduled runs, one at a time. */
export class ScalingExecutor {
  // Executions and scheduled runs read a service's count, then commit: one at a time, so none decides on a stale count.
  private readonly mutex = new Mutex();

  constructor(
    private readonly store: Store,
    private readonly ecs: EcsServiceTarget,
  ) {}

  /** Executes the policy an alarm names in its actions, for the alarm's new state. */
  executePolicy(scope: Scope, policyArn: string, alarm: AlarmStateChange): Promise<ExecutionResult> {
    return this.mutex.run(() => this.execute(scope, policyArn, alarm));
  }

  /** Runs the scheduled actions that are due and finishes changes committed but not yet applied. */
  tick(now: Date): Promise<void> {
    return this.mutex.run(async () => {
      await this.runDue(now);
      await this.applyPending(now);
    });
  }

  /** Carries out the committed change of desired count of one target, if any (after a registration moved min/max). */
  settle(now: Date, targetKey: string): Promise<void> {
    return this.mutex.run(() => this.applyPending(now, targetKey));
  }

  private async execute(scope: Scope, policyArn: string, alarm: AlarmStateChange): Promise<ExecutionResult> {
    const arn = parseArn(policyArn);
    const m = arn && /^scalingPolicy:[^:]+:resource\/ecs\/(.+):policyName\/(.+)$/.exec(arn.resource);
    if (!arn || !m) throw notFound('object', `No scaling policy found for ARN ${policyArn}`);
    const tKey = targetKey(arn.accountId, arn.region, ECS_DESIRED_COUNT, m[1]!);
    const pKey = childKey(tKey, m[2]!);
    const now = scope.now.getTime();
    // The alarm's state is remembered first: another policy's scale-in waits on it.
    const recorded = await this.store.transaction(async (tx) => {
      const policies = tx.collection<PolicyRecord>(COLLECTIONS.policies);
      const policy = await policies.get(pKey);
      if (!policy || policy.PolicyARN !== policyArn) return undefined;
      // A step policy learns its alarms from their executions; a target tracking policy owns its pair only.
      const known = policy.PolicyType === 'TargetTrackingScaling' || policy.Alarms.some((a) => a.AlarmName === alarm.name);
      const next: PolicyRecord = {
        ...policy,
        alarmStates: { ...policy.alarmStates, [alarm.name]: alarm.newState },
        Alarms: known ? policy.Alarms : [...policy.Alarms, { AlarmName: alarm.name, AlarmARN: alarm.arn }],
      };
      await policies.put(pKey, next);
      return next;
    });
    if (!recorded) throw notFound('object', `No scaling policy found for ARN ${policyArn}`);
    const target = await this.store.collection<TargetRecord>(COLLECTIONS.targets).get(tKey);
    const svc = ecsService(m[1]!);
    if (!target || !svc) return { outcome: 'ignored', reason: 'scalable target not registered' };
    const state = await this.ecs.describe(scopeOf(target, scope.now), svc.cluster, svc.service);
    if (!state) return { outcome: 'ignored', reason: 'ECS service not found' };
    const siblings = (await this.store.collection<PolicyRecord>(COLLECTIONS.policies).list({ prefix: `${tKey}#` })).map((r) => r.value);
    const current = target.pending?.desired ?? state.desiredCount;
    const plan = planExecution(target, recorded, siblings, alarm, state, current, now);
    if ('ignored' in plan) return { outcome: 'ignored', reason: plan.ignored };
    const cause = `monitor alarm ${alarm.name} in state ALARM triggered policy ${recorded.PolicyName}`;
    const { decision } = plan;
    // Only AWS's NotScaledReason codes are recorded as not scaled activities; a suspension, a
    // deployment, a cooldown or another policy's veto leave none, as on AWS.
    if (!decision.scale && !RECORDED_REASONS.has(decision.reason)) return { outcome: 'not-scaled', reason: decision.reason };
    const activity = await this.store.transaction(async (tx) => {
      const targets = tx.collection<TargetRecord>(COLLECTIONS.targets);
      const t = await targets.get(tKey);
      if (!t) return undefined;
      if (!decision.scale) {
        const clamped = Math.min(t.MaxCapacity, Math.max(t.MinCapacity, plan.proposed));
        return recordActivity(tx, t, now, {
          Description: 'Attempting to scale due to alarm triggered',
          Cause: cause,
          StatusCode: 'Failed',
          StatusMessage: `Failed to set desired count to ${clamped}`,
          EndTime: now,
          NotScaledReasons: [{ Code: decision.reason, MinCapacity: t.MinCapacity, MaxCapacity: t.MaxCapacity, CurrentCapacity: current }],
        });
      }
      const a = await recordActivity(tx, t, now, { Description: `Setting desired count to ${decision.desired}.`, Cause: cause, StatusCode: 'InProgress' });
      await targets.put(tKey, { ...t, pending: { activityId: a.ActivityId, desired: decision.desired } });
      const policies = tx.collection<PolicyRecord>(COLLECTIONS.policies);
      const p = await policies.get(pKey);
      if (p) await policies.put(pKey, { ...p, ...plan.policyUpdate });
      return a;
    });
    if (!activity) return { outcome: 'ignored', reason: 'scalable target not registered' };
    if (!decision.scale) return { outcome: 'not-scaled', reason: decision.reason, activityId: activity.ActivityId };
    await this.applyPending(scope.now, tKey);
    return { outcome: 'scaled', desiredCount: decision.desired, activityId: activity.ActivityId };
  }

  /** Runs each due scheduled action once and advances it past now. */
  private async runDue(now: Date): Promise<void> {
    const due = (await this.store.collection<ScheduledActionRecord>(COLLECTIONS.scheduled).list()).filter((r) => r.value.nextRunAt !== undefined && r.value.nextRunAt <= now.getTime());
    for (const { key, value: action } of due) {
      const target = await this.store.collection<TargetRecord>(COLLECTIONS.targets).get(action.targetKey);
      const svc = target && ecsService(target.ResourceId);
      const state = target && svc ? await this.ecs.describe(scopeOf(target, now), svc.cluster, svc.service) : undefined;
      await this.store.transaction(async (tx) => {
        const actions = tx.collection<ScheduledActionRecord>(COLLECTIONS.scheduled);
        const a = await actions.get(key);
        if (!a || a.nextRunAt !== action.nextRunAt) return;
        const { nextRunAt: _ran, ...rest } = a;
        const next = nextDue(a, now.getTime());
        await actions.put(key, next === undefined ? rest : { ...rest, nextRunAt: next });
        const targets = tx.collection<TargetRecord>(COLLECTIONS.targets);
        const t = await targets.get(a.targetKey);
        if (!t || t.SuspendedState.ScheduledScalingSuspended) return;
        const wanted = a.ScalableTargetAction ?? {};
        let min = wanted.MinCapacity ?? t.MinCapacity;
        let max = wanted.MaxCapacity ?? t.MaxCapacity;
        // One bound moved past the other: the one not given follows it.
        if (min > max) [min, max] = wanted.MinCapacity !== undefined ? [min, min] : [max, max];
        const ms = now.getTime();
        await recordActivity(tx, t, ms, {
          Description: `Setting min capacity to ${min} and max capacity to ${max}`,
          Cause: `scheduled action name ${a.ScheduledActionName} was triggered`,
          StatusCode: 'Successful',
          StatusMessage: `Successfully set min capacity to ${min} and max capacity to ${max}`,
          EndTime: ms,
        });
        const next2: TargetRecord = { ...t, MinCapacity: min, MaxCapacity: max };
        const current = t.pending?.desired ?? state?.desiredCount;
        const desired = current === undefined ? undefined : withinBounds(current, min, max);
        if (desired !== undefined) {
          const activity = await recordActivity(tx, t, ms + 1, {
            Description: `Setting desired count to ${desired}.`,
            Cause: `scheduled action name ${a.ScheduledActionName} set ${desired > current! ? 'min' : 'max'} capacity to ${desired}`,
            StatusCode: 'InProgress',
          });
          next2.pending = { activityId: activity.ActivityId, desired };
        }
        await targets.put(a.targetKey, next2);
      });
    }
  }

  /** Sets the desired counts committed but not yet applied (all targets, or one). */
  private async applyPending(now: Date, only?: string): Promise<void> {
    const targets = this.store.collection<TargetRecord>(COLLECTIONS.targets);
    const rows = only ? [{ key: only, value: await targets.get(only) }] : await targets.list();
    for (const { key, value: t } of rows) {
      if (!t?.pending) continue;
      const pending = t.pending;
      const svc = ecsService(t.ResourceId)!;
      let failure: string | undefined;
      try {
        await this.ecs.setDesiredCount(scopeOf(t, now), svc.cluster, svc.service, pending.desired, `application-autoscaling activity ${pending.activityId}`);
      } catch (err) {
        failure = err instanceof Error ? err.message : String(err);
      }
      await this.store.transaction(async (tx) => {
        const c = tx.collection<TargetRecord>(COLLECTIONS.targets);
        const cur = await c.get(key);
        if (!cur || cur.pending?.activityId !== pending.activityId) return;
        const { pending: _done, ...rest } = cur;
        await c.put(key, rest);
        await finishActivity(tx, cur, pending.activityId, {
          EndTime: now.getTime(),
          ...(failure === undefined
            ? { StatusCode: 'Successful', StatusMessage: `Successfully set desired count to ${pending.desired}. Change successfully fulfilled by ecs.` }
            : { StatusCode: 'Failed', StatusMessage: `Failed to set desired count to ${pending.desired}. Reason: ${failure}` }),
        });
      });
    }
  }
}
