import { randomUUID } from 'node:crypto';
import { invalidParameter, invalidRequest } from '../../lib/errors.js';
import type { Scope } from '../../lib/scope.js';
import type { Store, Transaction } from '../../store/store.js';
import type { ValueCipher } from '../crypto/value-cipher.js';
import { markedForDeletion, secretExists, secretNotFound, secretValueNotFound } from './errors.js';
import { checkResourcePolicy } from './resource-policy.js';
import { noteManualRotation } from './rotation/rotation-config.js';
import { checkSecretName, newSecretArn } from './secret-ids.js';
import { findSecret, secretKey, SECRETS, type FoundSecret } from './secret-store.js';
import { SecretValues } from './secret-values.js';
import {
  dayOf,
  days,
  isGone,
  MAX_VERSIONS,
  RecoveryWindow,
  sameValue,
  Stage,
  type SecretRecord,
  type SecretTag,
  type SecretValue,
  type SecretVersionRecord,
} from './secret.js';
import { addVersion, moveStage, pruneVersions, type StageMove } from './staging.js';
import { mergeTags, removeTags } from './tags.js';

/** What CreateSecret accepts. */
export interface CreateSecretInput {
  name: string;
  description?: string;
  kmsKeyId?: string;
  value?: SecretValue;
  tags?: SecretTag[];
  clientRequestToken?: string;
  /** Replication to other regions was requested (not supported here). */
  replicate?: boolean;
}

/** What UpdateSecret accepts. */
export interface UpdateSecretInput {
  description?: string;
  kmsKeyId?: string;
  value?: SecretValue;
  clientRequestToken?: string;
}

/** A secret and, when a version was created or matched, its id and labels. */
export interface SecretRef {
  arn: string;
  name: string;
  versionId?: string;
  stages?: string[];
}

/** One version's value, as GetSecretValue answers. */
export interface SecretValueView {
  arn: string;
  name: string;
  versionId: string;
  stages: string[];
  createdDate: number;
  value: SecretValue;
}

/** The Secrets Manager domain: secrets, their versions and staging labels, values sealed at rest. */
export class SecretsManager {
  readonly values: SecretValues;

  constructor(
    private readonly store: Store,
    cipher: ValueCipher,
  ) {
    this.values = new SecretValues(store, cipher);
  }

  /** CreateSecret: a new secret, with a first version when a value is given. */
  async create(scope: Scope, input: CreateSecretInput): Promise<SecretRef> {
    checkSecretName(input.name);
    if (input.replicate) throw invalidRequest('Replicating secrets to other Regions is not supported.');
    const tags = mergeTags([], input.tags ?? []);
    return this.store.transaction(async (tx) => {
      const secrets = tx.collection<SecretRecord>(SECRETS);
      const key = secretKey(scope.region, input.name);
      const existing = await secrets.get(key);
      if (existing && isGone(existing, scope.now)) {
        await this.purge(tx, scope, { key, secret: existing });
      } else if (existing) {
        if (existing.deletedDate !== undefined) {
          throw invalidRequest("You can't create this secret because a secret with this name is already scheduled for deletion.");
        }
        const replay = await this.replay(tx, scope, existing, input.clientRequestToken, input.value);
        if (replay) return { arn: existing.arn, name: existing.name, versionId: replay.versionId };
        throw secretExists(`The operation failed because the secret ${input.name} already exists.`);
      }
      const now = scope.now.getTime();
      let secret: SecretRecord = {
        arn: newSecretArn(scope, input.name),
        name: input.name,
        ...(input.description !== undefined && { description: input.description }),
        ...(input.kmsKeyId && { kmsKeyId: input.kmsKeyId }),
        tags,
        versions: [],
        createdDate: now,
        lastChangedDate: now,
      };
      let versionId: string | undefined;
      if (input.value) {
        versionId = input.clientRequestToken ?? randomUUID();
        secret = await this.appendVersion(tx, scope, secret, versionId, input.value, undefined);
      }
      await secrets.put(key, secret);
      return { arn: secret.arn, name: secret.name, ...(versionId && { versionId }) };
    });
  }

