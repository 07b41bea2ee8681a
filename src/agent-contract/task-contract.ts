import type { Attachment, Container, ContainerDefinition, TaskOverride, Volume } from '@aws-sdk/client-ecs';
import type { TaskFirewall } from './task-firewall.js';

/**
 * The contract between the control plane and an agent (in-process now, over HTTP later): what
 * it takes to run one task, and what the agent reports back. Both sides import only this.
 */

/** Everything an agent needs to run one task. */
export interface TaskLaunchSpec {
  taskArn: string;
  taskId: string;
  clusterArn: string;
  region: string;
  accountId: string;
  taskDefinitionArn: string;
  family: string;
  revision: number;
  launchType: string;
  availabilityZone: string;
  /** The container instance the task was placed on; absent for tasks of the control host's own launch type (FARGATE). */
  containerInstanceArn?: string;
  /** Task-level size (cpu units, MiB), after overrides; undefined when the definition sets none. */
  cpu?: number;
  memory?: number;
  networkMode: string;
  containerDefinitions: ContainerDefinition[];
  /** The container ARN chosen by the control plane, by container name. */
  containerArns: Record<string, string>;
  overrides: TaskOverride;
  /** The roles of the task (the override's, else the definition's): its containers' credentials, and the agent's for pulls, secrets and logs. */
  taskRoleArn?: string;
  executionRoleArn?: string;
  volumes: Volume[];
  /** Subnet id from the awsvpc configuration, shown in the ENI attachment. */
  subnetId?: string;
  /**
   * What the task's security groups allow, for an awsvpc task whose groups the control plane
   * enforces; absent, the task's traffic is not filtered. The control plane updates it on the
   * running task as groups and their members change.
   */
  firewall?: TaskFirewall;
  pidMode?: string;
  ipcMode?: string;
  createdAt: number;
}

/** Why a task stopped: stop code and reason, as DescribeTasks shows them. */
export interface StopReason {
  stopCode: string;
  stoppedReason: string;
}

/** A change of task state reported by an agent: any subset of lifecycle fields. */
export interface TaskStateChange {
  lastStatus?: string;
  pullStartedAt?: number;
  pullStoppedAt?: number;
  startedAt?: number;
  stoppingAt?: number;
  stoppedAt?: number;
  executionStoppedAt?: number;
  connectivity?: 'CONNECTED' | 'DISCONNECTED';
  connectivityAt?: number;
  stopCode?: string;
  stoppedReason?: string;
  healthStatus?: 'HEALTHY' | 'UNHEALTHY' | 'UNKNOWN';
  attachments?: Attachment[];
  /** Per container, by name: the fields that changed. */
  containers?: Record<string, Partial<Container>>;
}

/**
 * A task found unfinished when an agent starts: what was last recorded of it, and the stop that was
 * asked for before the restart, if any. The agent adopts what still runs, starts what an
 * acknowledged launch had not started yet, and carries a requested stop on.
 */
export interface TaskRecovery {
  spec: TaskLaunchSpec;
  /** The task's last recorded state: lastStatus, stop details, containers' lastStatus and exitCode. */
  known: TaskStateChange;
  /** Set when the task was asked to stop (desiredStatus STOPPED) or had begun stopping. */
  stop?: StopReason;
}

/** Whether a task in `lastStatus` is on its way to STOPPED (DEACTIVATING, STOPPING, DEPROVISIONING). */
export function isStoppingStatus(status: string | undefined): boolean {
  return status === 'DEACTIVATING' || status === 'STOPPING' || status === 'DEPROVISIONING';
}

/** Receives an agent's reports; the control plane persists them. */
export type TaskReporter = (taskArn: string, change: TaskStateChange) => Promise<void>;

/** What the control plane asks of an agent. */
export interface TaskAgent {
  /** Starts running the task; progress arrives through the reporter. Never throws for task failures. */
  launch(spec: TaskLaunchSpec): void;
  /** Asks the agent that runs the task (on `containerInstanceArn`, or the control host) to stop it (stopTimeout, then SIGKILL). */
  stop(taskArn: string, reason: StopReason, containerInstanceArn?: string): void;
  /** Resources this agent offers for placement (cpu units, MiB). */
  capacity(): { cpu: number; memory: number };
}
