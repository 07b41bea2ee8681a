import type { Transaction } from '../store/store.js';
import type { ManagedPolicies } from './managed-policies.js';
import { GROUPS, entityKey, type GroupRecord, type RoleRecord, type UserRecord } from './records.js';

/**
 * The identity-based policies of a role or user, as IAM's evaluation gathers them: a role's inline
 * and attached managed policies; a user's inline and attached ones and those of every group it is
 * in (their union: any Allow allows, any Deny wins). Attached policies contribute their default
 * version; one that no longer exists contributes nothing.
 */

/** A policy document and where it came from (SimulatePrincipalPolicy's SourcePolicyType). */
export interface SourcedPolicy {
  /** The inline policy's name, or the managed policy's ARN. */
  id: string;
  type: 'role' | 'user' | 'group' | 'aws-managed' | 'user-managed';
  text: string;
}

export async function roleIdentityPolicies(tx: Transaction, policies: ManagedPolicies, accountId: string, role: RoleRecord): Promise<SourcedPolicy[]> {
  const out = inline(role.inlinePolicies, 'role');
  out.push(...(await managed(tx, policies, accountId, role.attachedPolicies)));
  return out;
}

export async function userIdentityPolicies(tx: Transaction, policies: ManagedPolicies, accountId: string, user: UserRecord): Promise<SourcedPolicy[]> {
  const out = inline(user.inlinePolicies ?? {}, 'user');
  out.push(...(await managed(tx, policies, accountId, user.attachedPolicies ?? [])));
  for (const name of user.groups ?? []) {
    const group = await tx.collection<GroupRecord>(GROUPS).get(entityKey(accountId, name));
    if (!group) continue;
    out.push(...inline(group.inlinePolicies, 'group'));
    out.push(...(await managed(tx, policies, accountId, group.attachedPolicies)));
  }
  return out;
}

function inline(documents: Record<string, string>, type: 'role' | 'user' | 'group'): SourcedPolicy[] {
  return Object.entries(documents).map(([id, text]) => ({ id, type, text }));
}

async function managed(tx: Transaction, policies: ManagedPolicies, accountId: string, arns: readonly string[]): Promise<SourcedPolicy[]> {
  const out: SourcedPolicy[] = [];
  for (const arn of arns) {
    const doc = await policies.defaultDocument(tx, accountId, arn);
    if (doc) out.push({ id: arn, type: doc.aws ? 'aws-managed' : 'user-managed', text: doc.document });
  }
  return out;
}
