import type { TaskUsage } from '../agent-contract/task-usage.js';
import type { EcsControl } from '../control/ecs-control.js';
import { rootPrincipal } from '../lib/scope.js';
import { insightsEnabled } from './cluster-metrics.js';

/**
 * What the agents' tasks used, as each agent last reported it, until the control host's next
 * publication takes it: the AWS/ECS utilization of a service is one figure over all its tasks,
 * wherever they run (used ÷ reserved over the service, as ECS computes it), so the readings of
 * every host go out together.
 */
export class RemoteUsage {
  private readonly latest = new Map<string, { timestamp: number; tasks: TaskUsage[] }>();

  /** Keeps an instance's reading, unless a later one is already kept. */
  record(containerInstanceArn: string, timestamp: number, tasks: TaskUsage[]): void {
    const kept = this.latest.get(containerInstanceArn);
    if (!kept || kept.timestamp <= timestamp) this.latest.set(containerInstanceArn, { timestamp, tasks });
  }

  /** Every instance's kept reading taken at most `maxAgeMs` before `now`, each given out once; older ones are dropped. */
  take(now: number, maxAgeMs: number): TaskUsage[] {
    const taken: TaskUsage[] = [];
    for (const [arn, reading] of this.latest) {
      if (now - reading.timestamp <= maxAgeMs) taken.push(...reading.tasks);
      this.latest.delete(arn);
    }
    return taken;
  }
}

/** The clusters among these tasks' whose Container Insights setting is on (the agent then writes their performance events). */
export async function insightsClustersOf(ecs: Pick<EcsControl, 'clusters'>, accountId: string, tasks: readonly TaskUsage[]): Promise<string[]> {
  const clusters = new Map(tasks.map((t) => [t.clusterArn, t.region]));
  const on: string[] = [];
  for (const [clusterArn, region] of clusters) {
    const scope = { accountId, region, principalArn: rootPrincipal(accountId), now: new Date() };
    const cluster = await ecs.clusters.get(scope, clusterArn).catch(() => undefined);
    if (cluster && insightsEnabled(cluster)) on.push(clusterArn);
  }
  return on;
}