  /** PutSecretValue: a new version, AWSCURRENT unless other labels are asked for. */
  async putValue(
    scope: Scope,
    secretId: string,
    input: { value?: SecretValue; clientRequestToken?: string; versionStages?: string[] },
  ): Promise<Required<SecretRef>> {
    if (!input.value) throw invalidRequest('You must provide either SecretString or SecretBinary.');
    const value = input.value;
    return this.mutate(scope, secretId, async (tx, found) => {
      const replay = await this.replay(tx, scope, found.secret, input.clientRequestToken, value);
      if (replay) return { secret: found.secret, result: this.versionRef(found.secret, replay) };
      const versionId = input.clientRequestToken ?? randomUUID();
      const secret = noteManualRotation(await this.appendVersion(tx, scope, found.secret, versionId, value, input.versionStages), versionId, scope.now.getTime());
      return { secret, result: this.versionRef(secret, secret.versions.find((v) => v.versionId === versionId)!) };
    });
  }

  /** UpdateSecret: description and KMS key, and a new AWSCURRENT version when a value is given. */
  async update(scope: Scope, secretId: string, input: UpdateSecretInput): Promise<SecretRef> {
    return this.mutate(scope, secretId, async (tx, found) => {
      let secret: SecretRecord = {
        ...found.secret,
        ...(input.description !== undefined && { description: input.description }),
        ...(input.kmsKeyId !== undefined && { kmsKeyId: input.kmsKeyId || undefined }),
      };
      let versionId: string | undefined;
      if (input.value) {
        const replay = await this.replay(tx, scope, found.secret, input.clientRequestToken, input.value);
        if (replay) {
          versionId = replay.versionId;
        } else {
          versionId = input.clientRequestToken ?? randomUUID();
          secret = noteManualRotation(await this.appendVersion(tx, scope, secret, versionId, input.value, undefined), versionId, scope.now.getTime());
        }
      }
      return { secret, result: { arn: secret.arn, name: secret.name, ...(versionId && { versionId }) } };
    });
  }

  /** GetSecretValue: a version by id or label (default AWSCURRENT), opened. */
  async getValue(scope: Scope, secretId: string, select: { versionId?: string; versionStage?: string } = {}): Promise<SecretValueView> {
    const found = await findSecret(this.store.collection<SecretRecord>(SECRETS), scope, secretId);
    if (!found) throw secretNotFound();
    if (found.secret.deletedDate !== undefined) throw markedForDeletion();
    const version = selectVersion(found.secret, select);
    const value = await this.values.read(scope.region, found.secret, version.versionId);
    await this.noteAccess(scope, found, version.versionId);
    return {
      arn: found.secret.arn,
      name: found.secret.name,
      versionId: version.versionId,
      stages: [...version.stages],
      createdDate: version.createdDate,
      value,
    };
  }

  /** DescribeSecret: the metadata of a secret, including one scheduled for deletion. */
  async describe(scope: Scope, secretId: string): Promise<SecretRecord> {
    const found = await findSecret(this.store.collection<SecretRecord>(SECRETS), scope, secretId);
    if (!found) throw secretNotFound();
    return found.secret;
  }

  /** DeleteSecret: schedules the deletion, or deletes at once with ForceDeleteWithoutRecovery. */
  async delete(
    scope: Scope,
    secretId: string,
    options: { recoveryWindowInDays?: number; force?: boolean },
  ): Promise<{ arn: string; name: string; deletionDate: number }> {
    const window = options.recoveryWindowInDays;
    // The order of the checks is AWS's: the range first, even for a secret that does not exist.
    if (window !== undefined && (window < RecoveryWindow.min || window > RecoveryWindow.max)) {
      throw invalidParameter('The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).');
    }
    if (window !== undefined && options.force) {
      throw invalidParameter("You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.");
    }
    const now = scope.now.getTime();
    return this.store.transaction(async (tx) => {
      const found = await findSecret(tx.collection<SecretRecord>(SECRETS), scope, secretId);
      if (!found) {
        if (!options.force) throw secretNotFound();
        // AWS answers a forced deletion of a secret that does not exist with success.
        const name = secretId.startsWith('arn:') ? secretId.split(':secret:')[1] ?? secretId : secretId;
        return { arn: secretId.startsWith('arn:') ? secretId : newSecretArn(scope, name), name, deletionDate: now };
      }
      if (options.force) {
        await this.purge(tx, scope, found);
        return { arn: found.secret.arn, name: found.secret.name, deletionDate: now };
      }
      if (found.secret.deletedDate !== undefined) throw markedForDeletion();
      const deletionDate = now + days(window ?? RecoveryWindow.default);
      await tx.collection<SecretRecord>(SECRETS).put(found.key, { ...found.secret, deletedDate: now, deletionDate, lastChangedDate: now });
      return { arn: found.secret.arn, name: found.secret.name, deletionDate };
    });
  }

