/**
 * Scaling policies: PutScalingPolicy (creates or updates; a target tracking policy creates its
 * alarm pair through the Alarms port first, so a policy is never stored without its alarms),
 * DescribeScalingPolicies and DeleteScalingPolicy (which deletes the alarms it created).
 */
import { randomUUID } from 'node:crypto';
import { DomainError, ErrorKind } from '../lib/errors.js';
import { formatArn } from '../lib/arn.js';
import type { Scope } from '../lib/scope.js';
import type { Store } from '../store/store.js';
import { stepsProblem } from './plan/step-scaling.js';
import { predefinedMetric, trackingAlarms, type AlarmMetricQuery, type AlarmSpec, type TrackedMetric } from './plan/tracking-alarms.js';
import { PendingUpdates } from './pending-updates.js';
import type { Alarms } from './ports.js';
import { childKey, COLLECTIONS, type PolicyRecord, type StepScalingConfig, type TargetRecord, type TargetTrackingConfig } from './records.js';
import { checkNamespace, noPolicy, requireTarget, resolveRef, validation, type TargetRef } from './target-refs.js';

/** Scaling policies per scalable target (AWS's quota). */
export const MAX_POLICIES_PER_TARGET = 50;

/** PutScalingPolicy's input. */
export interface PutPolicyInput extends TargetRef {
  PolicyName: string;
  PolicyType?: string;
  StepScalingPolicyConfiguration?: StepScalingConfig;
  TargetTrackingScalingPolicyConfiguration?: TargetTrackingConfig;
  PredictiveScalingPolicyConfiguration?: unknown;
}

/** A FailedResourceAccessException: CloudWatch could not be reached for the policy's alarms. */
const alarmsFailed = (err: unknown): DomainError =>
  new DomainError(ErrorKind.Unavailable, `Failed to access CloudWatch alarms: ${err instanceof Error ? err.message : String(err)}`, 'alarms');

/** The policies of an account and region. */
export class ScalingPolicies {
  constructor(
    private readonly store: Store,
    private readonly alarms: Alarms,
    private readonly updates = new PendingUpdates(),
  ) {}

  /** PutScalingPolicy: answers the policy's ARN and the alarms it created. */
  async put(scope: Scope, input: PutPolicyInput): Promise<PolicyRecord> {
    const ref = resolveRef(scope, input);
    const type = checkPolicy(input);
    return this.updates.run(ref.key, input.ResourceId, () => this.putChecked(scope, input, ref, type));
  }

