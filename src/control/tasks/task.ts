import type { Attachment, Container, TaskOverride } from '@aws-sdk/client-ecs';

export type { TaskStateChange } from '../../agent-contract/task-contract.js';

/** Task lifecycle states in ECS's order. */
export const TaskStatus = {
  Provisioning: 'PROVISIONING',
  Pending: 'PENDING',
  Activating: 'ACTIVATING',
  Running: 'RUNNING',
  Deactivating: 'DEACTIVATING',
  Stopping: 'STOPPING',
  Deprovisioning: 'DEPROVISIONING',
  Stopped: 'STOPPED',
} as const;
/** One of {@link TaskStatus}. */
export type TaskStatus = (typeof TaskStatus)[keyof typeof TaskStatus];

/** The lifecycle order: a task's lastStatus only moves forward along it. */
export const TASK_STATUS_ORDER: readonly TaskStatus[] = Object.values(TaskStatus);

/** Why a task stopped, as ECS codes it. */
export const StopCode = {
  TaskFailedToStart: 'TaskFailedToStart',
  EssentialContainerExited: 'EssentialContainerExited',
  UserInitiated: 'UserInitiated',
  ServiceLoopInitiated: 'ServiceLoopInitiated',
  SpotInterruption: 'SpotInterruption',
  TerminationNotice: 'TerminationNotice',
} as const;
/** One of {@link StopCode}. */
export type StopCode = (typeof StopCode)[keyof typeof StopCode];

/** Container states. */
export type ContainerStatus = 'PENDING' | 'RUNNING' | 'STOPPED';

/**
 * A task as stored. Wire member names; timestamps in epoch milliseconds. `containers` carry the
 * ECS Container shape. The record's `version` rises with every change, as DescribeTasks shows it.
 */
export interface TaskRecord {
  taskArn: string;
  taskId: string;
  clusterArn: string;
  taskDefinitionArn: string;
  /** The region the task belongs to (from the request scope). */
  region: string;
  lastStatus: TaskStatus;
  desiredStatus: 'RUNNING' | 'STOPPED';
  launchType: 'FARGATE' | 'EC2' | 'EXTERNAL' | 'MANAGED_INSTANCES';
  capacityProviderName?: string;
  /** The container instance the task runs on (EC2 launch type); absent on the control host. */
  containerInstanceArn?: string;
  /** Host ports the task reserves on its instance, from its definition (not shown on the wire). */
  hostPorts?: number[];
  platformVersion?: string;
  platformFamily?: string;
  cpu?: string;
  memory?: string;
  containers: Container[];
  overrides: TaskOverride;
  attachments: Attachment[];
  availabilityZone: string;
  connectivity?: 'CONNECTED' | 'DISCONNECTED';
  connectivityAt?: number;
  startedBy?: string;
  group: string;
  enableExecuteCommand: boolean;
  healthStatus: 'HEALTHY' | 'UNHEALTHY' | 'UNKNOWN';
  createdAt: number;
  pullStartedAt?: number;
  pullStoppedAt?: number;
  startedAt?: number;
  stoppingAt?: number;
  stoppedAt?: number;
  executionStoppedAt?: number;
  stopCode?: StopCode;
  stoppedReason?: string;
  /** The awsvpc configuration the task was started with (subnets, security groups), recorded as given. */
  networkConfiguration?: unknown;
  /**
   * The security groups an awsvpc task is in: those its configuration names, else its VPC's
   * default group, as ECS applies it. Absent when EC2 networking was not consulted.
   */
  securityGroupIds?: string[];
  /** A service task's place behind load balancers and in Cloud Map (absent for other tasks). */
  traffic?: TaskTraffic;
  /** Scale-in protection (UpdateTaskProtection): off when absent or once its instant has passed. */
  protection?: TaskProtectionRecord;
  version: number;
}

/**
 * Where a service task stands with its target groups and Cloud Map services. Each step is recorded
 * before it is taken (persist the intent, then act), and every call it stands for is idempotent,
 * so a restart takes the recorded step again: nothing is left registered, nothing stopped twice.
 */
export interface TaskTraffic {
  /** registering → registered → deregistering → (draining →) deregistered. */
  phase: 'registering' | 'registered' | 'deregistering' | 'draining' | 'deregistered';
  targets: Array<{ targetGroupArn: string; id: string; port: number; containerPort: number }>;
  instances: Array<{ registryArn: string; instanceId: string; attributes: Record<string, string> }>;
  /** The stop the scheduler sends once the targets have drained (the task is DEACTIVATING meanwhile). */
  stop?: { reason: string; stopCode: StopCode };
  /** When the drain ends (epoch ms): the longest deregistration delay of the task's target groups. */
  drainUntil?: number;
}

/** The ECS name for a task's id part of its ARN. */
export const taskIdOf = (taskArn: string): string => taskArn.slice(taskArn.lastIndexOf('/') + 1);

/**
 * A task's scale-in protection as stored in its record: the instant it lapses (epoch ms). The
 * record is the only state (no timer): a protection whose instant has passed is simply off.
 */
export interface TaskProtectionRecord {
  expiresAt: number;
}
