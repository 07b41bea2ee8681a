import type { Scope } from '../lib/scope.js';
import type { Store, Transaction } from '../store/store.js';
import { attachTo, detachFrom } from './attachments.js';
import { checkPermissionsPolicy } from './documents.js';
import { alreadyExists, deleteConflict, groupNotFound, limitExceeded, noSuchEntity, userNotFound } from './errors.js';
import { iamArn, newId } from './ids.js';
import { pageByMarker, underPath, type MarkerPage } from './paging.js';
import { GROUPS, USERS, accountPrefix, entityKey, type GroupRecord, type UserRecord } from './records.js';

/** IAM's quota of groups one user may be in. */
export const MAX_GROUPS_PER_USER = 10;

const sameName = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** A group and one page of its members (GetGroup). */
export interface GroupMembers {
  group: GroupRecord;
  users: MarkerPage<UserRecord>;
}

/**
 * Groups: their inline and attached managed policies, and their members. A user's memberships
 * are kept on the user's record (its requests read them); a group's members are found by
 * scanning the account's users.
 */
export class Groups {
  constructor(private readonly store: Store) {}

  async create(scope: Scope, input: { name: string; path?: string }): Promise<GroupRecord> {
    const path = input.path ?? '/';
    const group: GroupRecord = {
      name: input.name,
      path,
      groupId: newId('AGPA'),
      arn: iamArn(scope.accountId, 'group', path, input.name),
      createDate: scope.now.getTime(),
      inlinePolicies: {},
      attachedPolicies: [],
    };
    await this.store.transaction(async (tx) => {
      if (!(await tx.collection<GroupRecord>(GROUPS).insert(entityKey(scope.accountId, input.name), group))) {
        throw alreadyExists(`Group with name ${input.name} already exists.`);
      }
    });
    return group;
  }

  async get(scope: Scope, name: string): Promise<GroupRecord> {
    const group = await this.store.collection<GroupRecord>(GROUPS).get(entityKey(scope.accountId, name));
    if (!group) throw groupNotFound(name);
    return group;
  }

  /** GetGroup: the group and a page of its users, in name order. */
  async members(scope: Scope, name: string, options: { marker?: string; maxItems?: number }): Promise<GroupMembers> {
    return this.store.transaction(async (tx) => {
      const { group } = await loadGroup(tx, scope, name);
      const users = (await tx.collection<UserRecord>(USERS).list({ prefix: accountPrefix(scope.accountId) })).filter((r) =>
        (r.value.groups ?? []).some((g) => sameName(g, group.name)),
      );
      return { group, users: pageByMarker('group-users', users, options.marker, options.maxItems) };
    });
  }

  async list(scope: Scope, options: { pathPrefix?: string; marker?: string; maxItems?: number }): Promise<MarkerPage<GroupRecord>> {
    const rows = await this.store.collection<GroupRecord>(GROUPS).list({ prefix: accountPrefix(scope.accountId) });
    return pageByMarker('groups', rows.filter((r) => underPath(r.value.path, options.pathPrefix)), options.marker, options.maxItems);
  }

  /** ListGroupsForUser: the user's groups, in name order. */
  async forUser(scope: Scope, userName: string, options: { marker?: string; maxItems?: number }): Promise<MarkerPage<GroupRecord>> {
    return this.store.transaction(async (tx) => {
      const user = await tx.collection<UserRecord>(USERS).get(entityKey(scope.accountId, userName));
      if (!user) throw userNotFound(userName);
      const rows: Array<{ key: string; value: GroupRecord }> = [];
      for (const name of user.groups ?? []) {
        const key = entityKey(scope.accountId, name);
        const group = await tx.collection<GroupRecord>(GROUPS).get(key);
        if (group) rows.push({ key, value: group });
      }
      rows.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      return pageByMarker('groups-for-user', rows, options.marker, options.maxItems);
    });
  }

  /** UpdateGroup: a new name (the members follow it) and/or a new path; the ARN follows both. */
  async update(scope: Scope, name: string, change: { newName?: string; newPath?: string }): Promise<void> {
    await this.store.transaction(async (tx) => {
      const { key, group } = await loadGroup(tx, scope, name);
      const newName = change.newName ?? group.name;
      const newKey = entityKey(scope.accountId, newName);
      if (newKey !== key && (await tx.collection<GroupRecord>(GROUPS).get(newKey))) throw alreadyExists(`Group with name ${newName} already exists.`);
      const oldName = group.name;
      group.name = newName;
      if (change.newPath !== undefined) group.path = change.newPath;
      group.arn = iamArn(scope.accountId, 'group', group.path, group.name);
      await tx.collection(GROUPS).delete(key);
      await tx.collection<GroupRecord>(GROUPS).put(newKey, group);
      if (oldName === newName) return;
      for (const row of await tx.collection<UserRecord>(USERS).list({ prefix: accountPrefix(scope.accountId) })) {
        const groups = row.value.groups ?? [];
        if (!groups.some((g) => sameName(g, oldName))) continue;
        row.value.groups = groups.map((g) => (sameName(g, oldName) ? newName : g));
        await tx.collection<UserRecord>(USERS).put(row.key, row.value);
      }
    });
  }

