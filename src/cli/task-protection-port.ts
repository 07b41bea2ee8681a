import type { ProtectionOutcome, TaskProtectionPort } from '../agent-contract/ports.js';
import { ecsErrorName } from '../api/ecs/errors.js';
import type { ProtectionResult, TaskProtections } from '../control/tasks/task-protection.js';
import { parseArn } from '../lib/arn.js';
import { isDomainError } from '../lib/errors.js';
import { rootPrincipal, type Scope } from '../lib/scope.js';

/**
 * The agent endpoint's task protection over the ECS domain: each call is GetTaskProtection or
 * UpdateTaskProtection for the one task, in the task's account, region and cluster (all in its
 * ARN), and its result is what the ECS agent passes on: the protection, the failure, or the error.
 */
export function taskProtectionPort(protections: () => TaskProtections, now: () => Date = () => new Date()): TaskProtectionPort {
  const call = async (taskArn: string, run: (scope: Scope, cluster: string) => Promise<ProtectionResult>): Promise<ProtectionOutcome> => {
    const arn = parseArn(taskArn);
    const cluster = arn?.resource.split('/')[1];
    if (!arn || !cluster) return { error: { code: 'InvalidParameterException', message: `Invalid task ARN: ${taskArn}`, status: 400 } };
    try {
      const out = await run({ accountId: arn.accountId, region: arn.region, principalArn: rootPrincipal(arn.accountId), now: now() }, cluster);
      const failure = out.failures[0];
      if (failure) return { failure: { ...(failure.arn && { arn: failure.arn }), ...(failure.reason && { reason: failure.reason }), ...(failure.detail && { detail: failure.detail }) } };
      const p = out.protectedTasks[0];
      if (!p) return { error: { code: 'ServerException', message: 'Unexpected error occurred', status: 500 } };
      return { protection: p };
    } catch (err) {
      if (isDomainError(err)) return { error: { code: ecsErrorName(err), message: err.message, status: 400 } };
      return { error: { code: 'ServerException', message: (err as Error).message, status: 500 } };
    }
  };
  return {
    get: (taskArn) => call(taskArn, (scope, cluster) => protections().get(scope, cluster, [taskArn])),
    update: (taskArn, protectionEnabled, expiresInMinutes) =>
      call(taskArn, (scope, cluster) =>
        protections().update(scope, { cluster, tasks: [taskArn], protectionEnabled, ...(expiresInMinutes !== undefined && { expiresInMinutes }) }),
      ),
  };
}
