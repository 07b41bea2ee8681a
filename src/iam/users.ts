import type { Scope } from '../lib/scope.js';
import type { Store, Transaction } from '../store/store.js';
import { attachTo, detachFrom } from './attachments.js';
import { checkPermissionsPolicy } from './documents.js';
import { alreadyExists, deleteConflict, invalidInput, limitExceeded, noSuchEntity, userNotFound } from './errors.js';
import { iamArn, newId, newSecretAccessKey } from './ids.js';
import { pageByMarker, underPath, type MarkerPage } from './paging.js';
import { findManagedPolicy } from './policy-lookup.js';
import { ACCESS_KEYS, USERS, accountPrefix, entityKey, type AccessKeyRecord, type Tag, type UserRecord } from './records.js';
import { mergeTags, removeTags } from './tags.js';

/** IAM's quota of access keys per user. */
export const MAX_ACCESS_KEYS = 2;

/**
 * Seals secret access keys for storage and opens them again, bound to a context (the key id). The
 * platform passes the secrets' master-key cipher; IAM never sees the key.
 */
export interface SecretSealer {
  seal(plaintext: Buffer, context: string): string;
  open(sealed: string, context: string): Buffer;
}

/** A new access key, with the secret shown this once. */
export interface NewAccessKey {
  key: AccessKeyRecord;
  secretAccessKey: string;
}

/** The context an access key's secret is sealed under (binds it to its key id). */
export const accessKeySealContext = (accountId: string, accessKeyId: string) => `iam/access-key/${accountId}/${accessKeyId}`;

/** Users and their access keys. */
export class Users {
  constructor(
    private readonly store: Store,
    private readonly sealer: SecretSealer,
  ) {}

  async create(scope: Scope, input: { name: string; path?: string; permissionsBoundary?: string; tags?: readonly Tag[] }): Promise<UserRecord> {
    const path = input.path ?? '/';
    const user: UserRecord = {
      name: input.name,
      path,
      userId: newId('AIDA'),
      arn: iamArn(scope.accountId, 'user', path, input.name),
      createDate: scope.now.getTime(),
      tags: mergeTags([], input.tags ?? []),
    };
    return this.store.transaction(async (tx) => {
      if (input.permissionsBoundary !== undefined) {
        if (!(await findManagedPolicy(tx, scope.accountId, input.permissionsBoundary))) {
          throw noSuchEntity(`Scope ARN: ${input.permissionsBoundary} does not exist or is not attachable.`);
        }
        user.permissionsBoundary = input.permissionsBoundary;
      }
      if (!(await tx.collection<UserRecord>(USERS).insert(entityKey(scope.accountId, input.name), user))) {
        throw alreadyExists(`User with name ${input.name} already exists.`);
      }
      return user;
    });
  }

  async get(scope: Scope, name: string): Promise<UserRecord> {
    const user = await this.store.collection<UserRecord>(USERS).get(entityKey(scope.accountId, name));
    if (!user) throw userNotFound(name);
    return user;
  }

  async list(scope: Scope, options: { pathPrefix?: string; marker?: string; maxItems?: number }): Promise<MarkerPage<UserRecord>> {
    const rows = await this.store.collection<UserRecord>(USERS).list({ prefix: accountPrefix(scope.accountId) });
    return pageByMarker('users', rows.filter((r) => underPath(r.value.path, options.pathPrefix)), options.marker, options.maxItems);
  }

  async delete(scope: Scope, name: string): Promise<void> {
    await this.store.transaction(async (tx) => {
      const key = entityKey(scope.accountId, name);
      if (!(await tx.collection<UserRecord>(USERS).get(key))) throw userNotFound(name);
      const user = (await tx.collection<UserRecord>(USERS).get(key))!;
      // IAM's order: access keys, inline policies, managed policies, group memberships.
      if ((await keysOf(tx, scope, name)).length > 0) throw deleteConflict('Cannot delete entity, must delete access keys first.');
      if (Object.keys(user.inlinePolicies ?? {}).length > 0) throw deleteConflict('Cannot delete entity, must delete policies first.');
      if ((user.attachedPolicies ?? []).length > 0) throw deleteConflict('Cannot delete entity, must detach all policies first.');
      if ((user.groups ?? []).length > 0) throw deleteConflict('Cannot delete entity, must remove users from group first.');
      await tx.collection(USERS).delete(key);
    });
  }

