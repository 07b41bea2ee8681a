import type {
  CapacityProviderStrategyItem,
  ClusterConfiguration,
  ClusterServiceConnectDefaults,
  ClusterSetting,
} from '@aws-sdk/client-ecs';

/** The Store collection of clusters, keyed `<region>/<name>`. */
export const CLUSTERS = 'ecs-clusters';

/** ECS cluster statuses minato uses: a deleted cluster stays describable as INACTIVE. */
export const ClusterStatus = { Active: 'ACTIVE', Inactive: 'INACTIVE' } as const;
/** One of {@link ClusterStatus}. */
export type ClusterStatus = (typeof ClusterStatus)[keyof typeof ClusterStatus];

/** A cluster as stored. Counts and tags are not stored here: they are derived or kept apart. */
export interface ClusterRecord {
  clusterArn: string;
  clusterName: string;
  status: ClusterStatus;
  settings: ClusterSetting[];
  configuration?: ClusterConfiguration;
  capacityProviders: string[];
  defaultCapacityProviderStrategy: CapacityProviderStrategyItem[];
  serviceConnectDefaults?: ClusterServiceConnectDefaults;
  createdAt: number;
}

/** Live counts of what runs in a cluster, as DescribeClusters reports them. */
export interface ClusterCounts {
  registeredContainerInstancesCount: number;
  runningTasksCount: number;
  pendingTasksCount: number;
  activeServicesCount: number;
}

/** The name ECS uses when a request names no cluster. */
export const DEFAULT_CLUSTER = 'default';

/** ECS cluster names: up to 255 letters (upper and lower), numbers, underscores and hyphens. */
export const CLUSTER_NAME = /^[a-zA-Z0-9_-]{1,255}$/;