  private async putChecked(scope: Scope, input: PutPolicyInput, ref: { key: string; cluster: string; service: string }, type: 'TargetTrackingScaling' | 'StepScaling'): Promise<PolicyRecord> {
    const key = childKey(ref.key, input.PolicyName);
    const target = await requireTarget(this.store.collection<TargetRecord>(COLLECTIONS.targets), ref.key, input);
    const existing = await this.store.collection<PolicyRecord>(COLLECTIONS.policies).get(key);
    if (!existing) {
      const count = (await this.store.collection<PolicyRecord>(COLLECTIONS.policies).list({ prefix: `${ref.key}#` })).length;
      if (count >= MAX_POLICIES_PER_TARGET) {
        throw new DomainError(ErrorKind.LimitExceeded, `Maximum number of scaling policies (${MAX_POLICIES_PER_TARGET}) reached for scalable target ${input.ResourceId}`, 'policies');
      }
    }
    const policyArn =
      existing?.PolicyARN ??
      formatArn('autoscaling', scope.region, scope.accountId, `scalingPolicy:${randomUUID()}:resource/ecs/${input.ResourceId}:policyName/${input.PolicyName}`);
    let specs: AlarmSpec[] = [];
    if (type === 'TargetTrackingScaling') {
      const config = input.TargetTrackingScalingPolicyConfiguration!;
      const metric = trackedMetric(config, ref.cluster, ref.service);
      // The pair keeps its names across updates, as AWS keeps them.
      const uuid = /-Alarm(?:High|Low)-(.+)$/.exec(existing?.Alarms[0]?.AlarmName ?? '')?.[1] ?? randomUUID();
      specs = trackingAlarms({ resourceId: input.ResourceId, policyArn, targetValue: config.TargetValue, disableScaleIn: config.DisableScaleIn === true, metric, uuid });
    }
    const alarms: PolicyRecord['Alarms'] = [];
    try {
      for (const spec of specs) alarms.push({ AlarmName: spec.AlarmName, AlarmARN: await this.alarms.put(scope, spec) });
      const stale = (existing?.PolicyType === 'TargetTrackingScaling' ? existing.Alarms : []).map((a) => a.AlarmName).filter((n) => !specs.some((s) => s.AlarmName === n));
      if (stale.length > 0) await this.alarms.delete(scope, stale);
    } catch (err) {
      throw alarmsFailed(err);
    }
    const record: PolicyRecord = {
      key,
      targetKey: target.key,
      PolicyARN: policyArn,
      PolicyName: input.PolicyName,
      PolicyType: type,
      ...(type === 'TargetTrackingScaling'
        ? { TargetTrackingScalingPolicyConfiguration: input.TargetTrackingScalingPolicyConfiguration! }
        : { StepScalingPolicyConfiguration: input.StepScalingPolicyConfiguration! }),
      // A step policy's alarms are the user's: they are learnt when one of them first executes it.
      Alarms: type === 'TargetTrackingScaling' ? alarms : (existing?.PolicyType === 'StepScaling' ? existing.Alarms : []),
      alarmSpecs: specs,
      CreationTime: existing?.CreationTime ?? scope.now.getTime(),
      alarmStates: existing?.alarmStates ?? {},
      ...(existing?.lastScaleOut && { lastScaleOut: existing.lastScaleOut }),
      ...(existing?.lastScaleInAt !== undefined && { lastScaleInAt: existing.lastScaleInAt }),
    };
    try {
      await this.store.transaction(async (tx) => {
        await requireTarget(tx.collection<TargetRecord>(COLLECTIONS.targets), ref.key, input);
        await tx.collection<PolicyRecord>(COLLECTIONS.policies).put(key, record);
      });
    } catch (err) {
      // The target went away meanwhile: the alarms made for a new policy would belong to nothing.
      if (!existing && alarms.length > 0) await this.alarms.delete(scope, alarms.map((a) => a.AlarmName)).catch(() => undefined);
      throw err;
    }
    return record;
  }

  /** DescribeScalingPolicies. */
  async describe(scope: Scope, filter: { ServiceNamespace: string; ResourceId?: string; ScalableDimension?: string; PolicyNames?: string[] }): Promise<PolicyRecord[]> {
    checkNamespace(filter.ServiceNamespace, filter.ScalableDimension);
    const rows = await this.store.collection<PolicyRecord>(COLLECTIONS.policies).list({ prefix: `${scope.accountId}/${scope.region}/ecs/` });
    return rows
      .map((r) => r.value)
      .filter((p) => {
        const [, , , dimension, ...rest] = p.targetKey.split('/');
        const resourceId = rest.join('/');
        return (
          (filter.ResourceId === undefined || resourceId === filter.ResourceId) &&
          (filter.ScalableDimension === undefined || dimension === filter.ScalableDimension) &&
          (!filter.PolicyNames?.length || filter.PolicyNames.includes(p.PolicyName))
        );
      });
  }

  /** DeleteScalingPolicy: the policy and the alarms it created. */
  async delete(scope: Scope, input: TargetRef & { PolicyName: string }): Promise<void> {
    const ref = resolveRef(scope, input);
    await this.updates.run(ref.key, input.ResourceId, () => this.deleteChecked(scope, input, ref.key));
  }

  private async deleteChecked(scope: Scope, input: TargetRef & { PolicyName: string }, targetKey: string): Promise<void> {
    const key = childKey(targetKey, input.PolicyName);
    const policy = await this.store.collection<PolicyRecord>(COLLECTIONS.policies).get(key);
    if (!policy) throw noPolicy(input, input.PolicyName);
    if (policy.PolicyType === 'TargetTrackingScaling' && policy.Alarms.length > 0) {
      await this.alarms.delete(scope, policy.Alarms.map((a) => a.AlarmName));
    }
    await this.store.collection<PolicyRecord>(COLLECTIONS.policies).delete(key);
  }
}

