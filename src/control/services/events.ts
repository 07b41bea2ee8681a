/**
 * Service event messages worded as ECS words them in DescribeServices (the `(service name)`
 * prefix, task ids in parentheses, a full stop at the end).
 */

const taskList = (taskIds: readonly string[]) => taskIds.map((id) => `(task ${id})`).join(' ');

/** Tasks the scheduler started. */
export const startedTasks = (service: string, taskIds: readonly string[]): string =>
  `(service ${service}) has started ${taskIds.length} tasks: ${taskList(taskIds)}.`;

/** Tasks the scheduler stopped. */
export const stoppedTasks = (service: string, taskIds: readonly string[]): string =>
  `(service ${service}) has stopped ${taskIds.length} running tasks: ${taskList(taskIds)}.`;

/** The service runs its desired count, healthy, and no deployment is under way. */
export const steadyState = (service: string): string => `(service ${service}) has reached a steady state.`;

/** A deployment finished rolling out. */
export const deploymentCompleted = (service: string, deploymentId: string): string =>
  `(service ${service}) (deployment ${deploymentId}) deployment completed.`;

/** The circuit breaker stopped a deployment. */
export const deploymentFailed = (service: string, deploymentId: string): string =>
  `(service ${service}) deployment ${deploymentId} deployment failed: tasks failed to start.`;

/** The circuit breaker rolls back to the last deployment that completed. */
export const rollingBack = (service: string, deploymentId: string): string =>
  `(service ${service}) rolling back to deployment ${deploymentId}.`;

/** A task could not be placed: `detail` says why the closest candidate did not fit. */
export const unableToPlace = (service: string, detail: string): string =>
  `(service ${service}) was unable to place a task because no container instance met all of its requirements. ${detail} For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.`;

/** The task domain refused to launch a task (for example, a task definition it no longer runs). */
export const failedToLaunch = (service: string, error: string): string => `(service ${service}) failed to launch a task with (error ${error}).`;

/** The deployment configuration leaves the scheduler no room to start or stop a task. */
export const configurationBlocks = (service: string): string =>
  `(service ${service}) was unable to stop or start tasks during a deployment because of the service deployment configuration. Update the minimumHealthyPercent or maximumPercent value and try again.`;

/** Tasks keep failing to start: the scheduler waits longer and longer between launches (ECS's service throttle). */
export const unableToStart = (service: string): string => `(service ${service}) is unable to consistently start tasks successfully.`;

/** A task failed its container health checks and is replaced. */
export const unhealthyTask = (service: string, taskId: string): string =>
  `(service ${service}) (task ${taskId}) failed container health checks.`;

/** Targets registered in a target group once their tasks run. */
export const registeredTargets = (service: string, count: number, targetGroupArn: string): string =>
  `(service ${service}) registered ${count} targets in (target-group ${targetGroupArn})`;

/** Tasks leaving their target groups: their connections drain for the groups' deregistration delay. */
export const beganDraining = (service: string, count: number): string => `(service ${service}) has begun draining connections on ${count} tasks.`;

/** Targets deregistered from a target group (before their tasks are stopped). */
export const deregisteredTargets = (service: string, count: number, targetGroupArn: string): string =>
  `(service ${service}) deregistered ${count} targets in (target-group ${targetGroupArn})`;

/** A task's target failed the target group's health checks (after the grace period); the task is replaced. */
export const unhealthyTarget = (service: string, t: { targetGroupArn: string; id: string; port: number; reason: string; instance: boolean }): string =>
  `(service ${service})${t.instance ? ` (instance ${t.id})` : ''} (port ${t.port}) is unhealthy in (target-group ${t.targetGroupArn}) due to (reason ${t.reason}).`;

/** The detail of a placement failure, as ECS words it: the closest instance (by id) and why it did not fit. */
export function placementDetail(failure: { reason?: string; arn?: string } | undefined): string {
  const reason = failure?.reason;
  const id = failure?.arn?.split('/').pop();
  const closest = id ? `The closest matching container-instance ${id}` : 'The closest matching container-instance';
  switch (reason) {
    case 'RESOURCE:MEMORY':
      return `${closest} has insufficient memory available.`;
    case 'RESOURCE:CPU':
      return `${closest} has insufficient CPU units available.`;
    case 'RESOURCE:PORTS':
      return `${closest} is already using a port required by your task.`;
    case 'AGENT':
      return `${closest} has an agent that is disconnected.`;
    case undefined:
    case 'MISSING':
    case 'No Container Instances were found in your cluster.':
      return 'Reason: No Container Instances were found in your cluster.';
    default:
      // Placement constraints (MemberOf, DistinctInstance) and other reasons are quoted.
      return id ? `${closest} encountered error "${reason}".` : `Reason: ${reason}`;
  }
}

/** ECS's event when tasks above the desired count, or of an older deployment, are kept because they are protected from scale-in. */
export const tasksUnderProtection = (service: string, count: number): string =>
  `(service ${service}) was unable to scale in due to (reason ${count} tasks under protection).`;

/** The rolloutStateReason texts of deployments. */
export const rolloutReason = {
  inProgress: (id: string) => `ECS deployment ${id} in progress.`,
  completed: (id: string) => `ECS deployment ${id} completed.`,
  failed: () => 'ECS deployment circuit breaker: tasks failed to start.',
  rollingBack: (id: string) => `ECS deployment circuit breaker: rolling back to deploymentId ${id}.`,
} as const;
