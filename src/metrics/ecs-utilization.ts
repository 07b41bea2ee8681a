import type { DatumInput } from './datum-rules.js';

/**
 * The AWS/ECS utilization metrics, pure: from each running task's use and reservation over the
 * last period, CPUUtilization and MemoryUtilization per ClusterName+ServiceName and per
 * ClusterName, as ECS computes them — the units (or MiB) used by the tasks × 100 ÷ the units
 * (or MiB) their task definitions reserve. Each datum is a statistic set over the tasks, as ECS
 * publishes them: Average is that ratio, Minimum and Maximum the least and most utilized task,
 * SampleCount the tasks measured.
 */

/** One task's measurement, named as the metrics' dimensions name it. */
export interface TaskUtilization {
  readonly clusterName: string;
  /** The service that started the task, if any. */
  readonly serviceName?: string;
  readonly cpuUsed: number;
  readonly cpuReserved: number;
  readonly memoryUsed: number;
  readonly memoryReserved: number;
}

/** The data to publish to AWS/ECS for one reading (timestamp in epoch ms). */
export function ecsUtilizationData(tasks: readonly TaskUtilization[], timestamp: number): DatumInput[] {
  const groups = new Map<string, { dims: Array<{ Name: string; Value: string }>; tasks: TaskUtilization[] }>();
  const add = (dims: Array<{ Name: string; Value: string }>, t: TaskUtilization) => {
    const key = JSON.stringify(dims);
    (groups.get(key) ?? groups.set(key, { dims, tasks: [] }).get(key)!).tasks.push(t);
  };
  for (const t of tasks) {
    add([{ Name: 'ClusterName', Value: t.clusterName }], t);
    if (t.serviceName !== undefined) add([{ Name: 'ClusterName', Value: t.clusterName }, { Name: 'ServiceName', Value: t.serviceName }], t);
  }
  const out: DatumInput[] = [];
  for (const { dims, tasks: members } of groups.values()) {
    for (const [metric, used, reserved] of [
      ['CPUUtilization', (t: TaskUtilization) => t.cpuUsed, (t: TaskUtilization) => t.cpuReserved],
      ['MemoryUtilization', (t: TaskUtilization) => t.memoryUsed, (t: TaskUtilization) => t.memoryReserved],
    ] as const) {
      // A task that reserves nothing of a resource has no utilization of it.
      const counted = members.filter((t) => reserved(t) > 0);
      if (counted.length === 0) continue;
      const ratio = (counted.reduce((s, t) => s + used(t), 0) * 100) / counted.reduce((s, t) => s + reserved(t), 0);
      const each = counted.map((t) => (used(t) * 100) / reserved(t));
      out.push({
        MetricName: metric,
        Dimensions: dims,
        Timestamp: timestamp / 1000,
        Unit: 'Percent',
        StatisticValues: { SampleCount: counted.length, Sum: ratio * counted.length, Minimum: Math.min(...each), Maximum: Math.max(...each) },
      });
    }
  }
  return out;
}
