/**
 * A task's measured use, as an agent reports it: the readings behind the AWS/ECS utilization
 * metrics and the ECS/ContainerInsights task metrics, which the control plane publishes for the
 * tasks of every host.
 */

/** A task's use over the last period and what its definition reserves, as ECS's utilization metrics count them. */
export interface TaskUsage {
  taskArn: string;
  clusterArn: string;
  region: string;
  /** CPU units in use (1024 per vCPU) and memory in use (MiB). */
  cpuUnits: number;
  memoryMiB: number;
  /** The task-level size, or the sum of its containers' cpu and memory reservations (soft, else hard). */
  cpuReserved: number;
  memoryReserved: number;
  /** The task definition's family (Container Insights' TaskDefinitionFamily dimension). */
  family: string;
  /** Whether the cluster's containerInsights setting is enabled (or enhanced). */
  insights: boolean;
  /** Bytes per second over the period; absent for host-mode tasks (their counters are the host's) or when unread. */
  networkRxBytesPerSecond?: number;
  networkTxBytesPerSecond?: number;
  /** Bytes read and written since the containers started, summed; absent when no blkio counters were read. */
  storageReadBytes?: number;
  storageWriteBytes?: number;
}
