import type { Store, Transaction } from '../../store/store.js';
import { EnvelopeError, type ValueCipher } from '../crypto/value-cipher.js';
import { decryptionFailure } from './errors.js';
import { ParameterType, type ParameterRecord, type ParameterVersionRecord, type StoredParameterValue } from './parameter.js';

/** Parameter values, one document per version, apart from the metadata. */
export const PARAMETER_VALUES = 'ssm-parameter-values';

/** Parameter metadata documents, keyed `<region>/<normalized name>`. */
export const PARAMETERS = 'ssm-parameters';

/** The key of a parameter's metadata. */
export const parameterKey = (region: string, normalizedName: string): string => `${region}/${normalizedName}`;

// Names have no '#', so the first '#' ends the name; versions are padded so keys sort numerically.
const valueKey = (recordKey: string, version: number) => `${recordKey}#${String(version).padStart(6, '0')}`;

/** The associated data of a SecureString: its ARN, the parameter's incarnation and the version. */
const context = (arn: string, record: ParameterRecord, version: number) => `ssm\n${arn}\n${record.id}\n${version}`;

/**
 * Reads and writes parameter values. SecureString values are sealed (see crypto/envelope.ts); String
 * and StringList values are not secret and are stored as they are. Without decryption a SecureString
 * reads as its sealed blob in base64, as Parameter Store answers with the KMS ciphertext.
 */
export class ParameterValues {
  constructor(
    private readonly store: Store,
    private readonly cipher: ValueCipher,
  ) {}

  /** Stores a version's value. */
  async write(tx: Transaction, recordKey: string, arn: string, record: ParameterRecord, version: ParameterVersionRecord, value: string): Promise<void> {
    const stored: StoredParameterValue =
      version.type === ParameterType.SecureString
        ? { sealed: this.cipher.seal(Buffer.from(value, 'utf8'), context(arn, record, version.version)) }
        : { text: value };
    await tx.collection<StoredParameterValue>(PARAMETER_VALUES).put(valueKey(recordKey, version.version), stored);
  }

  /** A version's value: plaintext, or for an undecrypted SecureString its sealed form. */
  async read(
    recordKey: string,
    arn: string,
    record: ParameterRecord,
    version: ParameterVersionRecord,
    decrypt: boolean,
  ): Promise<string> {
    const stored = await this.store.collection<StoredParameterValue>(PARAMETER_VALUES).get(valueKey(recordKey, version.version));
    if (!stored) throw decryptionFailure();
    if (stored.sealed === undefined) return stored.text ?? '';
    if (!decrypt) return stored.sealed;
    try {
      return this.cipher.open(stored.sealed, context(arn, record, version.version)).toString('utf8');
    } catch (err) {
      if (err instanceof EnvelopeError) throw decryptionFailure();
      throw err;
    }
  }

  /** Removes the values of the given versions. */
  async remove(tx: Transaction, recordKey: string, versions: readonly number[]): Promise<void> {
    const values = tx.collection<StoredParameterValue>(PARAMETER_VALUES);
    for (const v of versions) await values.delete(valueKey(recordKey, v));
  }
}