  /** RestoreSecret: cancels a scheduled deletion. */
  async restore(scope: Scope, secretId: string): Promise<SecretRef> {
    return this.store.transaction(async (tx) => {
      const found = await findSecret(tx.collection<SecretRecord>(SECRETS), scope, secretId);
      if (!found) throw secretNotFound();
      const restored: SecretRecord = { ...found.secret, lastChangedDate: scope.now.getTime() };
      delete restored.deletedDate;
      delete restored.deletionDate;
      await tx.collection<SecretRecord>(SECRETS).put(found.key, restored);
      return { arn: found.secret.arn, name: found.secret.name };
    });
  }

  /** UpdateSecretVersionStage. */
  async updateVersionStage(scope: Scope, secretId: string, stage: string, move: StageMove): Promise<SecretRef> {
    return this.mutate(scope, secretId, async (_tx, found) => {
      const secret = { ...found.secret, versions: moveStage(found.secret.versions, stage, move) };
      return { secret, result: { arn: secret.arn, name: secret.name } };
    });
  }

  /** TagResource: adds tags, replacing the values of existing keys. */
  async tag(scope: Scope, secretId: string, tags: readonly SecretTag[]): Promise<void> {
    await this.mutate(
      scope,
      secretId,
      async (_tx, found) => ({ secret: { ...found.secret, tags: mergeTags(found.secret.tags, tags) }, result: undefined }),
      { allowDeleted: true },
    );
  }

  /** UntagResource. */
  async untag(scope: Scope, secretId: string, keys: readonly string[]): Promise<void> {
    await this.mutate(
      scope,
      secretId,
      async (_tx, found) => ({ secret: { ...found.secret, tags: removeTags(found.secret.tags, keys) }, result: undefined }),
      { allowDeleted: true },
    );
  }

  /** PutResourcePolicy: checks the policy (see resource-policy.ts) and attaches it. */
  async putResourcePolicy(scope: Scope, secretId: string, policy: string, blockPublicPolicy: boolean): Promise<SecretRef> {
    checkResourcePolicy(policy, blockPublicPolicy);
    return this.mutate(scope, secretId, async (_tx, { secret }) => ({
      secret: { ...secret, resourcePolicy: policy },
      result: { arn: secret.arn, name: secret.name },
    }));
  }

  /** DeleteResourcePolicy: detaches the policy, if there is one. */
  async deleteResourcePolicy(scope: Scope, secretId: string): Promise<SecretRef> {
    return this.mutate(scope, secretId, async (_tx, { secret }) => {
      const { resourcePolicy: _detached, ...rest } = secret;
      return { secret: secret.resourcePolicy === undefined ? secret : rest, result: { arn: secret.arn, name: secret.name } };
    });
  }

  /** Runs `change` on a live secret in a transaction and stores what it returns. */
  private async mutate<R>(
    scope: Scope,
    secretId: string,
    change: (tx: Transaction, found: FoundSecret) => Promise<{ secret: SecretRecord; result: R }>,
    options: { allowDeleted?: boolean } = {},
  ): Promise<R> {
    return this.store.transaction(async (tx) => {
      const secrets = tx.collection<SecretRecord>(SECRETS);
      const found = await findSecret(secrets, scope, secretId);
      if (!found) throw secretNotFound();
      if (found.secret.deletedDate !== undefined && !options.allowDeleted) throw markedForDeletion();
      const { secret, result } = await change(tx, found);
      if (secret !== found.secret) await secrets.put(found.key, { ...secret, lastChangedDate: scope.now.getTime() });
      return result;
    });
  }

