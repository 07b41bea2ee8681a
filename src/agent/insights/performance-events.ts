/**
 * Container Insights performance log events for Amazon ECS, as CloudWatch's user guide shows them
 * ("Container Insights performance log events for Amazon ECS"): one `Type: "Task"` and one
 * `Type: "Container"` event per running task and container and sampling period, in the log group
 * `/aws/ecs/containerinsights/<cluster>/performance`. CPU is in CPU units (1024 per vCPU),
 * memory in MiB; network figures are per second over the period, storage bytes are cumulative
 * (the guide notes this despite their Bytes/Second unit). Task events carry the metric
 * declaration (`CloudWatchMetrics`, at the top level as in the guide's examples) from which
 * CloudWatch derives the ECS/ContainerInsights metrics by cluster and by task family.
 */

/** The log group Container Insights writes a cluster's performance events to. */
export const performanceLogGroup = (clusterName: string): string => `/aws/ecs/containerinsights/${clusterName}/performance`;

/**
 * The stream: `AgentTelemetry-<container instance id>` for tasks on a container instance (the
 * guide's name); tasks of the control host's own launch type (Fargate-like) write to
 * `FargateTelemetry-<host id>`, the prefix Fargate uses.
 */
export const performanceLogStream = (containerInstanceId: string | undefined, hostId: string): string =>
  containerInstanceId ? `AgentTelemetry-${containerInstanceId}` : `FargateTelemetry-${hostId}`;

/** Network counters of a period, per second. */
export interface NetworkRates {
  rxBytes: number;
  rxPackets: number;
  rxErrors: number;
  rxDropped: number;
  txBytes: number;
  txPackets: number;
  txErrors: number;
  txDropped: number;
}

/** What a period measured of one container (or, summed, of a task). */
export interface MeasuredUse {
  /** CPU units in use on average over the period. */
  cpuUnits: number;
  memoryMiB: number;
  storageReadBytes: number;
  storageWriteBytes: number;
  network: NetworkRates;
}

/** Who the events are about. */
export interface TaskIdentity {
  taskId: string;
  family: string;
  revision: number;
  clusterName: string;
  accountId: string;
  region: string;
  availabilityZone: string;
  launchType: string;
  knownStatus: string;
  containerInstanceId?: string;
  serviceName?: string;
  createdAt?: number;
  startedAt?: number;
  pullStartedAt?: number;
  pullStoppedAt?: number;
}

const round = (n: number, digits = 2): number => {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
};

function measured(use: MeasuredUse, cpuReserved: number, memoryReserved: number) {
  const n = use.network;
  return {
    CpuUtilized: round(use.cpuUnits, 4),
    CpuReserved: cpuReserved,
    MemoryUtilized: Math.round(use.memoryMiB),
    MemoryReserved: memoryReserved,
    StorageReadBytes: use.storageReadBytes,
    StorageWriteBytes: use.storageWriteBytes,
    NetworkRxBytes: round(n.rxBytes),
    NetworkRxDropped: round(n.rxDropped),
    NetworkRxErrors: round(n.rxErrors),
    NetworkRxPackets: round(n.rxPackets),
    NetworkTxBytes: round(n.txBytes),
    NetworkTxDropped: round(n.txDropped),
    NetworkTxErrors: round(n.txErrors),
    NetworkTxPackets: round(n.txPackets),
  };
}

/** The metric declaration of Task events: which fields CloudWatch turns into metrics, by which dimensions. */
const TASK_METRICS = [
  {
    Namespace: 'ECS/ContainerInsights',
    Metrics: [
      { Name: 'CpuUtilized', Unit: 'None' },
      { Name: 'CpuReserved', Unit: 'None' },
      { Name: 'MemoryUtilized', Unit: 'Megabytes' },
      { Name: 'MemoryReserved', Unit: 'Megabytes' },
      { Name: 'StorageReadBytes', Unit: 'Bytes/Second' },
      { Name: 'StorageWriteBytes', Unit: 'Bytes/Second' },
      { Name: 'NetworkRxBytes', Unit: 'Bytes/Second' },
      { Name: 'NetworkTxBytes', Unit: 'Bytes/Second' },
    ],
    Dimensions: [['ClusterName'], ['ClusterName', 'TaskDefinitionFamily']],
  },
];

/** A `Type: "Task"` performance event. */
export function taskPerformanceEvent(task: TaskIdentity, timestamp: number, use: MeasuredUse, reserved: { cpu: number; memory: number }) {
  return {
    Version: '0',
    Type: 'Task',
    TaskId: task.taskId,
    TaskDefinitionFamily: task.family,
    TaskDefinitionRevision: String(task.revision),
    ...(task.containerInstanceId && { ContainerInstanceId: task.containerInstanceId }),
    ...(task.serviceName && { ServiceName: task.serviceName }),
    ClusterName: task.clusterName,
    AccountID: task.accountId,
    Region: task.region,
    AvailabilityZone: task.availabilityZone,
    KnownStatus: task.knownStatus,
    LaunchType: task.launchType,
    ...(task.pullStartedAt !== undefined && { PullStartedAt: task.pullStartedAt }),
    ...(task.pullStoppedAt !== undefined && { PullStoppedAt: task.pullStoppedAt }),
    ...(task.createdAt !== undefined && { CreatedAt: task.createdAt }),
    ...(task.startedAt !== undefined && { StartedAt: task.startedAt }),
    Timestamp: timestamp,
    ...measured(use, reserved.cpu, reserved.memory),
    CloudWatchMetrics: TASK_METRICS,
  };
}

/** A `Type: "Container"` performance event. */
export function containerPerformanceEvent(
  task: TaskIdentity,
  container: { name: string; image: string; knownStatus: string },
  timestamp: number,
  use: MeasuredUse,
  reserved: { cpu: number; memory: number },
) {
  return {
    Version: '0',
    Type: 'Container',
    ContainerName: container.name,
    TaskId: task.taskId,
    TaskDefinitionFamily: task.family,
    TaskDefinitionRevision: String(task.revision),
    ...(task.containerInstanceId && { ContainerInstanceId: task.containerInstanceId }),
    ...(task.serviceName && { ServiceName: task.serviceName }),
    ClusterName: task.clusterName,
    Image: container.image,
    ContainerKnownStatus: container.knownStatus,
    Timestamp: timestamp,
    ...measured(use, reserved.cpu, reserved.memory),
  };
}
