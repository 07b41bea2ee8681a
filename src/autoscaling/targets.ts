/**
 * Scalable targets: RegisterScalableTarget (a second call updates min/max and the suspended
 * states), DescribeScalableTargets, DeregisterScalableTarget (which takes the target's policies,
 * their alarms and its scheduled actions with it), and the tags a target carries.
 */
import { randomBytes } from 'node:crypto';
import { DomainError, ErrorKind, notFound } from '../lib/errors.js';
import { formatArn, parseArn } from '../lib/arn.js';
import type { Scope } from '../lib/scope.js';
import type { Store, Transaction } from '../store/store.js';
import { recordActivity } from './activities.js';
import { PendingUpdates } from './pending-updates.js';
import { withinBounds } from './plan/decision.js';
import type { Alarms, EcsServiceTarget } from './ports.js';
import { COLLECTIONS, type PolicyRecord, type ScheduledActionRecord, type SuspendedState, type TargetRecord } from './records.js';
import { checkNamespace, requireTarget, resolveRef, validation, type TargetRef } from './target-refs.js';

/** Targets of one kind per account and region (AWS's quota for ECS). */
export const MAX_TARGETS = 3000;
/** Tags per target. */
export const MAX_TAGS = 50;

/** RegisterScalableTarget's input. */
export interface RegisterInput extends TargetRef {
  MinCapacity?: number;
  MaxCapacity?: number;
  RoleARN?: string;
  SuspendedState?: Partial<SuspendedState>;
  Tags?: Record<string, string>;
}

/** The service-linked role Application Auto Scaling uses for ECS services. */
export const ecsServiceLinkedRole = (accountId: string): string =>
  `arn:aws:iam::${accountId}:role/aws-service-role/ecs.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_ECSService`;

/** Checks a target's or an action's capacities. */
export function checkCapacities(min: number | undefined, max: number | undefined): void {
  if (min !== undefined && max !== undefined && min > max) throw validation('Minimum capacity cannot be greater than maximum capacity');
}

function checkTags(tags: Record<string, string>): void {
  for (const key of Object.keys(tags)) {
    if (key.startsWith('aws:')) throw validation(`Tag keys starting with 'aws:' are reserved: ${key}`);
  }
  if (Object.keys(tags).length > MAX_TAGS) throw new DomainError(ErrorKind.LimitExceeded, `The maximum number of tags per resource is ${MAX_TAGS}.`, 'tags');
}

/**
 * A registration that moves min or max past the service's desired count scales it into range, as
 * AWS does when min/max change by hand or on a schedule: the activity and the target's pending
 * count are committed with the registration.
 */
async function bringWithinBounds(tx: Transaction, target: TargetRecord, desired: number, now: number): Promise<TargetRecord> {
  const current = target.pending?.desired ?? desired;
  const next = withinBounds(current, target.MinCapacity, target.MaxCapacity);
  if (next === undefined) return target;
  const activity = await recordActivity(tx, target, now, {
    Description: `Setting desired count to ${next}.`,
    Cause: next > current ? `minimum capacity was set to ${target.MinCapacity}` : `maximum capacity was set to ${target.MaxCapacity}`,
    StatusCode: 'InProgress',
  });
  return { ...target, pending: { activityId: activity.ActivityId, desired: next } };
}

/** The scalable targets of an account and region. */
export class ScalableTargets {
  constructor(
    private readonly store: Store,
    private readonly ecs: EcsServiceTarget,
    private readonly alarms: Alarms,
    /** Carries out the target's committed change of desired count (the executor's). */
    private readonly settle: (now: Date, targetKey: string) => Promise<void> = async () => {},
    private readonly updates = new PendingUpdates(),
  ) {}