  /**
   * The ClientRequestToken rule: a token that names an existing version replays the request when the
   * value is the same (nothing changes) and is refused when it differs, as versions are immutable.
   */
  private async replay(
    tx: Transaction,
    scope: Scope,
    secret: SecretRecord,
    token: string | undefined,
    value: SecretValue | undefined,
  ): Promise<SecretVersionRecord | undefined> {
    if (token === undefined) return undefined;
    const version = secret.versions.find((v) => v.versionId === token);
    // An empty version (RotateSecret's AWSPENDING) is filled by the first value written with its id.
    if (!version || version.empty) return undefined;
    const stored = await this.values.read(scope.region, secret, token, tx);
    if (value && sameValue(stored, value)) return version;
    throw secretExists(`You can't use ClientRequestToken ${token} because that value is already in use for a version of secret ${secret.arn}.`);
  }

  /** Adds a version holding `value`, moves labels, drops old deprecated versions. */
  private async appendVersion(
    tx: Transaction,
    scope: Scope,
    secret: SecretRecord,
    versionId: string,
    value: SecretValue,
    stages: readonly string[] | undefined,
  ): Promise<SecretRecord> {
    const empty = secret.versions.find((v) => v.versionId === versionId && v.empty);
    const added: SecretVersionRecord = {
      versionId,
      stages: [],
      createdDate: empty?.createdDate ?? scope.now.getTime(),
      ...(secret.kmsKeyId && { kmsKeyId: secret.kmsKeyId }),
    };
    // Filling an empty version: it is replaced by the full one, which takes the labels asked for.
    const others = empty ? secret.versions.filter((v) => v !== empty) : secret.versions;
    const { kept, dropped } = pruneVersions(addVersion(others, added, stages), MAX_VERSIONS);
    await this.values.write(tx, scope.region, secret, versionId, value);
    await this.values.remove(tx, scope.region, secret.name, dropped);
    return { ...secret, versions: kept };
  }

  private versionRef(secret: SecretRecord, version: SecretVersionRecord): Required<SecretRef> {
    return { arn: secret.arn, name: secret.name, versionId: version.versionId, stages: [...version.stages] };
  }

  /** Removes a secret and every value it has. */
  private async purge(tx: Transaction, scope: Scope, found: FoundSecret): Promise<void> {
    await this.values.remove(tx, scope.region, found.secret.name, found.secret.versions.map((v) => v.versionId));
    await tx.collection<SecretRecord>(SECRETS).delete(found.key);
  }

  /** Records the day of access on the secret and version; a write only when the day changes. */
  private async noteAccess(scope: Scope, found: FoundSecret, versionId: string): Promise<void> {
    const today = dayOf(scope.now.getTime());
    const version = found.secret.versions.find((v) => v.versionId === versionId);
    if (found.secret.lastAccessedDate === today && version?.lastAccessedDate === today) return;
    await this.store.transaction(async (tx) => {
      const secrets = tx.collection<SecretRecord>(SECRETS);
      const current = await secrets.get(found.key);
      if (!current || current.arn !== found.secret.arn) return;
      await secrets.put(found.key, {
        ...current,
        lastAccessedDate: today,
        versions: current.versions.map((v) => (v.versionId === versionId ? { ...v, lastAccessedDate: today } : v)),
      });
    });
  }
}

/** The version GetSecretValue reads: by VersionId (checked against VersionStage if both) or by label. */
export function selectVersion(secret: SecretRecord, select: { versionId?: string; versionStage?: string }): SecretVersionRecord {
  if (select.versionId !== undefined) {
    const version = secret.versions.find((v) => v.versionId === select.versionId);
    if (!version || version.empty) throw secretValueNotFound('VersionId', select.versionId);
    if (select.versionStage !== undefined && !version.stages.includes(select.versionStage)) {
      throw invalidRequest('You provided a VersionStage that is not associated to the provided VersionId.');
    }
    return version;
  }
  const stage = select.versionStage ?? Stage.Current;
  const version = secret.versions.find((v) => v.stages.includes(stage));
  // A version RotateSecret made and the rotation function has not filled yet has no value to read.
  if (!version || version.empty) throw secretValueNotFound('staging label', stage);
  return version;
}
