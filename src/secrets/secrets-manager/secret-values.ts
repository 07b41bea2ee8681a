import type { Transaction } from '../../store/store.js';
import type { Store } from '../../store/store.js';
import { EnvelopeError, type ValueCipher } from '../crypto/value-cipher.js';
import { decryptionFailure } from './errors.js';
import type { SecretRecord, SecretValue, StoredSecretValue } from './secret.js';

/** Sealed secret values, one document per version, apart from the metadata that lists them. */
export const SECRET_VALUES = 'sm-secret-values';

/**
 * The key of one version's value. Names cannot contain ':' (version ids can), so the first ':' ends
 * the name and no two secrets' keys can collide.
 */
export const valueKey = (region: string, name: string, versionId: string): string => `${region}/${name}:${versionId}`;

// The associated data: a value opens only under the secret ARN (which carries the random suffix,
// so a re-created secret of the same name differs) and the version it was written for.
const context = (arn: string, versionId: string) => `secretsmanager\n${arn}\n${versionId}`;

/** Reads and writes sealed values; plaintext exists only in memory, on the way in and out. */
export class SecretValues {
  constructor(
    private readonly store: Store,
    private readonly cipher: ValueCipher,
  ) {}

  /** Seals and stores the value of a new version. */
  async write(tx: Transaction, region: string, secret: SecretRecord, versionId: string, value: SecretValue): Promise<void> {
    const plaintext = value.kind === 'string' ? Buffer.from(value.text, 'utf8') : value.bytes;
    const stored: StoredSecretValue = { kind: value.kind, sealed: this.cipher.seal(plaintext, context(secret.arn, versionId)) };
    await tx.collection<StoredSecretValue>(SECRET_VALUES).put(valueKey(region, secret.name, versionId), stored);
  }

  /** The value of a version, opened; DecryptionFailure when it does not authenticate. */
  async read(region: string, secret: SecretRecord, versionId: string, tx?: Transaction): Promise<SecretValue> {
    const values = (tx ?? this.store).collection<StoredSecretValue>(SECRET_VALUES);
    const stored = await values.get(valueKey(region, secret.name, versionId));
    if (!stored) throw decryptionFailure();
    let plaintext: Buffer;
    try {
      plaintext = this.cipher.open(stored.sealed, context(secret.arn, versionId));
    } catch (err) {
      if (err instanceof EnvelopeError) throw decryptionFailure();
      throw err;
    }
    return stored.kind === 'string' ? { kind: 'string', text: plaintext.toString('utf8') } : { kind: 'binary', bytes: plaintext };
  }

  /** Removes the values of the given versions. */
  async remove(tx: Transaction, region: string, name: string, versionIds: readonly string[]): Promise<void> {
    const values = tx.collection<StoredSecretValue>(SECRET_VALUES);
    for (const id of versionIds) await values.delete(valueKey(region, name, id));
  }
}
