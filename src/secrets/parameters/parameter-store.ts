import { randomUUID } from 'node:crypto';
import { ErrorKind, isDomainError } from '../../lib/errors.js';
import type { Scope } from '../../lib/scope.js';
import type { Collection, Store, Transaction } from '../../store/store.js';
import type { ValueCipher } from '../crypto/value-cipher.js';
import { checkAllowedPattern } from './allowed-pattern.js';
import { parameterExists, parameterNotFound, tooManyTags, tooManyVersions, validation, versionNotFound } from './errors.js';
import { checkParameterName, normalizeName, parameterArn, parseParameterReference, type ParameterReference } from './names.js';
import {
  DATA_TYPES,
  DEFAULT_KEY_ID,
  MAX_TAGS,
  MAX_VERSIONS,
  ParameterType,
  type ParameterRecord,
  type ParameterTag,
  type ParameterVersionRecord,
} from './parameter.js';
import { parameterKey, PARAMETERS, ParameterValues } from './parameter-values.js';
import { resolveTier } from './tiers.js';

/** What PutParameter accepts. */
export interface PutParameterInput {
  name: string;
  value: string;
  type?: string;
  description?: string;
  keyId?: string;
  overwrite?: boolean;
  allowedPattern?: string;
  tags?: ParameterTag[];
  tier?: string;
  policies?: string;
  dataType?: string;
}

/** A parameter version with its value, as GetParameter answers. */
export interface ParameterView {
  name: string;
  arn: string;
  version: ParameterVersionRecord;
  value: string;
  selector?: string;
}

/** A stored parameter with its store key and ARN. */
export interface FoundParameter {
  key: string;
  arn: string;
  record: ParameterRecord;
}

const latest = (record: ParameterRecord) => record.versions[record.versions.length - 1]!;

/** Parameter Store: parameters, their versions and labels; SecureString values sealed at rest. */
export class ParameterStore {
  readonly values: ParameterValues;

  constructor(
    private readonly store: Store,
    cipher: ValueCipher,
  ) {
    this.values = new ParameterValues(store, cipher);
  }

  /** PutParameter: creates a parameter or, with Overwrite, adds a version. */
  async put(scope: Scope, input: PutParameterInput): Promise<{ version: number; tier: string }> {
    if (input.value === '') {
      throw validation("1 validation error detected: Value '' at 'value' failed to satisfy constraint: Member must have length greater than or equal to 1.");
    }
    if (input.overwrite && input.tags && input.tags.length > 0) {
      throw validation(
        "Invalid request: tags and overwrite can't be used together. To create a parameter with tags, please remove overwrite flag. " +
          'To update tags for an existing parameter, please use AddTagsToResource or RemoveTagsFromResource.',
      );
    }
    const name = checkParameterName(scope, input.name);
    return this.store.transaction(async (tx) => {
      const parameters = tx.collection<ParameterRecord>(PARAMETERS);
      const key = parameterKey(scope.region, normalizeName(name));
      const existing = await parameters.get(key);
      if (existing && !input.overwrite) throw parameterExists();
      const previous = existing ? latest(existing) : undefined;
      const version = this.nextVersion(scope, input, previous);
      const record: ParameterRecord = existing
        ? { ...existing, versions: [...existing.versions, version] }
        : { name, id: randomUUID(), tags: checkTags(input.tags ?? []), versions: [version] };
      const arn = parameterArn(scope.region, scope.accountId, record.name);
      if (record.versions.length > MAX_VERSIONS) {
        const oldest = record.versions[0]!;
        if (oldest.labels.length > 0) {
          throw tooManyVersions(
            `You attempted to create a new version of ${record.name} by calling the PutParameter API with the overwrite flag. ` +
              `Version ${oldest.version}, the oldest version, can't be deleted because it has a label associated with it. ` +
              'Move the label to another version of the parameter, and try again.',
          );
        }
        record.versions = record.versions.slice(1);
        await this.values.remove(tx, key, [oldest.version]);
      }
      await this.values.write(tx, key, arn, record, version, input.value);
      await parameters.put(key, record);
      return { version: version.version, tier: version.tier };
    });
  }

  /** The metadata of a new version: what the request says, else what the latest version had. */
  private nextVersion(scope: Scope, input: PutParameterInput, previous: ParameterVersionRecord | undefined): ParameterVersionRecord {
    const type = (input.type ?? previous?.type) as ParameterType | undefined;
    if (!type) throw validation('A parameter type is required when you create a parameter.');
    if (input.keyId !== undefined && type !== ParameterType.SecureString) {
      throw validation('KeyId is required for SecureString type parameter only.');
    }
    const dataType = input.dataType ?? previous?.dataType ?? 'text';
    if (!DATA_TYPES.has(dataType)) throw validation(`The following data type is not supported: ${dataType} (Data type names are all lowercase.)`);
    const allowedPattern = input.allowedPattern ?? previous?.allowedPattern;
    if (allowedPattern !== undefined && allowedPattern !== '') checkAllowedPattern(allowedPattern, input.value);
    const description = input.description ?? previous?.description;
    const policies = input.policies ?? previous?.policies;
    const keyId =
      type === ParameterType.SecureString
        ? (input.keyId ?? (previous?.type === ParameterType.SecureString ? previous.keyId : undefined) ?? DEFAULT_KEY_ID)
        : undefined;
    return {
      version: (previous?.version ?? 0) + 1,
      type,
      ...(keyId !== undefined && { keyId }),
      ...(description !== undefined && { description }),
      ...(allowedPattern !== undefined && { allowedPattern }),
      tier: resolveTier(input.tier, previous?.tier, Buffer.byteLength(input.value, 'utf8'), policies !== undefined),
      dataType,
      ...(policies !== undefined && { policies }),
      labels: [],
      lastModifiedDate: scope.now.getTime(),
      lastModifiedUser: scope.principalArn,
    };
  }

