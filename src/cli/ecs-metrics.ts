import type { Logger } from 'pino';
import type { TaskUsage } from '../agent/insights/insights-sampler.js';
import type { EcsControl } from '../control/ecs-control.js';
import { rootPrincipal } from '../lib/scope.js';
import { ecsUtilizationData, type TaskUtilization } from '../metrics/ecs-utilization.js';
import type { MetricService } from '../metrics/metric-service.js';

/**
 * Publishes the AWS/ECS CPUUtilization and MemoryUtilization metrics from the use the Container
 * Insights sampler measures on every reading: each task's service comes from its record's group
 * (`service:<name>`), and the data go through the metric service, so GetMetricData, ListMetrics
 * and alarms see them as they see any metric.
 */
export function ecsMetricsPublisher(ecs: Pick<EcsControl, 'tasks'>, metrics: MetricService, accountId: string, logger: Logger) {
  return async (tasks: readonly TaskUsage[], timestamp: number): Promise<void> => {
    const byCluster = new Map<string, TaskUsage[]>();
    for (const t of tasks) (byCluster.get(t.clusterArn) ?? byCluster.set(t.clusterArn, []).get(t.clusterArn)!).push(t);
    const byRegion = new Map<string, TaskUtilization[]>();
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
        (byRegion.get(region) ?? byRegion.set(region, []).get(region)!).push({
          clusterName,
          ...(group?.startsWith('service:') && { serviceName: group.slice('service:'.length) }),
          cpuUsed: t.cpuUnits,
          cpuReserved: t.cpuReserved,
          memoryUsed: t.memoryMiB,
          memoryReserved: t.memoryReserved,
        });
      }
    }
    for (const [region, measured] of byRegion) {
      const data = ecsUtilizationData(measured, timestamp);
      const scope = { accountId, region, principalArn: rootPrincipal(accountId), now: new Date(timestamp) };
      for (let i = 0; i < data.length; i += 1000) metrics.put(scope, { Namespace: 'AWS/ECS', MetricData: data.slice(i, i + 1000), allowReserved: true });
    }
  };
}
