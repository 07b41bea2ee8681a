import type { KeyValuePair, RunTaskRequest } from '@aws-sdk/client-ecs';
import type { EcsControl } from '../control/ecs-control.js';
import type { TaskRecord } from '../control/tasks/task.js';
import { failedPrecondition, invalidParameter, isDomainError } from '../lib/errors.js';
import type { Scope } from '../lib/scope.js';
import { defaultSubnetId } from '../lib/zones.js';
import type { RotationFunctions, StepInvocation } from '../secrets/secrets-manager/rotation/ports.js';
import type { StepOutcome } from '../secrets/secrets-manager/rotation/rotation-state.js';

/**
 * Rotation functions as ECS tasks: each step of a rotation is one task of the task definition
 * RotationLambdaARN names, run in the region's `default` cluster (created if absent) as RunTask
 * would run it — FARGATE when the definition requires it, else RunTask's default launch; an awsvpc
 * task in the region's default subnet — with the Lambda event's fields in every container's environment:
 * `SECRET_ID` (the secret's ARN), `CLIENT_REQUEST_TOKEN` and `STEP`. The task's own role, if the
 * definition names one, is what the function calls Secrets Manager with. The step succeeded when
 * the task stopped with every essential container exited 0.
 *
 * The step's invocation id is RunTask's clientToken, so starting the same step again (after a
 * restart) finds the task already started instead of running a second one.
 */

/** The cluster rotation tasks run in. */
export const ROTATION_CLUSTER = 'default';
/** The `startedBy` of rotation tasks (ListTasks finds them by it). */
export const ROTATION_STARTED_BY = 'secretsmanager-rotation';

export function rotationTasks(ecs: () => EcsControl): RotationFunctions {
  const definition = async (scope: Scope, ref: string) => {
    try {
      return await ecs().taskDefinitions.describe(scope, ref);
    } catch (err) {
      if (isDomainError(err)) throw invalidParameter(`The rotation function ${ref} names no registered task definition.`);
      throw err;
    }
  };
  return {
    async check(scope, functionArn) {
      await definition(scope, functionArn);
    },

    async start(scope, invocation: StepInvocation) {
      const td = await definition(scope, invocation.functionArn);
      await ecs().clusters.create(scope, { clusterName: ROTATION_CLUSTER });
      const environment: KeyValuePair[] = [
        { name: 'SECRET_ID', value: invocation.secretId },
        { name: 'CLIENT_REQUEST_TOKEN', value: invocation.clientRequestToken },
        { name: 'STEP', value: invocation.step },
      ];
      const request: RunTaskRequest = {
        cluster: ROTATION_CLUSTER,
        taskDefinition: td.taskDefinitionArn,
        count: 1,
        // Otherwise RunTask's own default: the cluster's capacity provider strategy, or EC2.
        ...((td.requiresCompatibilities ?? []).includes('FARGATE') && { launchType: 'FARGATE' as const }),
        startedBy: ROTATION_STARTED_BY,
        clientToken: invocation.invocationId,
        overrides: { containerOverrides: (td.containerDefinitions ?? []).map((c) => ({ name: c.name!, environment })) },
        ...(td.networkMode === 'awsvpc' && {
          networkConfiguration: { awsvpcConfiguration: { subnets: [defaultSubnetId(scope.accountId, `${scope.region}a`)] } },
        }),
      };
      const { tasks, failures } = await ecs().tasks.run(scope, request);
      const task = tasks[0];
      if (!task) {
        const failure = failures[0];
        throw failedPrecondition('rotation', `RunTask placed no task${failure ? ` (${failure.reason ?? ''}${failure.detail ? `: ${failure.detail}` : ''})` : ''}.`);
      }
      return task.taskArn;
    },

    async outcome(scope, taskArn): Promise<StepOutcome> {
      const { found } = await ecs().tasks.describe(scope, clusterOf(taskArn), [taskArn]);
      const task = found[0];
      // Stopped tasks are forgotten an hour after they stop: one that is gone cannot tell its result.
      if (!task) return { state: 'failed', reason: `The task ${taskArn} that ran the step is no longer known.` };
      if (task.lastStatus !== 'STOPPED') return { state: 'running' };
      const td = await ecs().taskDefinitions.describe(scope, task.taskDefinitionArn).catch(() => undefined);
      return stepOutcome(task, new Set((td?.containerDefinitions ?? []).filter((c) => c.essential === false).map((c) => c.name!)));
    },
  };
}

/** The outcome of a stopped task: success when every essential container exited 0. */
export function stepOutcome(task: TaskRecord, nonEssential: ReadonlySet<string>): StepOutcome {
  const essential = task.containers.filter((c) => !nonEssential.has(c.name!));
  if (essential.length > 0 && essential.every((c) => c.exitCode === 0)) return { state: 'succeeded' };
  const exits = essential.map((c) => `${c.name} ${c.exitCode === undefined ? 'did not exit' : `exited ${c.exitCode}`}`).join(', ');
  return { state: 'failed', reason: `The task ${task.taskArn} stopped (${task.stoppedReason ?? 'no reason'}): ${exits}.` };
}

/** The cluster of a task ARN (`…:task/<cluster>/<id>`). */
function clusterOf(taskArn: string): string {
  return taskArn.split('/')[1] ?? ROTATION_CLUSTER;
}
