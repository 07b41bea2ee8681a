import { listActivities } from '../../autoscaling/activities.js';
import type { ApplicationAutoScaling } from '../../autoscaling/application-autoscaling.js';
import type { PutPolicyInput } from '../../autoscaling/policies.js';
import type { ActivityRecord, PolicyRecord, ScheduledActionRecord, TargetRecord } from '../../autoscaling/records.js';
import type { PutScheduledInput } from '../../autoscaling/scheduled-actions.js';
import type { RegisterInput } from '../../autoscaling/targets.js';
import type { TargetRef } from '../../autoscaling/target-refs.js';
import { DomainError, ErrorKind } from '../../lib/errors.js';
import { decodeToken, encodeToken } from '../../lib/pagination.js';
import type { OperationHandler } from '../../server/service.js';

const seconds = (ms: number): number => ms / 1000;
const DEFAULT_PAGE = 50;

/** One page of `items` from the offset a NextToken names (listings here are small and built in memory). */
function page<T>(listing: string, items: readonly T[], maxResults: number | undefined, token: string | undefined): { items: T[]; next?: string } {
  const max = maxResults ?? DEFAULT_PAGE;
  if (max < 1 || max > DEFAULT_PAGE) throw new DomainError(ErrorKind.InvalidArgument, `MaxResults must be between 1 and ${DEFAULT_PAGE}`, 'validation');
  let start = 0;
  try {
    const key = decodeToken(listing, token);
    if (key !== undefined) start = Number(key);
  } catch {
    start = NaN;
  }
  if (!Number.isSafeInteger(start) || start < 0) throw new DomainError(ErrorKind.InvalidArgument, 'Invalid NextToken', 'next-token');
  const slice = items.slice(start, start + max);
  return { items: slice, ...(start + max < items.length && { next: encodeToken(listing, String(start + max)) }) };
}

const targetView = (t: TargetRecord) => ({
  ServiceNamespace: t.ServiceNamespace,
  ResourceId: t.ResourceId,
  ScalableDimension: t.ScalableDimension,
  MinCapacity: t.MinCapacity,
  MaxCapacity: t.MaxCapacity,
  RoleARN: t.RoleARN,
  CreationTime: seconds(t.CreationTime),
  SuspendedState: t.SuspendedState,
  ScalableTargetARN: t.ScalableTargetARN,
});

const refOfKey = (targetKey: string): TargetRef => {
  const [, , namespace, dimension, ...rest] = targetKey.split('/');
  return { ServiceNamespace: namespace!, ScalableDimension: dimension!, ResourceId: rest.join('/') };
};

const policyView = (p: PolicyRecord) => ({
  PolicyARN: p.PolicyARN,
  PolicyName: p.PolicyName,
  ...refOfKey(p.targetKey),
  PolicyType: p.PolicyType,
  ...(p.TargetTrackingScalingPolicyConfiguration && { TargetTrackingScalingPolicyConfiguration: p.TargetTrackingScalingPolicyConfiguration }),
  ...(p.StepScalingPolicyConfiguration && { StepScalingPolicyConfiguration: p.StepScalingPolicyConfiguration }),
  Alarms: p.Alarms,
  CreationTime: seconds(p.CreationTime),
});

const scheduledView = (a: ScheduledActionRecord) => ({
  ScheduledActionName: a.ScheduledActionName,
  ScheduledActionARN: a.ScheduledActionARN,
  ...refOfKey(a.targetKey),
  Schedule: a.Schedule,
  ...(a.Timezone !== undefined && { Timezone: a.Timezone }),
  ...(a.StartTime !== undefined && { StartTime: seconds(a.StartTime) }),
  ...(a.EndTime !== undefined && { EndTime: seconds(a.EndTime) }),
  ...(a.ScalableTargetAction && { ScalableTargetAction: a.ScalableTargetAction }),
  CreationTime: seconds(a.CreationTime),
});

