import type { Transaction } from '../store/store.js';
import { limitExceeded, noSuchEntity } from './errors.js';
import { findManagedPolicy } from './policy-lookup.js';
import { GROUPS, ROLES, USERS, accountPrefix, type GroupRecord, type RoleRecord, type UserRecord } from './records.js';

/**
 * Managed policies attached to roles, users and groups: attaching and detaching (shared by the
 * three), and which of the account's entities hold a policy (AttachmentCount, DeletePolicy's
 * conflict, ListEntitiesForPolicy) or use it as their permissions boundary (users and roles:
 * PermissionsBoundaryUsageCount). Each entity keeps the ARNs it uses; nothing else does.
 */

/** IAM's default quota of managed policies attached to one user or group. */
export const MAX_ATTACHED_POLICIES = 10;

/** The account's entities that can hold managed policies, each in key (lower-case name) order. */
export interface PolicyHolders {
  roles: RoleRecord[];
  users: UserRecord[];
  groups: GroupRecord[];
}

export async function policyHolders(tx: Transaction, accountId: string): Promise<PolicyHolders> {
  const prefix = { prefix: accountPrefix(accountId) };
  const [roles, users, groups] = await Promise.all([
    tx.collection<RoleRecord>(ROLES).list(prefix),
    tx.collection<UserRecord>(USERS).list(prefix),
    tx.collection<GroupRecord>(GROUPS).list(prefix),
  ]);
  return { roles: roles.map((r) => r.value), users: users.map((r) => r.value), groups: groups.map((r) => r.value) };
}

/** The holders a policy is attached to. */
export function holdersOf(holders: PolicyHolders, arn: string): PolicyHolders {
  return {
    roles: holders.roles.filter((r) => r.attachedPolicies.includes(arn)),
    users: holders.users.filter((u) => (u.attachedPolicies ?? []).includes(arn)),
    groups: holders.groups.filter((g) => g.attachedPolicies.includes(arn)),
  };
}

/** The users and roles whose permissions boundary a policy is (groups have none). */
export function boundaryHoldersOf(holders: PolicyHolders, arn: string): PolicyHolders {
  return {
    roles: holders.roles.filter((r) => r.permissionsBoundary === arn),
    users: holders.users.filter((u) => u.permissionsBoundary === arn),
    groups: [],
  };
}

/** How many users and roles use a policy as their permissions boundary (IAM's PermissionsBoundaryUsageCount). */
export function boundaryUsageCount(holders: PolicyHolders, arn: string): number {
  const of = boundaryHoldersOf(holders, arn);
  return of.roles.length + of.users.length;
}

/** How many entities a policy is attached to (IAM's AttachmentCount). */
export function attachmentCount(holders: PolicyHolders, arn: string): number {
  const of = holdersOf(holders, arn);
  return of.roles.length + of.users.length + of.groups.length;
}

/**
 * Attaches `policyArn` to an entity's list: NoSuchEntity for a policy the account cannot attach,
 * nothing for one already attached, LimitExceeded past the quota (`quotaName` as IAM names it).
 * Returns the new list, or undefined when nothing changed.
 */
export async function attachTo(
  tx: Transaction,
  accountId: string,
  attached: readonly string[],
  policyArn: string,
  quotaName: string,
): Promise<string[] | undefined> {
  if (!(await findManagedPolicy(tx, accountId, policyArn))) throw noSuchEntity(`Policy ${policyArn} does not exist or is not attachable.`);
  if (attached.includes(policyArn)) return undefined;
  if (attached.length >= MAX_ATTACHED_POLICIES) throw limitExceeded(`Cannot exceed quota for ${quotaName}: ${MAX_ATTACHED_POLICIES}`);
  return [...attached, policyArn];
}

/** The list without `policyArn`; NoSuchEntity when it is not attached. */
export function detachFrom(attached: readonly string[], policyArn: string): string[] {
  if (!attached.includes(policyArn)) throw noSuchEntity(`Policy ${policyArn} was not found.`);
  return attached.filter((a) => a !== policyArn);
}

/** An attached policy as ListAttached*Policies shows it: its name and ARN, and its path for PathPrefix. */
export interface AttachedPolicyView {
  name: string;
  arn: string;
  path: string;
}

/** The attached policies under `pathPrefix`, in the order they were attached. */
export function attachedUnder(attached: readonly string[], pathPrefix: string | undefined): AttachedPolicyView[] {
  return attached
    .map((arn) => ({ arn, path: arn.slice(arn.indexOf(':policy') + ':policy'.length, arn.lastIndexOf('/') + 1), name: arn.slice(arn.lastIndexOf('/') + 1) }))
    .filter((p) => pathPrefix === undefined || p.path.startsWith(pathPrefix));
}
