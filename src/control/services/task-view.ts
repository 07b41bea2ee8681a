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
  /**
   * For a task of a deployment behind load balancers: what its target groups say of it (healthy
   * only when every target is healthy; initial while it is not yet registered or checked).
   * Absent for tasks of deployments without load balancers.
   */
  targetHealth?: 'healthy' | 'initial' | 'unhealthy';
  /** The first unhealthy target, for the event and the stop reason. */
  failedTarget?: FailedTarget;
  /** Protected from scale-in and deployments until this instant (epoch ms); absent when never protected. */
  protectedUntil?: number;
  /** Still registered in a target group or Cloud Map, or leaving them: a deleted service waits for it. */
  trafficPending?: boolean;
}

/** A target that failed its group's health checks. */
export interface FailedTarget {
  targetGroupArn: string;
  id: string;
  port: number;
  /** ELBv2's description (or reason code) of the failure. */
  reason: string;
  /** An instance target (bridge, host): ECS names the instance in the event. */
  instance: boolean;
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
    // A task draining its targets before the scheduler stops it is as good as stopping.
    desiredStatus: task.traffic?.stop ? 'STOPPED' : task.desiredStatus,
    healthStatus: task.healthStatus,
    hasHealthCheck: task.containers.some((c) => c.healthStatus !== undefined),
    createdAt: task.createdAt,
    ...(task.startedAt !== undefined && { startedAt: task.startedAt }),
    ...(task.stoppedAt !== undefined && { stoppedAt: task.stoppedAt }),
    ...(task.stopCode !== undefined && { stopCode: task.stopCode }),
    ...(task.containerInstanceArn !== undefined && { containerInstanceArn: task.containerInstanceArn }),
    ...(task.protection && { protectedUntil: task.protection.expiresAt }),
    ...(task.traffic && task.traffic.phase !== 'deregistered' && { trafficPending: true }),
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
 * when HEALTHY, without them unless reported UNHEALTHY; behind load balancers, only once healthy there.
 */
export const isHealthy = (t: TaskView): boolean =>
  isWanted(t) &&
  t.lastStatus === 'RUNNING' &&
  (t.hasHealthCheck ? t.healthStatus === 'HEALTHY' : t.healthStatus !== 'UNHEALTHY') &&
  // Behind a load balancer, a task is healthy only once its target groups say so, as in ECS.
  (t.targetHealth === undefined || t.targetHealth === 'healthy');

/** Stop codes of tasks that failed on their own (the circuit breaker counts these). */
export const FAILURE_STOP_CODES: ReadonlySet<string> = new Set(['TaskFailedToStart', 'EssentialContainerExited']);

/** Protected from scale-in at `now`: the scheduler does not stop it to scale in or to roll out. */
export const isProtected = (t: TaskView, now: number): boolean => t.protectedUntil !== undefined && t.protectedUntil > now;
