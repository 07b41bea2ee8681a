import type { UsageResponse } from '../agent-contract/protocol.js';
import type { TaskUsage } from '../agent-contract/task-usage.js';
import type { EcsControl } from '../control/ecs-control.js';
import { rootPrincipal } from '../lib/scope.js';
import type { MetricService } from '../metrics/metric-service.js';
import type { Logger } from 'pino';
import { insightsEnabled } from './cluster-metrics.js';
import { ecsMetricsPublisher } from './ecs-metrics.js';

/**
 * The control plane's side of an agent's usage report: the use its tasks measured over the
 * interval goes out at once as AWS/ECS and ECS/ContainerInsights data, stamped in the interval it
 * measured, as this host's own readings do. Each host's datum is a statistic set over its tasks,
 * and CloudWatch combines the sets of one minute, so a service's Average is the mean over all its
 * tasks wherever they run (ECS's used ÷ reserved exactly when they reserve the same, as the tasks
 * of one task definition do). The answer names the clusters whose Container Insights is on, for
 * which the agent writes the performance events itself.
 */
export function agentUsage(ecs: Pick<EcsControl, 'tasks' | 'clusters'>, metrics: MetricService, accountId: string, logger: Logger) {
  const publish = ecsMetricsPublisher(ecs, metrics, accountId, logger);
  return async (_containerInstanceArn: string, tasks: TaskUsage[], timestamp: number, since: number | undefined): Promise<UsageResponse> => {
    if (tasks.length > 0) await publish(tasks, timestamp, since);
    return { insightsClusters: await insightsClustersOf(ecs, accountId, tasks) };
  };
}

/** The clusters among these tasks' whose Container Insights setting is on. */
async function insightsClustersOf(ecs: Pick<EcsControl, 'clusters'>, accountId: string, tasks: readonly TaskUsage[]): Promise<string[]> {
  const clusters = new Map(tasks.map((t) => [t.clusterArn, t.region]));
  const on: string[] = [];
  for (const [clusterArn, region] of clusters) {
    const scope = { accountId, region, principalArn: rootPrincipal(accountId), now: new Date() };
    const cluster = await ecs.clusters.get(scope, clusterArn).catch(() => undefined);
    if (cluster && insightsEnabled(cluster)) on.push(clusterArn);
  }
  return on;
}