  /** RegisterScalableTarget: creates the target, or updates the members given; answers its ARN. */
  async register(scope: Scope, input: RegisterInput): Promise<string> {
    const ref = resolveRef(scope, input);
    if (input.RoleARN !== undefined) {
      // ECS targets always use the service-linked role; a role ARN given is accepted, as AWS does.
      const arn = parseArn(input.RoleARN);
      if (!arn || arn.service !== 'iam' || !arn.resource.startsWith('role/')) throw validation(`Invalid RoleARN: ${input.RoleARN}`);
    }
    checkCapacities(input.MinCapacity, input.MaxCapacity);
    if (input.Tags) checkTags(input.Tags);
    const state = await this.ecs.describe(scope, ref.cluster, ref.service);
    if (!state) throw validation(`ECS service doesn't exist: ${input.ResourceId}`);
    const arn = await this.store.transaction(async (tx) => {
      const targets = tx.collection<TargetRecord>(COLLECTIONS.targets);
      const current = await targets.get(ref.key);
      if (current) {
        const next: TargetRecord = {
          ...current,
          MinCapacity: input.MinCapacity ?? current.MinCapacity,
          MaxCapacity: input.MaxCapacity ?? current.MaxCapacity,
          SuspendedState: { ...current.SuspendedState, ...input.SuspendedState },
          tags: { ...current.tags, ...input.Tags },
        };
        if (next.MinCapacity > next.MaxCapacity) throw validation('Minimum capacity cannot be greater than maximum capacity');
        checkTags(next.tags);
        await targets.put(ref.key, await bringWithinBounds(tx, next, state.desiredCount, scope.now.getTime()));
        return next.ScalableTargetARN;
      }
      if (input.MinCapacity === undefined || input.MaxCapacity === undefined) {
        throw validation('MinCapacity and MaxCapacity are required to register a new scalable target');
      }
      const count = (await targets.list({ prefix: `${scope.accountId}/${scope.region}/ecs/` })).length;
      if (count >= MAX_TARGETS) throw new DomainError(ErrorKind.LimitExceeded, `The maximum number of scalable targets (${MAX_TARGETS}) for service namespace ecs has been reached`, 'targets');
      const record: TargetRecord = {
        key: ref.key,
        accountId: scope.accountId,
        region: scope.region,
        ServiceNamespace: 'ecs',
        ResourceId: input.ResourceId,
        ScalableDimension: input.ScalableDimension,
        MinCapacity: input.MinCapacity,
        MaxCapacity: input.MaxCapacity,
        RoleARN: ecsServiceLinkedRole(scope.accountId),
        CreationTime: scope.now.getTime(),
        SuspendedState: { DynamicScalingInSuspended: false, DynamicScalingOutSuspended: false, ScheduledScalingSuspended: false, ...input.SuspendedState },
        ScalableTargetARN: formatArn('application-autoscaling', scope.region, scope.accountId, `scalable-target/${randomBytes(18).toString('hex')}`),
        tags: input.Tags ?? {},
      };
      await targets.put(ref.key, await bringWithinBounds(tx, record, state.desiredCount, scope.now.getTime()));
      return record.ScalableTargetARN;
    });
    await this.settle(scope.now, ref.key);
    return arn;
  }

  /** DescribeScalableTargets: the namespace's targets, optionally by resource id and dimension, in key order. */
  async describe(scope: Scope, namespace: string, resourceIds: readonly string[] | undefined, dimension: string | undefined): Promise<TargetRecord[]> {
    checkNamespace(namespace, dimension);
    const all = await this.store.collection<TargetRecord>(COLLECTIONS.targets).list({ prefix: `${scope.accountId}/${scope.region}/ecs/` });
    return all
      .map((r) => r.value)
      .filter((t) => (dimension === undefined || t.ScalableDimension === dimension) && (!resourceIds?.length || resourceIds.includes(t.ResourceId)));
  }

  /**
   * DeregisterScalableTarget: the target, its policies, the alarms target tracking made for them,
   * and its scheduled actions. A step policy's alarms are the user's and stay, as on AWS.
   */
  async deregister(scope: Scope, ref: TargetRef): Promise<void> {
    const { key } = resolveRef(scope, ref);
    await this.updates.run(key, ref.ResourceId, () => this.deregisterChecked(scope, ref, key));
  }

  private async deregisterChecked(scope: Scope, ref: TargetRef, key: string): Promise<void> {
    const policies = await this.store.collection<PolicyRecord>(COLLECTIONS.policies).list({ prefix: `${key}#` });
    await requireTarget(this.store.collection<TargetRecord>(COLLECTIONS.targets), key, ref);
    const alarmNames = policies.filter((p) => p.value.PolicyType === 'TargetTrackingScaling').flatMap((p) => p.value.Alarms.map((a) => a.AlarmName));
    if (alarmNames.length > 0) await this.alarms.delete(scope, alarmNames);
    await this.store.transaction(async (tx) => {
      const targets = tx.collection<TargetRecord>(COLLECTIONS.targets);
      await requireTarget(targets, key, ref);
      await targets.delete(key);
      const pc = tx.collection<PolicyRecord>(COLLECTIONS.policies);
      for (const p of await pc.list({ prefix: `${key}#` })) await pc.delete(p.key);
      const sc = tx.collection<ScheduledActionRecord>(COLLECTIONS.scheduled);
      for (const s of await sc.list({ prefix: `${key}#` })) await sc.delete(s.key);
    });
  }

  /** The target an ARN names, in this account and region. */
  private async byArn(scope: Scope, arn: string): Promise<TargetRecord> {
    const all = await this.store.collection<TargetRecord>(COLLECTIONS.targets).list({ prefix: `${scope.accountId}/${scope.region}/` });
    const found = all.find((t) => t.value.ScalableTargetARN === arn)?.value;
    if (!found) throw notFound('tag-resource', `Scalable target with ARN ${arn} not found`);
    return found;
  }

  /** ListTagsForResource. */
  async tags(scope: Scope, arn: string): Promise<Record<string, string>> {
    return (await this.byArn(scope, arn)).tags;
  }

  /** TagResource / UntagResource: adds `add`, then removes `remove`. */
  async retag(scope: Scope, arn: string, add: Record<string, string>, remove: readonly string[]): Promise<void> {
    checkTags(add);
    const { key } = await this.byArn(scope, arn);
    await this.store.transaction(async (tx) => {
      const targets = tx.collection<TargetRecord>(COLLECTIONS.targets);
      const t = await targets.get(key);
      if (!t) throw notFound('tag-resource', `Scalable target with ARN ${arn} not found`);
      const tags = { ...t.tags, ...add };
      for (const k of remove) delete tags[k];
      checkTags(tags);
      await targets.put(key, { ...t, tags });
    });
  }
}
