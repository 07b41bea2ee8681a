/**
 * What Application Auto Scaling keeps in the main store: scalable targets, their scaling policies,
 * scheduled actions and scaling activities, one collection each. Keys start with
 * `<account>/<region>/ecs/<dimension>/<resource id>` (the target's key), so a target's policies,
 * actions and activities list by prefix. Wire member names are kept as AWS spells them.
 */
import type { AlarmSpec } from './plan/tracking-alarms.js';
import type { AdjustmentType, MetricAggregationType, Step } from './plan/step-scaling.js';

/** The collections. */
export const COLLECTIONS = {
  targets: 'aas-scalable-targets',
  policies: 'aas-scaling-policies',
  scheduled: 'aas-scheduled-actions',
  activities: 'aas-scaling-activities',
} as const;

/** The one dimension minato scales. */
export const ECS_DESIRED_COUNT = 'ecs:service:DesiredCount';

/** The suspended states of a target. */
export interface SuspendedState {
  DynamicScalingInSuspended: boolean;
  DynamicScalingOutSuspended: boolean;
  ScheduledScalingSuspended: boolean;
}

/** A desired count decided and committed but not yet set on the ECS service (persist the intent, then act). */
export interface PendingChange {
  activityId: string;
  desired: number;
}

/** A registered scalable target (an ECS service's desired count). */
export interface TargetRecord {
  key: string;
  accountId: string;
  region: string;
  ServiceNamespace: 'ecs';
  ResourceId: string;
  ScalableDimension: string;
  MinCapacity: number;
  MaxCapacity: number;
  RoleARN: string;
  CreationTime: number;
  SuspendedState: SuspendedState;
  ScalableTargetARN: string;
  tags: Record<string, string>;
  pending?: PendingChange;
}

/** A target tracking policy's configuration, as the wire carries it. */
export interface TargetTrackingConfig {
  TargetValue: number;
  PredefinedMetricSpecification?: { PredefinedMetricType: string; ResourceLabel?: string };
  CustomizedMetricSpecification?: Record<string, unknown>;
  ScaleOutCooldown?: number;
  ScaleInCooldown?: number;
  DisableScaleIn?: boolean;
}

/** A step scaling policy's configuration, as the wire carries it. */
export interface StepScalingConfig {
  AdjustmentType?: AdjustmentType;
  StepAdjustments?: Step[];
  MinAdjustmentMagnitude?: number;
  Cooldown?: number;
  MetricAggregationType?: MetricAggregationType;
}

/** A scaling policy and what its executions remember. */
export interface PolicyRecord {
  key: string;
  targetKey: string;
  PolicyARN: string;
  PolicyName: string;
  PolicyType: 'TargetTrackingScaling' | 'StepScaling';
  TargetTrackingScalingPolicyConfiguration?: TargetTrackingConfig;
  StepScalingPolicyConfiguration?: StepScalingConfig;
  Alarms: Array<{ AlarmName: string; AlarmARN: string }>;
  /** The alarm specs the policy asked for (thresholds of the pair, for executions). */
  alarmSpecs: AlarmSpec[];
  CreationTime: number;
  /** The last state each of its alarms reported (target tracking: scale in only when all agree). */
  alarmStates: Record<string, string>;
  /** The last scale-out: when, and from which capacity (a scale-out in cooldown counts from there). */
  lastScaleOut?: { at: number; from: number };
  /** When the last scale-in happened. */
  lastScaleInAt?: number;
}

/** A scheduled action and when it is next due. */
export interface ScheduledActionRecord {
  key: string;
  targetKey: string;
  ScheduledActionName: string;
  ScheduledActionARN: string;
  Schedule: string;
  Timezone?: string;
  StartTime?: number;
  EndTime?: number;
  ScalableTargetAction?: { MinCapacity?: number; MaxCapacity?: number };
  CreationTime: number;
  /** Epoch ms of the next run; absent when it will not run again. Advanced in the run's own transaction. */
  nextRunAt?: number;
}

/** A scaling activity. */
export interface ActivityRecord {
  ActivityId: string;
  ServiceNamespace: 'ecs';
  ResourceId: string;
  ScalableDimension: string;
  Description: string;
  Cause: string;
  StartTime: number;
  EndTime?: number;
  StatusCode: 'Pending' | 'InProgress' | 'Successful' | 'Overridden' | 'Unfulfilled' | 'Failed';
  StatusMessage?: string;
  NotScaledReasons?: Array<{ Code: string; MaxCapacity?: number; MinCapacity?: number; CurrentCapacity?: number }>;
}

/** The key of a target. */
export const targetKey = (accountId: string, region: string, dimension: string, resourceId: string): string =>
  `${accountId}/${region}/ecs/${dimension}/${resourceId}`;

/** The key of a policy or scheduled action of a target. */
export const childKey = (target: string, name: string): string => `${target}#${name}`;

/** The key of an activity: newest first within a target. */
export const activityKey = (target: string, startMs: number, id: string): string =>
  `${target}#${String(9_999_999_999_999 - startMs).padStart(13, '0')}-${id}`;

/** The cluster and service of `service/<cluster>/<service>`. */
export function ecsService(resourceId: string): { cluster: string; service: string } | undefined {
  const m = /^service\/([A-Za-z0-9_-]{1,255})\/([A-Za-z0-9_-]{1,255})$/.exec(resourceId);
  return m ? { cluster: m[1]!, service: m[2]! } : undefined;
}
