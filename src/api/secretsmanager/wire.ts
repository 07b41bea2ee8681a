import { invalidParameter } from '../../lib/errors.js';
import type { RotationRules } from '../../secrets/secrets-manager/rotation/schedule.js';
import { secretValueOf, type SecretRecord, type SecretTag, type SecretValue } from '../../secrets/secrets-manager/secret.js';
import { versionIdsToStages } from '../../secrets/secrets-manager/staging.js';
import type { SecretValueView } from '../../secrets/secrets-manager/secrets-manager.js';

/** Epoch seconds, as JSON 1.1 carries timestamps. */
export const seconds = (ms: number): number => ms / 1000;

/** A tag list from the request; the model leaves Key and Value optional, Secrets Manager does not. */
export function tagsIn(tags: ReadonlyArray<{ Key?: string; Value?: string }> | undefined): SecretTag[] {
  return (tags ?? []).map((t) => {
    if (t.Key === undefined) throw invalidParameter('A tag key must not be empty.');
    return { Key: t.Key, Value: t.Value ?? '' };
  });
}

/** The value of a request's SecretString / SecretBinary (base64 on the wire). */
export function valueIn(input: { SecretString?: string; SecretBinary?: string }): SecretValue | undefined {
  return secretValueOf(input.SecretString, input.SecretBinary === undefined ? undefined : Buffer.from(input.SecretBinary, 'base64'));
}

/** SecretString or SecretBinary of a response. */
export function valueOut(value: SecretValue): { SecretString: string } | { SecretBinary: string } {
  return value.kind === 'string' ? { SecretString: value.text } : { SecretBinary: value.bytes.toString('base64') };
}

/** RotationRules of a request (the model types AutomaticallyAfterDays as a long). */
export function rotationRulesIn(rules: { AutomaticallyAfterDays?: number; ScheduleExpression?: string; Duration?: string } | undefined): RotationRules | undefined {
  if (rules === undefined) return undefined;
  return {
    ...(rules.AutomaticallyAfterDays !== undefined && { automaticallyAfterDays: Number(rules.AutomaticallyAfterDays) }),
    ...(rules.ScheduleExpression !== undefined && { scheduleExpression: rules.ScheduleExpression }),
    ...(rules.Duration !== undefined && { duration: rules.Duration }),
  };
}

/**
 * The rotation members: absent for a secret never configured for rotation (RotationEnabled null);
 * once turned off, the function and rules still show, the dates do not (as AWS documents).
 */
function rotationOut(secret: SecretRecord) {
  const r = secret.rotation;
  if (!r) return {};
  const rules = r.rules && {
    ...(r.rules.automaticallyAfterDays !== undefined && { AutomaticallyAfterDays: r.rules.automaticallyAfterDays }),
    ...(r.rules.scheduleExpression !== undefined && { ScheduleExpression: r.rules.scheduleExpression }),
    ...(r.rules.duration !== undefined && { Duration: r.rules.duration }),
  };
  return {
    RotationEnabled: r.enabled,
    ...(r.functionArn !== undefined && { RotationLambdaARN: r.functionArn }),
    ...(rules && { RotationRules: rules }),
    ...(r.enabled && r.lastRotatedDate !== undefined && { LastRotatedDate: seconds(r.lastRotatedDate) }),
    ...(r.enabled && r.nextRotationDate !== undefined && { NextRotationDate: seconds(r.nextRotationDate) }),
  };
}

/** The members DescribeSecret and ListSecrets share: metadata, never values. */
function metadata(secret: SecretRecord) {
  return {
    ...rotationOut(secret),
    ARN: secret.arn,
    Name: secret.name,
    ...(secret.description !== undefined && { Description: secret.description }),
    // Omitted for the default aws/secretsmanager key, as AWS does.
    ...(secret.kmsKeyId !== undefined && { KmsKeyId: secret.kmsKeyId }),
    LastChangedDate: seconds(secret.lastChangedDate),
    ...(secret.lastAccessedDate !== undefined && { LastAccessedDate: seconds(secret.lastAccessedDate) }),
    ...(secret.deletedDate !== undefined && { DeletedDate: seconds(secret.deletedDate) }),
    ...(secret.tags.length > 0 && { Tags: secret.tags }),
    CreatedDate: seconds(secret.createdDate),
  };
}

/** DescribeSecret's answer. */
export function describeOut(secret: SecretRecord) {
  const stages = versionIdsToStages(secret.versions);
  return { ...metadata(secret), ...(Object.keys(stages).length > 0 && { VersionIdsToStages: stages }) };
}

/** One SecretListEntry of ListSecrets. */
export function listEntryOut(secret: SecretRecord) {
  const stages = versionIdsToStages(secret.versions);
  return { ...metadata(secret), ...(Object.keys(stages).length > 0 && { SecretVersionsToStages: stages }) };
}

/** GetSecretValue's answer, and a SecretValueEntry of BatchGetSecretValue. */
export function secretValueOut(view: SecretValueView) {
  return {
    ARN: view.arn,
    Name: view.name,
    VersionId: view.versionId,
    ...valueOut(view.value),
    VersionStages: view.stages,
    CreatedDate: seconds(view.createdDate),
  };
}