  /** DeleteGroup's conflicts, in IAM's order: members, inline policies, managed policies. */
  async delete(scope: Scope, name: string): Promise<void> {
    await this.store.transaction(async (tx) => {
      const { key, group } = await loadGroup(tx, scope, name);
      const users = await tx.collection<UserRecord>(USERS).list({ prefix: accountPrefix(scope.accountId) });
      if (users.some((r) => (r.value.groups ?? []).some((g) => sameName(g, group.name)))) {
        throw deleteConflict('Cannot delete entity, must remove users from group first.');
      }
      if (Object.keys(group.inlinePolicies).length > 0) throw deleteConflict('Cannot delete entity, must delete policies first.');
      if (group.attachedPolicies.length > 0) throw deleteConflict('Cannot delete entity, must detach all policies first.');
      await tx.collection(GROUPS).delete(key);
    });
  }

  /** AddUserToGroup: nothing changes for a user already in the group. */
  async addUser(scope: Scope, groupName: string, userName: string): Promise<void> {
    await this.store.transaction(async (tx) => {
      const { group } = await loadGroup(tx, scope, groupName);
      const userKey = entityKey(scope.accountId, userName);
      const user = await tx.collection<UserRecord>(USERS).get(userKey);
      if (!user) throw userNotFound(userName);
      const groups = user.groups ?? [];
      if (groups.some((g) => sameName(g, group.name))) return;
      if (groups.length >= MAX_GROUPS_PER_USER) throw limitExceeded(`Cannot exceed quota for GroupsPerUser: ${MAX_GROUPS_PER_USER}`);
      user.groups = [...groups, group.name];
      await tx.collection<UserRecord>(USERS).put(userKey, user);
    });
  }

  async removeUser(scope: Scope, groupName: string, userName: string): Promise<void> {
    await this.store.transaction(async (tx) => {
      const { group } = await loadGroup(tx, scope, groupName);
      const userKey = entityKey(scope.accountId, userName);
      const user = await tx.collection<UserRecord>(USERS).get(userKey);
      const groups = user?.groups ?? [];
      // IAM names the user when it is not in the group, as when it does not exist.
      if (!user || !groups.some((g) => sameName(g, group.name))) throw userNotFound(userName);
      user.groups = groups.filter((g) => !sameName(g, group.name));
      await tx.collection<UserRecord>(USERS).put(userKey, user);
    });
  }

  /** PutGroupPolicy: adds or replaces (names match regardless of case) an inline policy. */
  async putInlinePolicy(scope: Scope, name: string, policyName: string, document: string): Promise<void> {
    checkPermissionsPolicy(document);
    await this.mutate(scope, name, (group) => {
      const existing = inlineName(group, policyName);
      if (existing !== undefined) delete group.inlinePolicies[existing];
      group.inlinePolicies[policyName] = document;
    });
  }

  async getInlinePolicy(scope: Scope, name: string, policyName: string): Promise<{ groupName: string; name: string; document: string }> {
    const group = await this.get(scope, name);
    const found = inlineName(group, policyName);
    if (found === undefined) throw noSuchEntity(`The group policy with name ${policyName} cannot be found.`);
    return { groupName: group.name, name: found, document: group.inlinePolicies[found]! };
  }

  async deleteInlinePolicy(scope: Scope, name: string, policyName: string): Promise<void> {
    await this.mutate(scope, name, (group) => {
      const found = inlineName(group, policyName);
      if (found === undefined) throw noSuchEntity(`The group policy with name ${policyName} cannot be found.`);
      delete group.inlinePolicies[found];
    });
  }

  async attachPolicy(scope: Scope, name: string, policyArn: string): Promise<void> {
    await this.store.transaction(async (tx) => {
      const { key, group } = await loadGroup(tx, scope, name);
      const attached = await attachTo(tx, scope.accountId, group.attachedPolicies, policyArn, 'PoliciesPerGroup');
      if (!attached) return;
      group.attachedPolicies = attached;
      await tx.collection<GroupRecord>(GROUPS).put(key, group);
    });
  }

  async detachPolicy(scope: Scope, name: string, policyArn: string): Promise<void> {
    await this.mutate(scope, name, (group) => {
      group.attachedPolicies = detachFrom(group.attachedPolicies, policyArn);
    });
  }

  private async mutate(scope: Scope, name: string, change: (group: GroupRecord) => void): Promise<void> {
    await this.store.transaction(async (tx) => {
      const { key, group } = await loadGroup(tx, scope, name);
      change(group);
      await tx.collection<GroupRecord>(GROUPS).put(key, group);
    });
  }
}

async function loadGroup(tx: Transaction, scope: Scope, name: string): Promise<{ key: string; group: GroupRecord }> {
  const key = entityKey(scope.accountId, name);
  const group = await tx.collection<GroupRecord>(GROUPS).get(key);
  if (!group) throw groupNotFound(name);
  return { key, group };
}

function inlineName(group: GroupRecord, policyName: string): string | undefined {
  return Object.keys(group.inlinePolicies).find((n) => n.toLowerCase() === policyName.toLowerCase());
}
