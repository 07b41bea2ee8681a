import type { DatumInput } from './datum-rules.js';

/**
 * The ECS/ContainerInsights metrics of a cluster whose `containerInsights` setting is enabled,
 * pure, with the names, units and dimension sets of CloudWatch's "Amazon ECS Container Insights
 * metrics":
 * - from each running task's measured use: CpuUtilized and CpuReserved (CPU units, unit None),
 *   MemoryUtilized and MemoryReserved (Megabytes), NetworkRxBytes and NetworkTxBytes
 *   (Bytes/Second, tasks with a network of their own), StorageReadBytes and StorageWriteBytes
 *   (Bytes) by ClusterName, ClusterName + ServiceName and ClusterName + TaskDefinitionFamily —
 *   each a statistic set over the tasks (Sum is the group's total, as the metrics CloudWatch
 *   derives from the per-task performance events add up);
 * - from the control plane's records: TaskCount, ServiceCount and ContainerInstanceCount by
 *   ClusterName; DesiredTaskCount, RunningTaskCount, PendingTaskCount and DeploymentCount by
 *   ClusterName + ServiceName (Count).
 */

/** One task's use over the last period. */
export interface InsightsTaskUse {
  readonly clusterName: string;
  readonly serviceName?: string;
  readonly family: string;
  readonly cpuUtilized: number;
  readonly cpuReserved: number;
  readonly memoryUtilized: number;
  readonly memoryReserved: number;
  /** Per second over the period; absent when the task has no network namespace of its own. */
  readonly networkRxBytes?: number;
  readonly networkTxBytes?: number;
  /** Cumulative since the task started; absent when the block I/O counters could not be read. */
  readonly storageReadBytes?: number;
  readonly storageWriteBytes?: number;
}

/** A cluster's counts, from its records. */
export interface InsightsClusterCounts {
  readonly clusterName: string;
  readonly runningTasks: number;
  readonly containerInstances: number;
  readonly services: ReadonlyArray<{ serviceName: string; desired: number; running: number; pending: number; deployments: number }>;
}

type Dims = Array<{ Name: string; Value: string }>;

const TASK_METRICS: ReadonlyArray<readonly [string, keyof InsightsTaskUse, string]> = [
  ['CpuUtilized', 'cpuUtilized', 'None'],
  ['CpuReserved', 'cpuReserved', 'None'],
  ['MemoryUtilized', 'memoryUtilized', 'Megabytes'],
  ['MemoryReserved', 'memoryReserved', 'Megabytes'],
  ['NetworkRxBytes', 'networkRxBytes', 'Bytes/Second'],
  ['NetworkTxBytes', 'networkTxBytes', 'Bytes/Second'],
  ['StorageReadBytes', 'storageReadBytes', 'Bytes'],
  ['StorageWriteBytes', 'storageWriteBytes', 'Bytes'],
];

/** The task-derived data for one reading (timestamp in epoch ms). */
export function insightsTaskData(tasks: readonly InsightsTaskUse[], timestamp: number): DatumInput[] {
  const groups = new Map<string, { dims: Dims; tasks: InsightsTaskUse[] }>();
  const add = (dims: Dims, t: InsightsTaskUse) => {
    const key = JSON.stringify(dims);
    (groups.get(key) ?? groups.set(key, { dims, tasks: [] }).get(key)!).tasks.push(t);
  };
  for (const t of tasks) {
    const cluster = { Name: 'ClusterName', Value: t.clusterName };
    add([cluster], t);
    if (t.serviceName !== undefined) add([cluster, { Name: 'ServiceName', Value: t.serviceName }], t);
    add([cluster, { Name: 'TaskDefinitionFamily', Value: t.family }], t);
  }
  const out: DatumInput[] = [];
  for (const { dims, tasks: members } of groups.values()) {
    for (const [metric, field, unit] of TASK_METRICS) {
      const values = members.map((t) => t[field]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
      if (values.length === 0) continue;
      out.push({
        MetricName: metric,
        Dimensions: dims,
        Timestamp: timestamp / 1000,
        Unit: unit,
        StatisticValues: { SampleCount: values.length, Sum: values.reduce((s, v) => s + v, 0), Minimum: Math.min(...values), Maximum: Math.max(...values) },
      });
    }
  }
  return out;
}

/** The record-derived data of one cluster for one reading. */
export function insightsCountData(cluster: InsightsClusterCounts, timestamp: number): DatumInput[] {
  const at = timestamp / 1000;
  const clusterDims = [{ Name: 'ClusterName', Value: cluster.clusterName }];
  const count = (MetricName: string, Dimensions: Dims, Value: number): DatumInput => ({ MetricName, Dimensions, Timestamp: at, Unit: 'Count', Value });
  const out = [
    count('TaskCount', clusterDims, cluster.runningTasks),
    count('ServiceCount', clusterDims, cluster.services.length),
    count('ContainerInstanceCount', clusterDims, cluster.containerInstances),
  ];
  for (const s of cluster.services) {
    const dims = [...clusterDims, { Name: 'ServiceName', Value: s.serviceName }];
    out.push(
      count('DesiredTaskCount', dims, s.desired),
      count('RunningTaskCount', dims, s.running),
      count('PendingTaskCount', dims, s.pending),
      count('DeploymentCount', dims, s.deployments),
    );
  }
  return out;
}
