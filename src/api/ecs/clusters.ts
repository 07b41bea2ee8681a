import type {
  CreateClusterRequest,
  DeleteClusterRequest,
  DescribeClustersRequest,
  ListClustersRequest,
  PutClusterCapacityProvidersRequest,
  UpdateClusterRequest,
  UpdateClusterSettingsRequest,
} from '@aws-sdk/client-ecs';
import type { ClusterView } from '../../control/clusters/clusters.js';
import type { EcsControl } from '../../control/ecs-control.js';
import type { TagStore } from '../../control/tags.js';
import type { OperationHandler } from '../../server/service.js';
import { pageSize } from './paging.js';

/** Which optional parts of a cluster to show. */
type ClusterField = 'ATTACHMENTS' | 'CONFIGURATIONS' | 'SETTINGS' | 'STATISTICS' | 'TAGS';

/** The wire Cluster; `include` selects the optional parts as DescribeClusters documents them. */
async function clusterWire(cluster: ClusterView, tags: TagStore, include: ReadonlySet<ClusterField>) {
  return {
    clusterArn: cluster.clusterArn,
    clusterName: cluster.clusterName,
    status: cluster.status,
    registeredContainerInstancesCount: cluster.registeredContainerInstancesCount,
    runningTasksCount: cluster.runningTasksCount,
    pendingTasksCount: cluster.pendingTasksCount,
    activeServicesCount: cluster.activeServicesCount,
    statistics: include.has('STATISTICS') ? cluster.statistics : [],
    tags: include.has('TAGS') ? await tags.get(cluster.clusterArn) : [],
    ...(include.has('SETTINGS') && { settings: cluster.settings }),
    ...(include.has('CONFIGURATIONS') && cluster.configuration && { configuration: cluster.configuration }),
    capacityProviders: cluster.capacityProviders,
    defaultCapacityProviderStrategy: cluster.defaultCapacityProviderStrategy,
    ...(include.has('ATTACHMENTS') && { attachments: [] }),
    ...(cluster.serviceConnectDefaults && { serviceConnectDefaults: cluster.serviceConnectDefaults }),
  };
}

/** What a mutation (create, update) shows: settings and configuration are part of the answer. */
const MUTATION_VIEW: ReadonlySet<ClusterField> = new Set(['SETTINGS', 'CONFIGURATIONS', 'TAGS']);

/** Handlers of the cluster operations. */
export function clusterHandlers(ecs: EcsControl): Record<string, OperationHandler> {
  const { clusters, tags } = ecs;
  return {
    async CreateCluster(input: CreateClusterRequest, { scope }) {
      const cluster = await clusters.create(scope, input);
      return { cluster: await clusterWire(cluster, tags, MUTATION_VIEW) };
    },
    async DescribeClusters(input: DescribeClustersRequest, { scope }) {
      const include = new Set((input.include ?? []) as ClusterField[]);
      const { found, missing } = await clusters.describe(scope, input.clusters ?? []);
      return {
        clusters: await Promise.all(found.map((c) => clusterWire(c, tags, include))),
        failures: missing.map((arn) => ({ arn, reason: 'MISSING' })),
      };
    },
    async ListClusters(input: ListClustersRequest, { scope }) {
      const page = await clusters.list(scope, pageSize('ListClusters', input.maxResults), input.nextToken);
      return { clusterArns: page.items, ...(page.nextToken && { nextToken: page.nextToken }) };
    },
    async UpdateCluster(input: UpdateClusterRequest, { scope }) {
      const cluster = await clusters.update(scope, input.cluster!, input);
      return { cluster: await clusterWire(cluster, tags, MUTATION_VIEW) };
    },
    async UpdateClusterSettings(input: UpdateClusterSettingsRequest, { scope }) {
      const cluster = await clusters.update(scope, input.cluster!, { settings: input.settings ?? [] });
      return { cluster: await clusterWire(cluster, tags, MUTATION_VIEW) };
    },
    async PutClusterCapacityProviders(input: PutClusterCapacityProvidersRequest, { scope }) {
      const cluster = await clusters.putCapacityProviders(
        scope,
        input.cluster!,
        input.capacityProviders ?? [],
        input.defaultCapacityProviderStrategy ?? [],
      );
      return { cluster: await clusterWire(cluster, tags, MUTATION_VIEW) };
    },
    async DeleteCluster(input: DeleteClusterRequest, { scope }) {
      const cluster = await clusters.delete(scope, input.cluster!);
      return { cluster: await clusterWire(cluster, tags, MUTATION_VIEW) };
    },
  };
}
