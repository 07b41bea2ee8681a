import { invalidParameter } from '../../../lib/errors.js';
import type { Scope } from '../../../lib/scope.js';
import type { RotationStep, StepOutcome } from './rotation-state.js';

/** One step of a rotation to run: a Lambda rotation event's three fields, and its invocation id. */
export interface StepInvocation {
  /** RotationLambdaARN as recorded: the task definition (see function-ref.ts). */
  functionArn: string;
  /** The secret's ARN (the event's SecretId). */
  secretId: string;
  /** The AWSPENDING version's id (the event's ClientRequestToken). */
  clientRequestToken: string;
  step: RotationStep;
  /** The same for the same step of the same run: a repeated start must not run the step again. */
  invocationId: string;
}

/**
 * How Secrets Manager reaches rotation functions: the composition root fills it with ECS tasks
 * (cli/secret-rotation.ts), so that secrets/ never imports the ECS domain.
 */
export interface RotationFunctions {
  /** Refuses (InvalidParameterException) a function that cannot be run, when RotateSecret names it. */
  check(scope: Scope, functionArn: string): Promise<void>;
  /** Starts a step, or finds the one started under the same invocation id; returns its handle. */
  start(scope: Scope, invocation: StepInvocation): Promise<string>;
  /** Where a started step stands. */
  outcome(scope: Scope, handle: string): Promise<StepOutcome>;
}

/** No runner: every rotation function is refused (a domain built without one, e.g. in API tests). */
export const NO_ROTATION_FUNCTIONS: RotationFunctions = {
  async check() {
    throw invalidParameter('Rotation functions cannot run here.');
  },
  async start() {
    throw new Error('no rotation function runner');
  },
  async outcome() {
    return { state: 'failed', reason: 'no rotation function runner' };
  },
};