/** Checks the input's configuration against its type; answers the type. */
function checkPolicy(input: PutPolicyInput): 'TargetTrackingScaling' | 'StepScaling' {
  const type = input.PolicyType ?? 'StepScaling';
  if (type === 'PredictiveScaling' || input.PredictiveScalingPolicyConfiguration !== undefined) {
    throw validation('PredictiveScaling policies are not supported by this endpoint');
  }
  if (type === 'TargetTrackingScaling') {
    const c = input.TargetTrackingScalingPolicyConfiguration;
    if (!c) throw validation('TargetTrackingScalingPolicyConfiguration is required for a TargetTrackingScaling policy');
    if (input.StepScalingPolicyConfiguration) throw validation('StepScalingPolicyConfiguration is not allowed for a TargetTrackingScaling policy');
    if ((c.PredefinedMetricSpecification === undefined) === (c.CustomizedMetricSpecification === undefined)) {
      throw validation('Exactly one of PredefinedMetricSpecification and CustomizedMetricSpecification must be specified');
    }
    if (!(c.TargetValue > 0)) throw validation('TargetValue must be greater than 0');
    return type;
  }
  const c = input.StepScalingPolicyConfiguration;
  if (!c) throw validation('StepScalingPolicyConfiguration is required for a StepScaling policy');
  if (input.TargetTrackingScalingPolicyConfiguration) throw validation('TargetTrackingScalingPolicyConfiguration is not allowed for a StepScaling policy');
  if (c.AdjustmentType === undefined) throw validation('AdjustmentType is required for a StepScaling policy');
  if (c.MinAdjustmentMagnitude !== undefined && c.AdjustmentType !== 'PercentChangeInCapacity') {
    throw validation('MinAdjustmentMagnitude is only supported with AdjustmentType PercentChangeInCapacity');
  }
  const problem = stepsProblem(c.StepAdjustments ?? []);
  if (problem) throw validation(problem);
  return 'StepScaling';
}

interface CustomizedSpec {
  MetricName?: string;
  Namespace?: string;
  Dimensions?: Array<{ Name: string; Value: string }>;
  Statistic?: string;
  Unit?: string;
  Metrics?: Array<{ Id: string; Expression?: string; Label?: string; ReturnData?: boolean; MetricStat?: { Metric: { Namespace?: string; MetricName?: string; Dimensions?: Array<{ Name: string; Value: string }> }; Stat: string; Unit?: string } }>;
}

/** The metric a target tracking configuration follows. */
function trackedMetric(config: TargetTrackingConfig, cluster: string, service: string): TrackedMetric {
  if (config.PredefinedMetricSpecification) {
    const p = config.PredefinedMetricSpecification;
    const metric = predefinedMetric(p.PredefinedMetricType, cluster, service, p.ResourceLabel);
    if (typeof metric === 'string') throw validation(metric);
    return metric;
  }
  const c = config.CustomizedMetricSpecification as CustomizedSpec;
  if (c.Metrics !== undefined) {
    if (c.MetricName !== undefined || c.Namespace !== undefined || c.Statistic !== undefined || c.Dimensions !== undefined || c.Unit !== undefined) {
      throw validation('Metrics cannot be combined with MetricName, Namespace, Dimensions, Statistic or Unit in a CustomizedMetricSpecification');
    }
    const returned = c.Metrics.filter((m) => m.ReturnData !== false);
    if (c.Metrics.length > 1 ? c.Metrics.filter((m) => m.ReturnData === true).length !== 1 : returned.length !== 1) {
      throw validation('Exactly one metric in Metrics must have ReturnData set to true');
    }
    const queries: AlarmMetricQuery[] = c.Metrics.map((m) => {
      if ((m.Expression === undefined) === (m.MetricStat === undefined)) throw validation(`Metric ${m.Id} must specify exactly one of Expression and MetricStat`);
      return {
        Id: m.Id,
        ...(m.Expression !== undefined && { Expression: m.Expression }),
        ...(m.Label !== undefined && { Label: m.Label }),
        ReturnData: c.Metrics!.length === 1 ? true : m.ReturnData === true,
        ...(m.MetricStat && { MetricStat: { Metric: m.MetricStat.Metric, Period: 60, Stat: m.MetricStat.Stat, ...(m.MetricStat.Unit !== undefined && { Unit: m.MetricStat.Unit }) } }),
      };
    });
    return { kind: 'math', Metrics: queries };
  }
  if (c.MetricName === undefined || c.Namespace === undefined || c.Statistic === undefined) {
    throw validation('A CustomizedMetricSpecification needs MetricName, Namespace and Statistic, or Metrics');
  }
  return { kind: 'simple', Namespace: c.Namespace, MetricName: c.MetricName, Dimensions: c.Dimensions ?? [], Statistic: c.Statistic, ...(c.Unit !== undefined && { Unit: c.Unit }) };
}
