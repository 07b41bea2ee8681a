import { parseArn } from '../../lib/arn.js';

/**
 * The `valueFrom` of an ECS container secret (and of `repositoryCredentials.credentialsParameter`):
 * - a Secrets Manager ARN, `arn:aws:secretsmanager:<region>:<account>:secret:<name-AbCdEf>`, optionally
 *   followed by `:<json-key>:<version-stage>:<version-id>` (any of the three may be empty, but all
 *   three colons must be there: the agent accepts the resource in exactly 2 or 5 parts);
 * - an SSM parameter ARN, `arn:aws:ssm:<region>:<account>:parameter/<name>`;
 * - otherwise the name of an SSM parameter in the task's region (`/app/db/password`, `name`).
 * Parsing is pure; {@link resolveSecretReference} (resolve.ts) reads the values.
 */
export type SecretReference =
  | {
      kind: 'secretsmanager';
      /** The secret ARN without the json-key, stage and version suffix (what GetSecretValue gets). */
      secretId: string;
      region: string;
      accountId: string;
      jsonKey?: string;
      versionStage?: string;
      versionId?: string;
    }
  | {
      kind: 'ssm';
      /** The parameter name (from an ARN: with its leading slash, as the agent derives it). */
      name: string;
      /** Set for an ARN; a plain name is looked up in the task's region and account. */
      region?: string;
      accountId?: string;
    };

/** Why a valueFrom could not be read, in the agent's words. */
export class SecretReferenceError extends Error {
  override readonly name = 'SecretReferenceError';
}

/** The agent's text for a Secrets Manager ARN with the wrong number of parts. */
export const INVALID_ASM_ARN = 'an invalid ARN format for the AWS Secrets Manager secret was specified. Specify a valid ARN and try again.';

/** Parses a valueFrom; throws {@link SecretReferenceError} for one ECS would refuse. */
export function parseSecretReference(valueFrom: string): SecretReference {
  if (valueFrom === '') throw new SecretReferenceError('the secret valueFrom is empty');
  const arn = parseArn(valueFrom);
  if (!arn) return { kind: 'ssm', name: valueFrom };
  if (arn.service === 'ssm') {
    if (!arn.resource.startsWith('parameter/') || arn.resource === 'parameter/') {
      throw new SecretReferenceError(`invalid SSM parameter ARN: ${valueFrom}`);
    }
    return { kind: 'ssm', name: arn.resource.slice('parameter'.length), region: arn.region, accountId: arn.accountId };
  }
  if (arn.service !== 'secretsmanager') {
    throw new SecretReferenceError(`unsupported secret ARN (service ${arn.service}): ${valueFrom}`);
  }
  const parts = arn.resource.split(':');
  if (parts[0] !== 'secret' || parts[1] === undefined || parts[1] === '') throw new SecretReferenceError(INVALID_ASM_ARN);
  const base = { kind: 'secretsmanager' as const, region: arn.region, accountId: arn.accountId };
  if (parts.length === 2) return { ...base, secretId: valueFrom };
  if (parts.length !== 5) throw new SecretReferenceError(INVALID_ASM_ARN);
  const [, name, jsonKey, versionStage, versionId] = parts as [string, string, string, string, string];
  return {
    ...base,
    secretId: `arn:${arn.partition}:secretsmanager:${arn.region}:${arn.accountId}:secret:${name}`,
    ...(jsonKey !== '' && { jsonKey }),
    ...(versionStage !== '' && { versionStage }),
    ...(versionId !== '' && { versionId }),
  };
}
