import type { Logger } from 'pino';
import { CLUSTER_MEMBERS } from '../control/clusters/activity.js';
import { CLUSTERS, type ClusterRecord } from '../control/clusters/cluster.js';
import type { ContainerInstanceRecord } from '../control/container-instances/container-instance.js';
import type { EcsControl } from '../control/ecs-control.js';
import type { ServiceRecord } from '../control/services/service.js';
import type { TaskRecord } from '../control/tasks/task.js';
import { rootPrincipal } from '../lib/scope.js';
import { insightsCountData } from '../metrics/container-insights.js';
import type { DatumInput } from '../metrics/datum-rules.js';
import { ecsReservationData, type InstanceCapacity } from '../metrics/ecs-reservation.js';
import { MAX_DATA_PER_PUT, type MetricService } from '../metrics/metric-service.js';
import type { Store } from '../store/store.js';

/** Whether a cluster's `containerInsights` setting asks for Container Insights. */
export const insightsEnabled = (cluster: Pick<ClusterRecord, 'settings'>): boolean => {
  const value = cluster.settings?.find((s) => s.name === 'containerInsights')?.value;
  return value === 'enabled' || value === 'enhanced';
};

/**
 * The cluster-wide metrics read from the control plane's records, for every active cluster:
 * AWS/ECS CPUReservation and MemoryReservation over its container instances, and, when Container
 * Insights is enabled, ECS/ContainerInsights' task, service and instance counts.
 */
export function clusterMetricsPublisher(store: Store, ecs: Pick<EcsControl, 'containerInstances'>, metrics: MetricService, logger: Logger) {
  const members = async <T>(collection: string, clusterArn: string): Promise<T[]> =>
    (await store.collection<T>(collection).list({ prefix: `${clusterArn}/` })).map((e) => e.value);
  return async (timestamp: number): Promise<void> => {
    const clusters = (await store.collection<ClusterRecord>(CLUSTERS).list()).map((e) => e.value).filter((c) => c.status === 'ACTIVE');
    for (const cluster of clusters) {
      const [, , , region = '', accountId = ''] = cluster.clusterArn.split(':');
      const scope = { accountId, region, principalArn: rootPrincipal(accountId), now: new Date(timestamp) };
      const instances = (await members<ContainerInstanceRecord>(CLUSTER_MEMBERS.containerInstances, cluster.clusterArn)).filter((i) => i.status !== 'INACTIVE');
      let reservation: DatumInput[] = [];
      if (instances.length > 0) {
        const remaining = new Map((await ecs.containerInstances.snapshot(cluster.clusterArn)).map((s) => [s.containerInstanceArn, s.remaining]));
        const capacity: InstanceCapacity[] = instances.map((i) => ({
          clusterName: cluster.clusterName,
          status: i.status,
          registered: { cpu: i.cpu, memory: i.memory },
          remaining: remaining.get(i.containerInstanceArn) ?? { cpu: i.cpu, memory: i.memory },
        }));
        reservation = ecsReservationData(capacity, timestamp);
      }
      put(metrics, logger, scope, 'AWS/ECS', reservation);
      if (!insightsEnabled(cluster)) continue;
      const services = (await members<ServiceRecord>(CLUSTER_MEMBERS.services, cluster.clusterArn)).filter((s) => s.status === 'ACTIVE');
      const tasks = await members<Pick<TaskRecord, 'lastStatus'>>(CLUSTER_MEMBERS.tasks, cluster.clusterArn);
      const counts = insightsCountData(
        {
          clusterName: cluster.clusterName,
          runningTasks: tasks.filter((t) => t.lastStatus === 'RUNNING').length,
          containerInstances: instances.length,
          services: services.map((s) => ({
            serviceName: s.serviceName,
            desired: s.desiredCount,
            running: s.runningCount,
            pending: s.pendingCount,
            deployments: s.deployments.length,
          })),
        },
        timestamp,
      );
      put(metrics, logger, scope, 'ECS/ContainerInsights', counts);
    }
  };
}

/** Puts data in pages of the API's limit; a refused page is logged, never fatal to the loop. */
export function put(metrics: MetricService, logger: Logger, scope: Parameters<MetricService['put']>[0], namespace: string, data: readonly DatumInput[]): void {
  for (let i = 0; i < data.length; i += MAX_DATA_PER_PUT) {
    metrics
      .put(scope, { Namespace: namespace, MetricData: data.slice(i, i + MAX_DATA_PER_PUT), allowReserved: true })
      .catch((err: unknown) => logger.warn({ err, namespace }, 'metrics could not be published'));
  }
}

/** Runs `publish` every `intervalMs` (never two at once) until the returned function is called. */
export function every(intervalMs: number, publish: (timestamp: number) => Promise<void>, onError: (err: unknown) => void): () => Promise<void> {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const schedule = () => {
    timer = setTimeout(() => {
      running = publish(Date.now())
        .catch(onError)
        .finally(() => {
          if (!stopped) schedule();
        });
    }, intervalMs);
    timer.unref();
  };
  schedule();
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await running;
  };
}
