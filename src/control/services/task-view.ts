import type { InstanceSnapshot } from '../../placement/types.js';
import type { TaskRecord } from '../tasks/task.js';

/** What the service scheduler needs to know of one task of a service. */
export interface TaskView {
  taskArn: string;
  taskId: string;
  /** The deployment that started it (`ecs-svc/…`). */
  startedBy?: string;
  lastStatus: string;
  desiredStatus: string;
  healthStatus: string;
  /** Whether any container has a health check: such a task is healthy only once HEALTHY. */
  hasHealthCheck: boolean;
  createdAt: number;
  startedAt?: number;
  stoppedAt?: number;
  stopCode?: string;
  containerInstanceArn?: string;
}

/** A container instance as the service scheduler sees it. */
export interface InstanceView {
  containerInstanceArn: string;
  status: string;
  /** False once the instance's agent has been silent past the disconnect timeout (absent: connected). */
  agentConnected?: boolean;
  /** The whole snapshot, when the caller has it: DAEMON services filter instances by their memberOf constraints with it. */
  snapshot?: InstanceSnapshot;
}

/** The scheduler's view of a stored task. */
export function viewOf(task: TaskRecord): TaskView {
  return {
    taskArn: task.taskArn,
    taskId: task.taskId,
    ...(task.startedBy !== undefined && { startedBy: task.startedBy }),
    lastStatus: task.lastStatus,
    desiredStatus: task.desiredStatus,
    healthStatus: task.healthStatus,
    hasHealthCheck: task.containers.some((c) => c.healthStatus !== undefined),
    createdAt: task.createdAt,
    ...(task.startedAt !== undefined && { startedAt: task.startedAt }),
    ...(task.stoppedAt !== undefined && { stoppedAt: task.stoppedAt }),
    ...(task.stopCode !== undefined && { stopCode: task.stopCode }),
    ...(task.containerInstanceArn !== undefined && { containerInstanceArn: task.containerInstanceArn }),
  };
}

/** Not STOPPED: the task occupies capacity and counts against maximumPercent. */
export const isLive = (t: TaskView): boolean => t.lastStatus !== 'STOPPED';

/** Live and meant to keep running (not being stopped). */
export const isWanted = (t: TaskView): boolean => isLive(t) && t.desiredStatus === 'RUNNING';

/** Still starting: PROVISIONING, PENDING or ACTIVATING. */
export const isPending = (t: TaskView): boolean =>
  t.lastStatus === 'PROVISIONING' || t.lastStatus === 'PENDING' || t.lastStatus === 'ACTIVATING';

/**
 * Healthy as a deployment counts it: RUNNING and wanted; with container health checks only
 * when HEALTHY, without them unless reported UNHEALTHY.
 */
export const isHealthy = (t: TaskView): boolean =>
  isWanted(t) && t.lastStatus === 'RUNNING' && (t.hasHealthCheck ? t.healthStatus === 'HEALTHY' : t.healthStatus !== 'UNHEALTHY');

/** Stop codes of tasks that failed on their own (the circuit breaker counts these). */
export const FAILURE_STOP_CODES: ReadonlySet<string> = new Set(['TaskFailedToStart', 'EssentialContainerExited']);