  async tag(scope: Scope, name: string, tags: readonly Tag[]): Promise<void> {
    await this.mutate(scope, name, (u) => {
      u.tags = mergeTags(u.tags, tags);
    });
  }

  async untag(scope: Scope, name: string, keys: readonly string[]): Promise<void> {
    await this.mutate(scope, name, (u) => {
      u.tags = removeTags(u.tags, keys);
    });
  }

  /** PutUserPolicy: adds or replaces (names match regardless of case) an inline policy. */
  async putInlinePolicy(scope: Scope, name: string, policyName: string, document: string): Promise<void> {
    checkPermissionsPolicy(document);
    await this.mutate(scope, name, (u) => {
      const policies = u.inlinePolicies ?? {};
      const existing = inlineName(policies, policyName);
      if (existing !== undefined) delete policies[existing];
      policies[policyName] = document;
      u.inlinePolicies = policies;
    });
  }

  async getInlinePolicy(scope: Scope, name: string, policyName: string): Promise<{ userName: string; name: string; document: string }> {
    const user = await this.get(scope, name);
    const policies = user.inlinePolicies ?? {};
    const found = inlineName(policies, policyName);
    if (found === undefined) throw noSuchEntity(`The user policy with name ${policyName} cannot be found.`);
    return { userName: user.name, name: found, document: policies[found]! };
  }

  async deleteInlinePolicy(scope: Scope, name: string, policyName: string): Promise<void> {
    await this.mutate(scope, name, (u) => {
      const policies = u.inlinePolicies ?? {};
      const found = inlineName(policies, policyName);
      if (found === undefined) throw noSuchEntity(`The user policy with name ${policyName} cannot be found.`);
      delete policies[found];
      u.inlinePolicies = policies;
    });
  }

  async attachPolicy(scope: Scope, name: string, policyArn: string): Promise<void> {
    await this.store.transaction(async (tx) => {
      const key = entityKey(scope.accountId, name);
      const user = await tx.collection<UserRecord>(USERS).get(key);
      if (!user) throw userNotFound(name);
      const attached = await attachTo(tx, scope.accountId, user.attachedPolicies ?? [], policyArn, 'PoliciesPerUser');
      if (!attached) return;
      user.attachedPolicies = attached;
      await tx.collection<UserRecord>(USERS).put(key, user);
    });
  }

  async detachPolicy(scope: Scope, name: string, policyArn: string): Promise<void> {
    await this.mutate(scope, name, (u) => {
      u.attachedPolicies = detachFrom(u.attachedPolicies ?? [], policyArn);
    });
  }

  async createAccessKey(scope: Scope, userName: string): Promise<NewAccessKey> {
    const secretAccessKey = newSecretAccessKey();
    const accessKeyId = newId('AKIA');
    return this.store.transaction(async (tx) => {
      const user = await tx.collection<UserRecord>(USERS).get(entityKey(scope.accountId, userName));
      if (!user) throw userNotFound(userName);
      if ((await keysOf(tx, scope, user.name)).length >= MAX_ACCESS_KEYS) throw limitExceeded(`Cannot exceed quota for AccessKeysPerUser: ${MAX_ACCESS_KEYS}`);
      const key: AccessKeyRecord = {
        accessKeyId,
        userName: user.name,
        status: 'Active',
        createDate: scope.now.getTime(),
        sealedSecret: this.sealer.seal(Buffer.from(secretAccessKey, 'utf8'), accessKeySealContext(scope.accountId, accessKeyId)),
      };
      await tx.collection<AccessKeyRecord>(ACCESS_KEYS).put(`${scope.accountId}/${accessKeyId}`, key);
      return { key, secretAccessKey };
    });
  }

