import type { Scope } from '../lib/scope.js';
import type { Store, Transaction } from '../store/store.js';
import { attachTo, detachFrom } from './attachments.js';
import { checkPermissionsPolicy, checkTrustPolicy } from './documents.js';
import { alreadyExists, deleteConflict, noSuchEntity, roleNotFound, unmodifiable } from './errors.js';
import { iamArn, newId } from './ids.js';
import { pageByMarker, underPath, type MarkerPage } from './paging.js';
import { accountRoles, findManagedPolicy } from './policy-lookup.js';
import { INSTANCE_PROFILES, ROLES, accountPrefix, entityKey, type InstanceProfileRecord, type RoleRecord, type Tag } from './records.js';
import { mergeTags, removeTags } from './tags.js';

/** A role's session length when CreateRole names none. */
const DEFAULT_SESSION = 3600;

export interface CreateRoleInput {
  name: string;
  path?: string;
  assumeRolePolicyDocument: string;
  description?: string;
  maxSessionDuration?: number;
  permissionsBoundary?: string;
  tags?: readonly Tag[];
  /** Set for service-linked roles only. */
  linkedService?: string;
  attachedPolicies?: readonly string[];
}

export interface RoleListOptions {
  pathPrefix?: string;
  marker?: string;
  maxItems?: number;
}

/** Roles: trust policies, managed policy attachments, inline policies and tags. */
export class Roles {
  constructor(private readonly store: Store) {}

  async create(scope: Scope, input: CreateRoleInput): Promise<RoleRecord> {
    checkTrustPolicy(input.assumeRolePolicyDocument);
    const path = input.path ?? '/';
    const role: RoleRecord = {
      name: input.name,
      path,
      roleId: newId('AROA'),
      arn: iamArn(scope.accountId, 'role', path, input.name),
      createDate: scope.now.getTime(),
      assumeRolePolicyDocument: input.assumeRolePolicyDocument,
      ...(input.description !== undefined && { description: input.description }),
      maxSessionDuration: input.maxSessionDuration ?? DEFAULT_SESSION,
      tags: mergeTags([], input.tags ?? []),
      attachedPolicies: [...(input.attachedPolicies ?? [])],
      inlinePolicies: {},
      ...(input.linkedService !== undefined && { linkedService: input.linkedService }),
    };
    return this.store.transaction(async (tx) => {
      if (input.permissionsBoundary !== undefined) {
        if (!(await findManagedPolicy(tx, scope.accountId, input.permissionsBoundary))) {
          throw noSuchEntity(`Scope ARN: ${input.permissionsBoundary} does not exist or is not attachable.`);
        }
        role.permissionsBoundary = input.permissionsBoundary;
      }
      if (!(await tx.collection<RoleRecord>(ROLES).insert(entityKey(scope.accountId, input.name), role))) {
        throw alreadyExists(`Role with name ${input.name} already exists.`);
      }
      return role;
    });
  }

  async get(scope: Scope, name: string): Promise<RoleRecord> {
    const role = await this.store.collection<RoleRecord>(ROLES).get(entityKey(scope.accountId, name));
    if (!role) throw roleNotFound(name);
    return role;
  }

  /** The role an ARN names, if it exists (the path must match). */
  async findByArn(accountId: string, arn: string): Promise<RoleRecord | undefined> {
    const name = arn.slice(arn.lastIndexOf('/') + 1);
    const role = await this.store.collection<RoleRecord>(ROLES).get(entityKey(accountId, name));
    return role?.arn === arn ? role : undefined;
  }

  async list(scope: Scope, options: RoleListOptions): Promise<MarkerPage<RoleRecord>> {
    const rows = await this.store.collection<RoleRecord>(ROLES).list({ prefix: accountPrefix(scope.accountId) });
    return pageByMarker('roles', rows.filter((r) => underPath(r.value.path, options.pathPrefix)), options.marker, options.maxItems);
  }

  /** UpdateRole: a service-linked role's description may be edited too, nothing else of it. */
  async update(scope: Scope, name: string, change: { description?: string; maxSessionDuration?: number }): Promise<RoleRecord> {
    return this.mutate(
      scope,
      name,
      (role) => {
        if (role.linkedService && change.maxSessionDuration !== undefined) throw protectedRole(role);
        if (change.description !== undefined) role.description = change.description;
        if (change.maxSessionDuration !== undefined) role.maxSessionDuration = change.maxSessionDuration;
      },
      true,
    );
  }

  async updateTrust(scope: Scope, name: string, document: string): Promise<void> {
    checkTrustPolicy(document);
    await this.mutate(scope, name, (role) => {
      role.assumeRolePolicyDocument = document;
    });
  }

  async delete(scope: Scope, name: string): Promise<void> {
    await this.store.transaction(async (tx) => {
      const { key, role } = await this.load(tx, scope, name);
      if (role.linkedService) throw protectedRole(role);
      await this.checkDeletable(tx, scope, role);
      await tx.collection(ROLES).delete(key);
    });
  }

