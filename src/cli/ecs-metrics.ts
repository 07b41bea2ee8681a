import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { LogSink } from '../agent-contract/ports.js';
import type { TaskLaunchSpec } from '../agent-contract/task-contract.js';
import { hostSampleReader } from '../agent/insights/container-samples.js';
import { InsightsSampler, type TaskUsage } from '../agent/insights/insights-sampler.js';
import type { ContainerRuntime } from '../agent/runtime/runtime.js';
import type { EcsControl } from '../control/ecs-control.js';
import type { Store } from '../store/store.js';
import { rootPrincipal } from '../lib/scope.js';
import { insightsTaskData, type InsightsTaskUse } from '../metrics/container-insights.js';
import { ecsUtilizationData, type TaskUtilization } from '../metrics/ecs-utilization.js';
import type { MetricService } from '../metrics/metric-service.js';
import { clusterMetricsPublisher, every, insightsEnabled, put } from './cluster-metrics.js';

/** What the ECS metrics read and write. */
export interface EcsMetricsDeps {
  /** The tasks this host runs now. */
  tasks(): readonly TaskLaunchSpec[];
  runtime: Pick<ContainerRuntime, 'stats' | 'status'>;
  ecs: Pick<EcsControl, 'tasks' | 'clusters' | 'containerInstances'>;
  store: Store;
  logs: LogSink;
  metrics: MetricService;
  accountId: string;
  logger: Logger;
  intervalMs: number;
}

/**
 * Starts Container Insights on this host (performance events of tasks in clusters that enable
 * it) and, every `intervalMs`, the metrics minato publishes for ECS: AWS/ECS utilization from
 * the same readings for every cluster, ECS/ContainerInsights task metrics, and the
 * record-derived ones (reservations, counts). Resolves the returned function once stopped.
 */
export function startEcsMetrics(deps: EcsMetricsDeps): () => Promise<void> {
  const { ecs, accountId, logger } = deps;
  const sampler = new InsightsSampler({
    tasks: deps.tasks,
    read: hostSampleReader(deps.runtime),
    insightsEnabled: async (region, clusterArn) => {
      const scope = { accountId, region, principalArn: rootPrincipal(accountId), now: new Date() };
      return insightsEnabled(await ecs.clusters.get(scope, clusterArn));
    },
    sink: deps.logs,
    usage: ecsMetricsPublisher(ecs, deps.metrics, accountId, logger),
    hostId: hostname(),
  });
  const stopSampling = sampler.start(deps.intervalMs, (err: unknown) => logger.error({ err }, 'container insights sampling failed'));
  const stopClusterMetrics = every(deps.intervalMs, clusterMetricsPublisher(deps.store, ecs, deps.metrics, logger), (err: unknown) =>
    logger.error({ err }, 'cluster metrics could not be published'),
  );
  return async () => {
    await stopSampling();
    await stopClusterMetrics();
  };
}

/**
 * Publishes the AWS/ECS CPUUtilization and MemoryUtilization metrics from the use the Container
 * Insights sampler measures on every reading, and for tasks of clusters with Container Insights
 * enabled the ECS/ContainerInsights task metrics (CpuUtilized, MemoryUtilized, network, storage…):
 * each task's service comes from its record's group (`service:<name>`), and the data go through
 * the metric service, so GetMetricData, ListMetrics and alarms see them as they see any metric.
 */
export function ecsMetricsPublisher(ecs: Pick<EcsControl, 'tasks'>, metrics: MetricService, accountId: string, logger: Logger) {
  return async (tasks: readonly TaskUsage[], timestamp: number, since?: number): Promise<void> => {
    // The data stand for the interval measured: timestamped at its middle, a reading taken at a
    // minute's end (or a little after) counts in the minute it measured, not in the next one.
    const measuredAt = since === undefined ? timestamp : Math.round((since + timestamp) / 2);
    const byCluster = new Map<string, TaskUsage[]>();
    for (const t of tasks) (byCluster.get(t.clusterArn) ?? byCluster.set(t.clusterArn, []).get(t.clusterArn)!).push(t);
    const byRegion = new Map<string, TaskUtilization[]>();
    const insightsByRegion = new Map<string, InsightsTaskUse[]>();
    for (const [clusterArn, members] of byCluster) {
      const region = members[0]!.region;
      const scope = { accountId, region, principalArn: rootPrincipal(accountId), now: new Date(timestamp) };
      const groups = new Map<string, string>();
      try {
        for (let i = 0; i < members.length; i += 100) {
          const { found } = await ecs.tasks.describe(scope, clusterArn, members.slice(i, i + 100).map((t) => t.taskArn));
          for (const record of found) groups.set(record.taskArn, record.group);
        }
      } catch (err) {
        logger.warn({ err, clusterArn }, 'tasks of the ECS utilization metrics could not be described');
        continue;
      }
      const clusterName = clusterArn.split('/').pop()!;
      for (const t of members) {
        const group = groups.get(t.taskArn);
        const service = group?.startsWith('service:') ? { serviceName: group.slice('service:'.length) } : {};
        if (t.insights) {
          (insightsByRegion.get(region) ?? insightsByRegion.set(region, []).get(region)!).push({
            clusterName,
            ...service,
            family: t.family,
            cpuUtilized: t.cpuUnits,
            cpuReserved: t.cpuReserved,
            memoryUtilized: t.memoryMiB,
            memoryReserved: t.memoryReserved,
            ...(t.networkRxBytesPerSecond !== undefined && { networkRxBytes: t.networkRxBytesPerSecond, networkTxBytes: t.networkTxBytesPerSecond ?? 0 }),
            ...(t.storageReadBytes !== undefined && { storageReadBytes: t.storageReadBytes, storageWriteBytes: t.storageWriteBytes ?? 0 }),
          });
        }
        (byRegion.get(region) ?? byRegion.set(region, []).get(region)!).push({
          clusterName,
          ...service,
          cpuUsed: t.cpuUnits,
          cpuReserved: t.cpuReserved,
          memoryUsed: t.memoryMiB,
          memoryReserved: t.memoryReserved,
        });
      }
    }
    for (const [region, measured] of byRegion) {
      const data = ecsUtilizationData(measured, measuredAt);
      const scope = { accountId, region, principalArn: rootPrincipal(accountId), now: new Date(timestamp) };
      put(metrics, logger, scope, 'AWS/ECS', data);
    }
    for (const [region, measured] of insightsByRegion) {
      const scope = { accountId, region, principalArn: rootPrincipal(accountId), now: new Date(timestamp) };
      put(metrics, logger, scope, 'ECS/ContainerInsights', insightsTaskData(measured, measuredAt));
    }
  };
}
