import { randomInt } from 'node:crypto';
import { formatArn, parseArn } from '../../lib/arn.js';
import type { Scope } from '../../lib/scope.js';
import { validationError } from './errors.js';

/**
 * Secret names and ARNs. A secret's ARN is `arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6
 * random letters and digits>`; AWS adds the suffix so that a new secret with an old name gets a new
 * ARN. A SecretId is a name, a full ARN or a partial ARN (one without the suffix).
 */

const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const SUFFIX_LENGTH = 6;
const SUFFIX = /-[A-Za-z0-9]{6}$/;

// The characters AWS's message lists (the documentation omits '!', the service accepts it).
const NAME = /^[A-Za-z0-9/_+=.@!-]+$/;

/** AWS's ValidationException text for a name with other characters. */
export const INVALID_NAME_MESSAGE =
  'Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!';

/** Rejects a secret name AWS rejects (the model bounds its length already). */
export function checkSecretName(name: string): void {
  if (!NAME.test(name)) throw validationError(INVALID_NAME_MESSAGE);
}

/** A new ARN for a secret called `name` in this scope, with a fresh random suffix. */
export function newSecretArn(scope: Scope, name: string): string {
  let suffix = '';
  for (let i = 0; i < SUFFIX_LENGTH; i++) suffix += SUFFIX_ALPHABET[randomInt(SUFFIX_ALPHABET.length)];
  return secretArn(scope.region, scope.accountId, `${name}-${suffix}`);
}

/** The ARN of `nameWithSuffix` in a region and account. */
export const secretArn = (region: string, accountId: string, nameWithSuffix: string): string =>
  formatArn('secretsmanager', region, accountId, `secret:${nameWithSuffix}`);

/** What a SecretId refers to, before it is looked up. */
export type SecretRef =
  /** A name, or a partial ARN (which names the secret without its suffix). */
  | { kind: 'name'; name: string }
  /** A full ARN: the name is the resource less a suffix, and the ARN must match exactly. */
  | { kind: 'arn'; arn: string; name: string; partialName: string }
  /** An ARN of another region, account or service: it names no secret here. */
  | { kind: 'foreign' };

/** Reads a SecretId in this scope. */
export function parseSecretId(scope: Scope, secretId: string): SecretRef {
  const arn = parseArn(secretId);
  if (!arn) return { kind: 'name', name: secretId };
  if (
    arn.service !== 'secretsmanager' ||
    arn.region !== scope.region ||
    arn.accountId !== scope.accountId ||
    !arn.resource.startsWith('secret:')
  ) {
    return { kind: 'foreign' };
  }
  const resource = arn.resource.slice('secret:'.length);
  if (resource === '') return { kind: 'foreign' };
  // Either a full ARN (name-AbCdEf) or a partial one whose name happens to end like a suffix; the
  // lookup tries the full reading first.
  if (SUFFIX.test(resource)) {
    return { kind: 'arn', arn: secretId, name: resource.slice(0, -(SUFFIX_LENGTH + 1)), partialName: resource };
  }
  return { kind: 'name', name: resource };
}
