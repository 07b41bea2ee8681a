import type { Scope } from '../lib/scope.js';
import type { Store, Transaction } from '../store/store.js';
import { alreadyExists, deleteConflict, limitExceeded, noSuchEntity, roleNotFound } from './errors.js';
import { iamArn, newId } from './ids.js';
import { pageByMarker, underPath, type MarkerPage } from './paging.js';
import { INSTANCE_PROFILES, ROLES, accountPrefix, entityKey, type InstanceProfileRecord, type RoleRecord, type Tag } from './records.js';
import { mergeTags, removeTags } from './tags.js';

/** An instance profile with its role records (as the API shows it). */
export interface InstanceProfileView {
  profile: InstanceProfileRecord;
  roles: RoleRecord[];
}

const notFound = (name: string) => noSuchEntity(`Instance Profile ${name} cannot be found.`);

/** Instance profiles: containers for (at most) one role, for EC2 instances. */
export class InstanceProfiles {
  constructor(private readonly store: Store) {}

  async create(scope: Scope, input: { name: string; path?: string; tags?: readonly Tag[] }): Promise<InstanceProfileView> {
    const path = input.path ?? '/';
    const profile: InstanceProfileRecord = {
      name: input.name,
      path,
      instanceProfileId: newId('AIPA'),
      arn: iamArn(scope.accountId, 'instance-profile', path, input.name),
      createDate: scope.now.getTime(),
      roles: [],
      tags: mergeTags([], input.tags ?? []),
    };
    await this.store.transaction(async (tx) => {
      if (!(await tx.collection<InstanceProfileRecord>(INSTANCE_PROFILES).insert(entityKey(scope.accountId, input.name), profile))) {
        throw alreadyExists(`Instance Profile ${input.name} already exists.`);
      }
    });
    return { profile, roles: [] };
  }

  async get(scope: Scope, name: string): Promise<InstanceProfileView> {
    return this.store.transaction(async (tx) => {
      const { profile } = await load(tx, scope, name);
      return view(tx, scope, profile);
    });
  }

  async list(scope: Scope, options: { pathPrefix?: string; marker?: string; maxItems?: number }): Promise<MarkerPage<InstanceProfileView>> {
    return this.store.transaction(async (tx) => {
      const rows = await tx.collection<InstanceProfileRecord>(INSTANCE_PROFILES).list({ prefix: accountPrefix(scope.accountId) });
      const page = pageByMarker('instance-profiles', rows.filter((r) => underPath(r.value.path, options.pathPrefix)), options.marker, options.maxItems);
      return { ...page, items: await Promise.all(page.items.map((p) => view(tx, scope, p))) };
    });
  }

  async forRole(scope: Scope, roleName: string, options: { marker?: string; maxItems?: number }): Promise<MarkerPage<InstanceProfileView>> {
    return this.store.transaction(async (tx) => {
      if (!(await tx.collection<RoleRecord>(ROLES).get(entityKey(scope.accountId, roleName)))) throw roleNotFound(roleName);
      const rows = await tx.collection<InstanceProfileRecord>(INSTANCE_PROFILES).list({ prefix: accountPrefix(scope.accountId) });
      const holding = rows.filter((r) => r.value.roles.some((n) => n.toLowerCase() === roleName.toLowerCase()));
      const page = pageByMarker('instance-profiles-for-role', holding, options.marker, options.maxItems);
      return { ...page, items: await Promise.all(page.items.map((p) => view(tx, scope, p))) };
    });
  }

  async delete(scope: Scope, name: string): Promise<void> {
    await this.store.transaction(async (tx) => {
      const { key, profile } = await load(tx, scope, name);
      if (profile.roles.length > 0) {
        throw deleteConflict('Cannot delete entity, must remove roles from instance profile first.');
      }
      await tx.collection(INSTANCE_PROFILES).delete(key);
    });
  }

  async addRole(scope: Scope, name: string, roleName: string): Promise<void> {
    await this.store.transaction(async (tx) => {
      const { key, profile } = await load(tx, scope, name);
      const role = await tx.collection<RoleRecord>(ROLES).get(entityKey(scope.accountId, roleName));
      if (!role) throw roleNotFound(roleName);
      if (profile.roles.length >= 1) throw limitExceeded('Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1');
      profile.roles.push(role.name);
      await tx.collection<InstanceProfileRecord>(INSTANCE_PROFILES).put(key, profile);
    });
  }

  async removeRole(scope: Scope, name: string, roleName: string): Promise<void> {
    await this.store.transaction(async (tx) => {
      const { key, profile } = await load(tx, scope, name);
      const kept = profile.roles.filter((r) => r.toLowerCase() !== roleName.toLowerCase());
      if (kept.length === profile.roles.length) throw roleNotFound(roleName);
      profile.roles = kept;
      await tx.collection<InstanceProfileRecord>(INSTANCE_PROFILES).put(key, profile);
    });
  }

  async tag(scope: Scope, name: string, tags: readonly Tag[]): Promise<void> {
    await this.store.transaction(async (tx) => {
      const { key, profile } = await load(tx, scope, name);
      profile.tags = mergeTags(profile.tags, tags);
      await tx.collection<InstanceProfileRecord>(INSTANCE_PROFILES).put(key, profile);
    });
  }

  async untag(scope: Scope, name: string, keys: readonly string[]): Promise<void> {
    await this.store.transaction(async (tx) => {
      const { key, profile } = await load(tx, scope, name);
      profile.tags = removeTags(profile.tags, keys);
      await tx.collection<InstanceProfileRecord>(INSTANCE_PROFILES).put(key, profile);
    });
  }
}

async function load(tx: Transaction, scope: Scope, name: string): Promise<{ key: string; profile: InstanceProfileRecord }> {
  const key = entityKey(scope.accountId, name);
  const profile = await tx.collection<InstanceProfileRecord>(INSTANCE_PROFILES).get(key);
  if (!profile) throw notFound(name);
  return { key, profile };
}

async function view(tx: Transaction, scope: Scope, profile: InstanceProfileRecord): Promise<InstanceProfileView> {
  const roles: RoleRecord[] = [];
  for (const name of profile.roles) {
    const role = await tx.collection<RoleRecord>(ROLES).get(entityKey(scope.accountId, name));
    if (role) roles.push(role);
  }
  return { profile, roles };
}