  /** DeleteRole's conflicts, in IAM's order: managed policies, inline policies, instance profiles. */
  async checkDeletable(tx: Transaction, scope: Scope, role: RoleRecord): Promise<void> {
    if (role.attachedPolicies.length > 0 && !role.linkedService) throw deleteConflict('Cannot delete entity, must detach all policies first.');
    if (Object.keys(role.inlinePolicies).length > 0) throw deleteConflict('Cannot delete entity, must delete policies first.');
    const profiles = await tx.collection<InstanceProfileRecord>(INSTANCE_PROFILES).list({ prefix: accountPrefix(scope.accountId) });
    if (profiles.some((p) => p.value.roles.some((r) => r.toLowerCase() === role.name.toLowerCase()))) {
      throw deleteConflict('Cannot delete entity, must remove roles from instance profile first.');
    }
  }

  async tag(scope: Scope, name: string, tags: readonly Tag[]): Promise<void> {
    await this.mutate(scope, name, (role) => {
      role.tags = mergeTags(role.tags, tags);
    }, true);
  }

  async untag(scope: Scope, name: string, keys: readonly string[]): Promise<void> {
    await this.mutate(scope, name, (role) => {
      role.tags = removeTags(role.tags, keys);
    }, true);
  }

  async attachPolicy(scope: Scope, name: string, policyArn: string): Promise<void> {
    await this.store.transaction(async (tx) => {
      const { key, role } = await this.load(tx, scope, name);
      if (role.linkedService) throw protectedRole(role);
      const attached = await attachTo(tx, scope.accountId, role.attachedPolicies, policyArn, 'PoliciesPerRole');
      if (!attached) return;
      role.attachedPolicies = attached;
      await tx.collection<RoleRecord>(ROLES).put(key, role);
    });
  }

  async detachPolicy(scope: Scope, name: string, policyArn: string): Promise<void> {
    await this.store.transaction(async (tx) => {
      const { key, role } = await this.load(tx, scope, name);
      if (role.linkedService) throw protectedRole(role);
      role.attachedPolicies = detachFrom(role.attachedPolicies, policyArn);
      await tx.collection<RoleRecord>(ROLES).put(key, role);
    });
  }

  async putInlinePolicy(scope: Scope, name: string, policyName: string, document: string): Promise<void> {
    checkPermissionsPolicy(document);
    await this.mutate(scope, name, (role) => {
      const existing = Object.keys(role.inlinePolicies).find((n) => n.toLowerCase() === policyName.toLowerCase());
      if (existing !== undefined) delete role.inlinePolicies[existing];
      role.inlinePolicies[policyName] = document;
    });
  }

  async getInlinePolicy(scope: Scope, name: string, policyName: string): Promise<{ name: string; document: string }> {
    const role = await this.get(scope, name);
    const found = inlineName(role, policyName);
    if (found === undefined) throw noSuchEntity(`The role policy with name ${policyName} cannot be found.`);
    return { name: found, document: role.inlinePolicies[found]! };
  }

  async deleteInlinePolicy(scope: Scope, name: string, policyName: string): Promise<void> {
    await this.mutate(scope, name, (role) => {
      const found = inlineName(role, policyName);
      if (found === undefined) throw noSuchEntity(`The role policy with name ${policyName} cannot be found.`);
      delete role.inlinePolicies[found];
    });
  }

  /** Roles to which `policyArn` is attached (ListEntitiesForPolicy). */
  async attachedTo(scope: Scope, policyArn: string): Promise<RoleRecord[]> {
    return this.store.transaction(async (tx) => (await accountRoles(tx, scope.accountId)).map((r) => r.value).filter((r) => r.attachedPolicies.includes(policyArn)));
  }

  private async load(tx: Transaction, scope: Scope, name: string): Promise<{ key: string; role: RoleRecord }> {
    const key = entityKey(scope.accountId, name);
    const role = await tx.collection<RoleRecord>(ROLES).get(key);
    if (!role) throw roleNotFound(name);
    return { key, role };
  }

  /** Changes a role in one transaction; service-linked roles only take tag changes. */
  private async mutate(scope: Scope, name: string, change: (role: RoleRecord) => void, allowLinked = false): Promise<RoleRecord> {
    return this.store.transaction(async (tx) => {
      const { key, role } = await this.load(tx, scope, name);
      if (role.linkedService && !allowLinked) throw protectedRole(role);
      change(role);
      await tx.collection<RoleRecord>(ROLES).put(key, role);
      return role;
    });
  }
}

function inlineName(role: RoleRecord, policyName: string): string | undefined {
  return Object.keys(role.inlinePolicies).find((n) => n.toLowerCase() === policyName.toLowerCase());
}

export function protectedRole(role: RoleRecord): Error {
  return unmodifiable(`Cannot perform the operation on the protected role '${role.name}' - this role is only modifiable by AWS`);
}
