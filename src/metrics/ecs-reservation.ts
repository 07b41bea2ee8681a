import type { DatumInput } from './datum-rules.js';

/**
 * The AWS/ECS reservation metrics, pure: CPUReservation and MemoryReservation per ClusterName, as
 * ECS computes them for EC2 capacity — the CPU units (or MiB) the cluster's tasks reserve on its
 * container instances × 100 ÷ the units (or MiB) those instances registered. Only ACTIVE and
 * DRAINING instances count. Each datum is a statistic set over the instances, as the utilization
 * metrics are over tasks: Average is the cluster's ratio, Minimum and Maximum the least and most
 * reserved instance, SampleCount the instances.
 */

/** One container instance's registered and remaining resources (CPU units, MiB). */
export interface InstanceCapacity {
  readonly clusterName: string;
  readonly status: string;
  readonly registered: { readonly cpu: number; readonly memory: number };
  readonly remaining: { readonly cpu: number; readonly memory: number };
}

const COUNTED = new Set(['ACTIVE', 'DRAINING']);

/** The data to publish to AWS/ECS for one reading (timestamp in epoch ms). */
export function ecsReservationData(instances: readonly InstanceCapacity[], timestamp: number): DatumInput[] {
  const byCluster = new Map<string, InstanceCapacity[]>();
  for (const i of instances) {
    if (!COUNTED.has(i.status)) continue;
    (byCluster.get(i.clusterName) ?? byCluster.set(i.clusterName, []).get(i.clusterName)!).push(i);
  }
  const out: DatumInput[] = [];
  for (const [clusterName, members] of byCluster) {
    for (const [metric, resource] of [
      ['CPUReservation', 'cpu'],
      ['MemoryReservation', 'memory'],
    ] as const) {
      // An instance that registered none of a resource has no reservation of it.
      const counted = members.filter((i) => i.registered[resource] > 0);
      if (counted.length === 0) continue;
      const reserved = (i: InstanceCapacity) => Math.min(i.registered[resource], Math.max(0, i.registered[resource] - i.remaining[resource]));
      const ratio = (counted.reduce((s, i) => s + reserved(i), 0) * 100) / counted.reduce((s, i) => s + i.registered[resource], 0);
      const each = counted.map((i) => (reserved(i) * 100) / i.registered[resource]);
      out.push({
        MetricName: metric,
        Dimensions: [{ Name: 'ClusterName', Value: clusterName }],
        Timestamp: timestamp / 1000,
        Unit: 'Percent',
        StatisticValues: { SampleCount: counted.length, Sum: ratio * counted.length, Minimum: Math.min(...each), Maximum: Math.max(...each) },
      });
    }
  }
  return out;
}