  /** GetParameter: a parameter by name, ARN, `name:version` or `name:label`. */
  async get(scope: Scope, ref: string, decrypt: boolean): Promise<ParameterView> {
    const parsed = parseParameterReference(scope, ref);
    const found = parsed && (await this.find(this.store.collection<ParameterRecord>(PARAMETERS), scope, parsed.name));
    if (!parsed || !found) throw parameterNotFound(ref);
    const version = selectVersion(found.record, parsed, ref);
    return this.view(found, version, decrypt, parsed.selectorText);
  }

  /** GetParameters: those found, and the names that matched none (missing versions and labels too). */
  async getMany(scope: Scope, refs: readonly string[], decrypt: boolean): Promise<{ found: ParameterView[]; invalid: string[] }> {
    const found: ParameterView[] = [];
    const invalid: string[] = [];
    for (const ref of new Set(refs)) {
      try {
        found.push(await this.get(scope, ref, decrypt));
      } catch (err) {
        if (!isDomainError(err) || err.kind !== ErrorKind.NotFound) throw err;
        invalid.push(ref);
      }
    }
    return { found, invalid };
  }

  /** DeleteParameter. */
  async delete(scope: Scope, name: string): Promise<void> {
    await this.store.transaction(async (tx) => {
      const found = await this.find(tx.collection<ParameterRecord>(PARAMETERS), scope, name);
      if (!found) throw parameterNotFound(name);
      await this.purge(tx, found);
    });
  }

  /** DeleteParameters: the names deleted and those that named nothing. */
  async deleteMany(scope: Scope, names: readonly string[]): Promise<{ deleted: string[]; invalid: string[] }> {
    return this.store.transaction(async (tx) => {
      const deleted: string[] = [];
      const invalid: string[] = [];
      for (const name of new Set(names)) {
        const found = await this.find(tx.collection<ParameterRecord>(PARAMETERS), scope, name);
        if (found) {
          await this.purge(tx, found);
          deleted.push(name);
        } else {
          invalid.push(name);
        }
      }
      return { deleted, invalid };
    });
  }

  /** The parameter a name (with or without a one-level leading slash) refers to. */
  async find(parameters: Collection<ParameterRecord>, scope: Scope, name: string): Promise<FoundParameter | undefined> {
    const key = parameterKey(scope.region, normalizeName(name.trim()));
    const record = await parameters.get(key);
    return record && { key, arn: parameterArn(scope.region, scope.accountId, record.name), record };
  }

  /** A version with its value. */
  async view(found: FoundParameter, version: ParameterVersionRecord, decrypt: boolean, selector?: string): Promise<ParameterView> {
    const value = await this.values.read(found.key, found.arn, found.record, version, decrypt);
    return { name: found.record.name, arn: found.arn, version, value, ...(selector !== undefined && { selector }) };
  }

  /** Runs `change` on an existing parameter in a transaction and stores the record it returns. */
  async modify<R>(
    scope: Scope,
    name: string,
    change: (found: FoundParameter) => { record: ParameterRecord; result: R },
    missing: () => Error = () => parameterNotFound(name),
  ): Promise<R> {
    return this.store.transaction(async (tx) => {
      const parameters = tx.collection<ParameterRecord>(PARAMETERS);
      const found = await this.find(parameters, scope, name);
      if (!found) throw missing();
      const { record, result } = change(found);
      await parameters.put(found.key, record);
      return result;
    });
  }

  private async purge(tx: Transaction, found: FoundParameter): Promise<void> {
    await this.values.remove(tx, found.key, found.record.versions.map((v) => v.version));
    await tx.collection<ParameterRecord>(PARAMETERS).delete(found.key);
  }
}

/** The version a reference selects: the latest, a version number or the version holding a label. */
export function selectVersion(record: ParameterRecord, ref: ParameterReference, text: string): ParameterVersionRecord {
  const selector = ref.selector;
  if (!selector) return latest(record);
  if ('version' in selector) {
    const version = record.versions.find((v) => v.version === selector.version);
    if (!version) throw versionNotFound(record.name, selector.version);
    return version;
  }
  const version = record.versions.find((v) => v.labels.includes(selector.label));
  if (!version) throw parameterNotFound(text);
  return version;
}

/** Tag lists: one value per key, at most 50 tags. */
export function checkTags(tags: readonly ParameterTag[]): ParameterTag[] {
  const byKey = new Map(tags.map((t) => [t.Key, t.Value]));
  if (byKey.size > MAX_TAGS) throw tooManyTags(`A parameter can have at most ${MAX_TAGS} tags.`);
  return [...byKey].map(([Key, Value]) => ({ Key, Value }));
}
