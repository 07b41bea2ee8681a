import type { Scope } from '../../lib/scope.js';
import type { Collection } from '../../store/store.js';
import { parseSecretId } from './secret-ids.js';
import { isGone, type SecretRecord } from './secret.js';

/** Secret metadata documents, keyed `<region>/<name>`. */
export const SECRETS = 'sm-secrets';

/** The key of a secret's metadata. */
export const secretKey = (region: string, name: string): string => `${region}/${name}`;

/** A secret found by its SecretId, with its store key. */
export interface FoundSecret {
  key: string;
  secret: SecretRecord;
}

/**
 * Finds the secret a SecretId (name, full ARN or partial ARN) refers to in this scope. A secret whose
 * scheduled deletion is due counts as gone.
 */
export async function findSecret(
  secrets: Collection<SecretRecord>,
  scope: Scope,
  secretId: string,
): Promise<FoundSecret | undefined> {
  const ref = parseSecretId(scope, secretId);
  if (ref.kind === 'foreign') return undefined;
  const live = async (name: string, exactArn?: string): Promise<FoundSecret | undefined> => {
    const key = secretKey(scope.region, name);
    const secret = await secrets.get(key);
    if (!secret || isGone(secret, scope.now)) return undefined;
    if (exactArn !== undefined && secret.arn !== exactArn) return undefined;
    return { key, secret };
  };
  if (ref.kind === 'name') return live(ref.name);
  // A full ARN must match exactly (a re-created secret has another suffix); failing that, the
  // resource may be a partial ARN of a secret whose name merely ends like a suffix.
  return (await live(ref.name, ref.arn)) ?? (await live(ref.partialName));
}