  async listAccessKeys(scope: Scope, userName: string, options: { marker?: string; maxItems?: number }): Promise<MarkerPage<AccessKeyRecord>> {
    return this.store.transaction(async (tx) => {
      const user = await tx.collection<UserRecord>(USERS).get(entityKey(scope.accountId, userName));
      if (!user) throw userNotFound(userName);
      const rows = (await tx.collection<AccessKeyRecord>(ACCESS_KEYS).list({ prefix: accountPrefix(scope.accountId) })).filter((r) => r.value.userName === user.name);
      return pageByMarker('access-keys', rows, options.marker, options.maxItems);
    });
  }

  async updateAccessKey(scope: Scope, userName: string, accessKeyId: string, status: 'Active' | 'Inactive'): Promise<void> {
    await this.store.transaction(async (tx) => {
      const { key, record } = await loadKey(tx, scope, userName, accessKeyId);
      record.status = status;
      await tx.collection<AccessKeyRecord>(ACCESS_KEYS).put(key, record);
    });
  }

  async deleteAccessKey(scope: Scope, userName: string, accessKeyId: string): Promise<void> {
    await this.store.transaction(async (tx) => {
      const { key } = await loadKey(tx, scope, userName, accessKeyId);
      await tx.collection(ACCESS_KEYS).delete(key);
    });
  }

  /** The user an access key of the account belongs to (GetAccessKeyLastUsed). */
  async ownerOfAccessKey(scope: Scope, accessKeyId: string): Promise<string> {
    const record = await this.store.collection<AccessKeyRecord>(ACCESS_KEYS).get(`${scope.accountId}/${accessKeyId}`);
    if (!record) throw noSuchEntity(`The Access Key with id ${accessKeyId} cannot be found.`);
    return record.userName;
  }

  /** The secret of an active access key of the account, for request authentication later on. */
  async secretOf(accountId: string, accessKeyId: string): Promise<string | undefined> {
    const record = await this.store.collection<AccessKeyRecord>(ACCESS_KEYS).get(`${accountId}/${accessKeyId}`);
    if (!record || record.status !== 'Active') return undefined;
    return this.sealer.open(record.sealedSecret, accessKeySealContext(accountId, accessKeyId)).toString('utf8');
  }

  private async mutate(scope: Scope, name: string, change: (u: UserRecord) => void): Promise<void> {
    await this.store.transaction(async (tx) => {
      const key = entityKey(scope.accountId, name);
      const user = await tx.collection<UserRecord>(USERS).get(key);
      if (!user) throw userNotFound(name);
      change(user);
      await tx.collection<UserRecord>(USERS).put(key, user);
    });
  }
}

function inlineName(policies: Record<string, string>, policyName: string): string | undefined {
  return Object.keys(policies).find((n) => n.toLowerCase() === policyName.toLowerCase());
}

async function keysOf(tx: Transaction, scope: Scope, userName: string): Promise<AccessKeyRecord[]> {
  const rows = await tx.collection<AccessKeyRecord>(ACCESS_KEYS).list({ prefix: accountPrefix(scope.accountId) });
  return rows.map((r) => r.value).filter((k) => k.userName.toLowerCase() === userName.toLowerCase());
}

async function loadKey(tx: Transaction, scope: Scope, userName: string, accessKeyId: string): Promise<{ key: string; record: AccessKeyRecord }> {
  const user = await tx.collection<UserRecord>(USERS).get(entityKey(scope.accountId, userName));
  if (!user) throw userNotFound(userName);
  const key = `${scope.accountId}/${accessKeyId}`;
  const record = await tx.collection<AccessKeyRecord>(ACCESS_KEYS).get(key);
  if (!record || record.userName !== user.name) throw noSuchEntity(`The Access Key with id ${accessKeyId} cannot be found.`);
  return { key, record };
}

/** Guards operations that take an optional UserName: minato's root credentials are its configuration. */
export function requireUserName(userName: string | undefined): string {
  if (userName === undefined) throw invalidInput("The account root's access keys are minato's configured credentials; name a user.");
  return userName;
}