const activityView = (a: ActivityRecord) => ({
  ...a,
  StartTime: seconds(a.StartTime),
  ...(a.EndTime !== undefined && { EndTime: seconds(a.EndTime) }),
});

/** The handlers of Application Auto Scaling's operations: wire ⇄ the domain. */
export function applicationAutoScalingHandlers(aas: ApplicationAutoScaling): Record<string, OperationHandler> {
  return {
    async RegisterScalableTarget(input: RegisterInput, { scope }) {
      return { ScalableTargetARN: await aas.targets.register(scope, input) };
    },

    async DescribeScalableTargets(input: TargetRef & { ResourceIds?: string[]; MaxResults?: number; NextToken?: string }, { scope }) {
      const all = await aas.targets.describe(scope, input.ServiceNamespace, input.ResourceIds, input.ScalableDimension);
      const p = page('ScalableTargets', all, input.MaxResults, input.NextToken);
      return { ScalableTargets: p.items.map(targetView), ...(p.next && { NextToken: p.next }) };
    },

    async DeregisterScalableTarget(input: TargetRef, { scope }) {
      await aas.targets.deregister(scope, input);
      return {};
    },

    async PutScalingPolicy(input: PutPolicyInput, { scope }) {
      const policy = await aas.policies.put(scope, input);
      // Only a target tracking policy answers with alarms: a step policy's alarms are the caller's own.
      return { PolicyARN: policy.PolicyARN, ...(policy.PolicyType === 'TargetTrackingScaling' && { Alarms: policy.Alarms }) };
    },

    async DescribeScalingPolicies(input: TargetRef & { PolicyNames?: string[]; MaxResults?: number; NextToken?: string }, { scope }) {
      const all = await aas.policies.describe(scope, input);
      const p = page('ScalingPolicies', all, input.MaxResults, input.NextToken);
      return { ScalingPolicies: p.items.map(policyView), ...(p.next && { NextToken: p.next }) };
    },

    async DeleteScalingPolicy(input: TargetRef & { PolicyName: string }, { scope }) {
      await aas.policies.delete(scope, input);
      return {};
    },

    async PutScheduledAction(input: PutScheduledInput, { scope }) {
      await aas.scheduled.put(scope, input);
      return {};
    },

    async DescribeScheduledActions(input: TargetRef & { ScheduledActionNames?: string[]; MaxResults?: number; NextToken?: string }, { scope }) {
      const all = await aas.scheduled.describe(scope, input);
      const p = page('ScheduledActions', all, input.MaxResults, input.NextToken);
      return { ScheduledActions: p.items.map(scheduledView), ...(p.next && { NextToken: p.next }) };
    },

    async DeleteScheduledAction(input: TargetRef & { ScheduledActionName: string }, { scope }) {
      await aas.scheduled.delete(scope, input);
      return {};
    },

    async DescribeScalingActivities(input: TargetRef & { IncludeNotScaledActivities?: boolean; MaxResults?: number; NextToken?: string }, { scope }) {
      const all = await listActivities(aas.store, scope, input);
      const p = page('ScalingActivities', all, input.MaxResults, input.NextToken);
      return { ScalingActivities: p.items.map(activityView), ...(p.next && { NextToken: p.next }) };
    },

    async TagResource(input: { ResourceARN: string; Tags: Record<string, string> }, { scope }) {
      await aas.targets.retag(scope, input.ResourceARN, input.Tags, []);
      return {};
    },

    async UntagResource(input: { ResourceARN: string; TagKeys: string[] }, { scope }) {
      await aas.targets.retag(scope, input.ResourceARN, {}, input.TagKeys);
      return {};
    },

    async ListTagsForResource(input: { ResourceARN: string }, { scope }) {
      return { Tags: await aas.targets.tags(scope, input.ResourceARN) };
    },

    async GetPredictiveScalingForecast() {
      throw new DomainError(ErrorKind.InvalidArgument, 'Predictive scaling is not supported by this endpoint.', 'validation');
    },
  };
}
