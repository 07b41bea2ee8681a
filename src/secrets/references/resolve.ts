import { DomainError, ErrorKind, isDomainError } from '../../lib/errors.js';
import type { Scope } from '../../lib/scope.js';
import type { ParameterStore } from '../parameters/parameter-store.js';
import type { SecretsManager } from '../secrets-manager/secrets-manager.js';
import { goFormat } from './go-format.js';
import { parseSecretReference, SecretReferenceError, type SecretReference } from './secret-reference.js';

/**
 * Resolves ECS secret references to values, failing with the stopped reason ECS gives a task whose
 * secrets cannot be read. The texts are the Fargate agent's, as tasks report them:
 *
 *   ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval
 *   failed: unable to retrieve secret from asm: service call has been retried 1 time(s): failed to fetch
 *   secret <arn> from secrets manager: ResourceNotFoundException: Secrets Manager can't find the specified secret.
 *
 *   ... unable to retrieve secret from asm: service call has been retried 1 time(s): retrieved secret
 *   from Secrets Manager did not contain json key <key>
 *
 *   ... unable to retrieve secrets from ssm: service call has been retried 1 time(s): invalid ssm parameters: <names>
 *
 * Values never appear in these messages: where the agent quotes Go's JSON error, which names the
 * offending character of the secret, the character is left out.
 */

/** Where values are read from. */
export interface SecretSources {
  secrets: SecretsManager;
  parameters: ParameterStore;
  /** The exception name Secrets Manager answers a failure with (its API's error table), quoted in the reason. */
  secretsErrorName: (err: DomainError) => string;
}

/** The subject of the DomainError carrying an ECS stopped reason. */
export const SECRET_RESOLUTION = 'secret-resolution';

const PREFIX = 'ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: ';
const ASM = `${PREFIX}unable to retrieve secret from asm: service call has been retried 1 time(s): `;
const SSM = `${PREFIX}unable to retrieve secrets from ssm: service call has been retried 1 time(s): `;

const failed = (reason: string) => new DomainError(ErrorKind.FailedPrecondition, reason, SECRET_RESOLUTION);

/**
 * The value `valueFrom` names, read in `scope` (an ARN's own region is used for lookups; another
 * account's resources are not found). Throws a DomainError whose message is ECS's stopped reason.
 */
export async function resolveSecretReference(sources: SecretSources, valueFrom: string, scope: Scope): Promise<string> {
  const values = await resolveSecretReferences(sources, [valueFrom], scope);
  return values.get(valueFrom)!;
}

/**
 * Resolves all secrets of a task at once, as the agent does: the SSM parameters in one request per
 * region (a failure names every missing parameter), then the Secrets Manager secrets (failures joined
 * by ";"). Returns the values by valueFrom.
 */
export async function resolveSecretReferences(
  sources: SecretSources,
  valueFroms: readonly string[],
  scope: Scope,
): Promise<Map<string, string>> {
  const values = new Map<string, string>();
  const parsed = new Map<string, SecretReference>();
  for (const valueFrom of new Set(valueFroms)) {
    try {
      parsed.set(valueFrom, parseSecretReference(valueFrom));
    } catch (err) {
      if (!(err instanceof SecretReferenceError)) throw err;
      throw failed(`${ASM}trying to retrieve secret with value ${valueFrom} resulted in error: ${err.message}`);
    }
  }
  const invalid: string[] = [];
  for (const [valueFrom, ref] of parsed) {
    if (ref.kind !== 'ssm') continue;
    try {
      values.set(valueFrom, await readParameter(sources.parameters, ref, scope));
    } catch (err) {
      if (!isDomainError(err)) throw err;
      if (err.kind !== ErrorKind.NotFound) throw failed(`${SSM}${err.message}`);
      invalid.push(ref.name);
    }
  }
  if (invalid.length > 0) throw failed(`${SSM}invalid ssm parameters: ${invalid.join(',')}`);
  const errors: string[] = [];
  for (const [valueFrom, ref] of parsed) {
    if (ref.kind !== 'secretsmanager') continue;
    try {
      values.set(valueFrom, await readSecret(sources.secrets, ref, scope));
    } catch (err) {
      if (!isDomainError(err)) throw err;
      errors.push(
        err.subject === SECRET_RESOLUTION
          ? err.message
          : `failed to fetch secret ${ref.secretId} from secrets manager: ${sources.secretsErrorName(err)}: ${err.message}`,
      );
    }
  }
  if (errors.length > 0) throw failed(`${ASM}${errors.join(';')}`);
  return values;
}

async function readParameter(parameters: ParameterStore, ref: Extract<SecretReference, { kind: 'ssm' }>, scope: Scope): Promise<string> {
  if (ref.accountId !== undefined && ref.accountId !== scope.accountId) throw new DomainError(ErrorKind.NotFound, ref.name);
  const where = ref.region ? { ...scope, region: ref.region } : scope;
  return (await parameters.get(where, ref.name, true)).value;
}

async function readSecret(secrets: SecretsManager, ref: Extract<SecretReference, { kind: 'secretsmanager' }>, scope: Scope): Promise<string> {
  const read = await secrets.getValue({ ...scope, region: ref.region }, ref.secretId, {
    ...(ref.versionId !== undefined && { versionId: ref.versionId }),
    ...(ref.versionStage !== undefined && { versionStage: ref.versionStage }),
  });
  // The agent reads SecretString only: a binary secret injects an empty string.
  const text = read.value.kind === 'string' ? read.value.text : '';
  if (ref.jsonKey === undefined) return text;
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw new DomainError(ErrorKind.FailedPrecondition, 'invalid character looking for beginning of value', SECRET_RESOLUTION);
  }
  if (typeof document !== 'object' || Array.isArray(document)) {
    const kind = Array.isArray(document) ? 'array' : typeof document === 'boolean' ? 'bool' : typeof document;
    throw new DomainError(
      ErrorKind.FailedPrecondition,
      `json: cannot unmarshal ${kind} into Go value of type map[string]interface {}`,
      SECRET_RESOLUTION,
    );
  }
  // JSON null decodes to an empty map in Go: every key is then missing.
  if (document === null || !Object.hasOwn(document, ref.jsonKey)) {
    throw new DomainError(
      ErrorKind.FailedPrecondition,
      `retrieved secret from Secrets Manager did not contain json key ${ref.jsonKey}`,
      SECRET_RESOLUTION,
    );
  }
  return goFormat((document as Record<string, unknown>)[ref.jsonKey]);
}
