import { parseArn } from '../../../lib/arn.js';
import { invalidParameter } from '../../../lib/errors.js';

/**
 * What RotationLambdaARN may name here. There is no Lambda: the rotation function is an ECS task
 * definition, named as RunTask's `taskDefinition` names one —
 * `arn:aws:ecs:<region>:<account>:task-definition/<family>:<revision>`, `<family>:<revision>`, or
 * `<family>` (its latest ACTIVE revision when each step starts). The task definition must be in the
 * secret's region and account, as a Lambda rotation function must be.
 */

const FAMILY = /^[A-Za-z0-9_-]{1,255}(:[1-9][0-9]{0,9})?$/;

/** The refusal of a Lambda function ARN. */
export const LAMBDA_REFUSED =
  'RotationLambdaARN names a Lambda function, and Lambda is not served here: name an ECS task definition instead ' +
  '(arn:aws:ecs:<region>:<account>:task-definition/<family>:<revision>, <family>:<revision> or <family>).';

/** Checks a RotationLambdaARN and returns the task definition reference RunTask takes. */
export function rotationTaskDefinition(scope: { region: string; accountId: string }, functionArn: string): string {
  const arn = parseArn(functionArn);
  if (!arn) {
    if (FAMILY.test(functionArn)) return functionArn;
    throw invalidParameter(`Invalid RotationLambdaARN ${JSON.stringify(functionArn)}: ${LAMBDA_REFUSED.slice(LAMBDA_REFUSED.indexOf('name an'))}`);
  }
  if (arn.service === 'lambda') throw invalidParameter(LAMBDA_REFUSED);
  if (arn.service !== 'ecs' || !arn.resource.startsWith('task-definition/') || !FAMILY.test(arn.resource.slice('task-definition/'.length))) {
    throw invalidParameter(`Invalid RotationLambdaARN ${functionArn}: it must name an ECS task definition (task-definition/<family>:<revision>).`);
  }
  if (arn.region !== scope.region || arn.accountId !== scope.accountId) {
    throw invalidParameter(`Invalid RotationLambdaARN ${functionArn}: the rotation function must be in the secret's region and account.`);
  }
  return functionArn;
}
