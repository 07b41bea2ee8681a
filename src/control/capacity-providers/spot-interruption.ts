import { invalidParameter, invalidRequest } from '../../lib/errors.js';
import type { Scope } from '../../lib/scope.js';
import { StopCode, type TaskRecord } from '../tasks/task.js';
import type { Tasks } from '../tasks/tasks.js';
import { FargateProvider } from './capacity-provider.js';

/** The stoppedReason ECS gives a Fargate Spot task it reclaims. */
export const SPOT_INTERRUPTION_REASON = 'Your Spot Task was interrupted.';

/**
 * Interrupts a FARGATE_SPOT task as Fargate reclaiming its capacity would: the task is stopped
 * (its containers get their stop signal, SIGTERM by default, then SIGKILL after stopTimeout)
 * with stopCode SpotInterruption. A service that owns the task replaces it like any stopped task.
 * Tasks on other capacity are refused; a task already stopping keeps its first stop reason.
 */
export async function interruptSpotTask(tasks: Tasks, scope: Scope, cluster: string | undefined, taskRef: string): Promise<TaskRecord> {
  const { found } = await tasks.describe(scope, cluster, [taskRef]);
  const task = found[0];
  if (!task) throw invalidParameter('The referenced task was not found.');
  if (task.capacityProviderName !== FargateProvider.FargateSpot) {
    throw invalidRequest(
      `The task ${task.taskArn} does not run on the FARGATE_SPOT capacity provider${task.capacityProviderName ? ` (it uses ${task.capacityProviderName})` : ''}; only Fargate Spot tasks can be interrupted.`,
    );
  }
  return tasks.stop(scope, cluster, task.taskArn, SPOT_INTERRUPTION_REASON, StopCode.SpotInterruption);
}
