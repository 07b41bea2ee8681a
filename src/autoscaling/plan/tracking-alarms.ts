/**
 * The CloudWatch alarm pair a target tracking policy owns, pure, as AWS creates it:
 * `TargetTracking-<resource id>-AlarmHigh-<uuid>` (3 of 3 one-minute datapoints above the target)
 * and `…-AlarmLow-<uuid>` (15 of 15 below 90 % of it; none when scale-in is disabled), both with
 * the policy's ARN as their only action.
 */
import { scaleInThreshold } from './target-tracking.js';

/** A metric dimension. */
export interface Dimension {
  Name: string;
  Value: string;
}

/** One query of a metric math alarm, as CloudWatch's PutMetricAlarm takes it. */
export interface AlarmMetricQuery {
  Id: string;
  Expression?: string;
  Label?: string;
  ReturnData?: boolean;
  MetricStat?: { Metric: { Namespace?: string; MetricName?: string; Dimensions?: Dimension[] }; Period: number; Stat: string; Unit?: string };
}

/** The subset of CloudWatch's PutMetricAlarmInput a scaling policy's alarm uses. */
export interface AlarmSpec {
  AlarmName: string;
  AlarmDescription: string;
  ActionsEnabled: true;
  AlarmActions: string[];
  ComparisonOperator: 'GreaterThanThreshold' | 'LessThanThreshold';
  EvaluationPeriods: number;
  DatapointsToAlarm: number;
  Threshold: number;
  MetricName?: string;
  Namespace?: string;
  Statistic?: string;
  Dimensions?: Dimension[];
  Unit?: string;
  Period?: number;
  Metrics?: AlarmMetricQuery[];
}

/** The metric a target tracking policy follows, reduced to what its alarms need. */
export type TrackedMetric =
  | { kind: 'simple'; Namespace: string; MetricName: string; Dimensions: Dimension[]; Statistic: string; Unit?: string }
  | { kind: 'math'; Metrics: AlarmMetricQuery[] };

/** The ECS service's own metrics, and the target group's request count, by predefined type. */
export function predefinedMetric(type: string, cluster: string, service: string, resourceLabel?: string): TrackedMetric | string {
  const ecsDims = [
    { Name: 'ClusterName', Value: cluster },
    { Name: 'ServiceName', Value: service },
  ];
  if (type === 'ECSServiceAverageCPUUtilization') return { kind: 'simple', Namespace: 'AWS/ECS', MetricName: 'CPUUtilization', Dimensions: ecsDims, Statistic: 'Average' };
  if (type === 'ECSServiceAverageMemoryUtilization') return { kind: 'simple', Namespace: 'AWS/ECS', MetricName: 'MemoryUtilization', Dimensions: ecsDims, Statistic: 'Average' };
  if (type === 'ALBRequestCountPerTarget') {
    // app/<lb>/<id>/targetgroup/<tg>/<id>: the alarm's dimension is the target group part.
    const m = resourceLabel === undefined ? null : /^app\/[^/]+\/[^/]+\/(targetgroup\/[^/]+\/[^/]+)$/.exec(resourceLabel);
    if (!m) return 'The ResourceLabel is required for ALBRequestCountPerTarget and must be of the form app/<load-balancer-name>/<load-balancer-id>/targetgroup/<target-group-name>/<target-group-id>';
    return { kind: 'simple', Namespace: 'AWS/ApplicationELB', MetricName: 'RequestCountPerTarget', Dimensions: [{ Name: 'TargetGroup', Value: m[1]! }], Statistic: 'Sum' };
  }
  return `Unsupported predefined metric type ${type} for service namespace ecs`;
}

/** What the alarms are made from. */
export interface TrackingAlarmInput {
  resourceId: string;
  policyArn: string;
  targetValue: number;
  disableScaleIn: boolean;
  metric: TrackedMetric;
  /** A fresh id, shared by the pair. */
  uuid: string;
}

/** The alarm pair (only the high one when scale-in is disabled). */
export function trackingAlarms(input: TrackingAlarmInput): AlarmSpec[] {
  const base = `TargetTracking-${input.resourceId}-Alarm`;
  const description = `DO NOT EDIT OR DELETE. For TargetTrackingScaling policy ${input.policyArn}.`;
  const metric =
    input.metric.kind === 'simple'
      ? {
          MetricName: input.metric.MetricName,
          Namespace: input.metric.Namespace,
          Statistic: input.metric.Statistic,
          Dimensions: input.metric.Dimensions,
          Period: 60,
          ...(input.metric.Unit !== undefined && { Unit: input.metric.Unit }),
        }
      : { Metrics: input.metric.Metrics };
  const alarm = (side: 'High' | 'Low', periods: number, threshold: number): AlarmSpec => ({
    AlarmName: `${base}${side}-${input.uuid}`,
    AlarmDescription: description,
    ActionsEnabled: true,
    AlarmActions: [input.policyArn],
    ComparisonOperator: side === 'High' ? 'GreaterThanThreshold' : 'LessThanThreshold',
    EvaluationPeriods: periods,
    DatapointsToAlarm: periods,
    Threshold: threshold,
    ...metric,
  });
  const high = alarm('High', 3, input.targetValue);
  return input.disableScaleIn ? [high] : [high, alarm('Low', 15, scaleInThreshold(input.targetValue))];
}

/** Whether an alarm name is the high (scale-out) side of a pair. */
export const isHighAlarm = (name: string): boolean => /-AlarmHigh-[^/]+$/.test(name);
