import { AUTOSCALING, CLOUDWATCH, type AwsClient } from './client.js';

export interface ScalingPolicy {
  PolicyName: string;
  PolicyType: string;
  TargetTrackingScalingPolicyConfiguration?: { TargetValue: number; PredefinedMetricSpecification?: { PredefinedMetricType: string } };
  StepScalingPolicyConfiguration?: { AdjustmentType?: string; StepAdjustments?: { ScalingAdjustment: number }[] };
  Alarms?: { AlarmName: string; AlarmARN: string }[];
}

export interface ScalableTarget {
  MinCapacity: number;
  MaxCapacity: number;
}

export interface Alarm {
  AlarmName: string;
  StateValue: string;
  StateReason?: string;
  MetricName?: string;
  Threshold?: number;
  ComparisonOperator?: string;
}

const resourceId = (cluster: string, service: string) => `service/${cluster}/${service}`;

/** The service's scalable target, policies, and the alarms the policies use. */
export async function serviceScaling(aws: AwsClient, cluster: string, service: string): Promise<{ target?: ScalableTarget; policies: ScalingPolicy[]; alarms: Alarm[] }> {
  const ResourceId = resourceId(cluster, service);
  const [targets, policies] = await Promise.all([
    aws.json<{ ScalableTargets?: ScalableTarget[] }>(AUTOSCALING, 'DescribeScalableTargets', { ServiceNamespace: 'ecs', ResourceIds: [ResourceId] }),
    aws.json<{ ScalingPolicies?: ScalingPolicy[] }>(AUTOSCALING, 'DescribeScalingPolicies', { ServiceNamespace: 'ecs', ResourceId }),
  ]);
  const names = (policies.ScalingPolicies ?? []).flatMap((p) => (p.Alarms ?? []).map((a) => a.AlarmName));
  const alarms = names.length
    ? ((await aws.json<{ MetricAlarms?: Alarm[] }>(CLOUDWATCH, 'DescribeAlarms', { AlarmNames: names.slice(0, 100) })).MetricAlarms ?? [])
    : [];
  const target = targets.ScalableTargets?.[0];
  return { ...(target && { target }), policies: policies.ScalingPolicies ?? [], alarms };
}

export interface Series {
  label: string;
  points: { t: number; v: number }[];
}

/**
 * CPU and memory utilization of a service over the last `minutes` (CloudWatch GetMetricData on
 * AWS/ECS, the metrics minato publishes per service), one point a minute.
 */
export async function serviceUtilization(aws: AwsClient, cluster: string, service: string, minutes: number, now: Date = new Date()): Promise<Series[]> {
  const dims = [
    { Name: 'ClusterName', Value: cluster },
    { Name: 'ServiceName', Value: service },
  ];
  const query = (Id: string, MetricName: string) => ({ Id, Label: MetricName, MetricStat: { Metric: { Namespace: 'AWS/ECS', MetricName, Dimensions: dims }, Period: 60, Stat: 'Average' } });
  const out = await aws.json<{ MetricDataResults?: { Label?: string; Timestamps?: number[]; Values?: number[] }[] }>(CLOUDWATCH, 'GetMetricData', {
    MetricDataQueries: [query('cpu', 'CPUUtilization'), query('mem', 'MemoryUtilization')],
    StartTime: Math.floor(now.getTime() / 1000) - minutes * 60,
    EndTime: Math.floor(now.getTime() / 1000),
    ScanBy: 'TimestampAscending',
  });
  return (out.MetricDataResults ?? []).map((r) => ({
    label: r.Label ?? '',
    points: (r.Timestamps ?? []).map((t, i) => ({ t: t * 1000, v: r.Values?.[i] ?? 0 })).sort((a, b) => a.t - b.t),
  }));
}
