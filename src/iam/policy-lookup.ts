import { parseArn } from '../lib/arn.js';
import type { Transaction } from '../store/store.js';
import { AWS_MANAGED_POLICIES } from './aws-managed-policies.js';
import { invalidInput } from './errors.js';
import { POLICIES, ROLES, accountPrefix, entityKey, type PolicyRecord, type RoleRecord } from './records.js';

/**
 * Finding a managed policy by ARN: AWS's own (built in) or the account's (in the store), and the
 * roles it is attached to. Shared by the role and policy operations, inside their transactions.
 */

/** A managed policy, whoever owns it. */
export type ManagedPolicy = { kind: 'aws'; arn: string; name: string } | { kind: 'local'; arn: string; key: string; record: PolicyRecord };

/** Where a customer managed policy ARN points: its store key, or undefined for another account's. */
export function localPolicyKey(accountId: string, arn: string): string | undefined {
  const parsed = parseArn(arn);
  if (!parsed || parsed.service !== 'iam' || !parsed.resource.startsWith('policy/')) throw invalidInput(`ARN ${arn} is not valid.`);
  if (parsed.accountId !== accountId) return undefined;
  const name = parsed.resource.slice(parsed.resource.lastIndexOf('/') + 1);
  return entityKey(accountId, name);
}

/** The managed policy `arn` names, if it exists for this account. */
export async function findManagedPolicy(tx: Transaction, accountId: string, arn: string): Promise<ManagedPolicy | undefined> {
  const aws = AWS_MANAGED_POLICIES.get(arn);
  if (aws) return { kind: 'aws', arn, name: aws.name };
  const key = localPolicyKey(accountId, arn);
  if (key === undefined) return undefined;
  const record = await tx.collection<PolicyRecord>(POLICIES).get(key);
  // The key is the name; the path must match too.
  if (!record || record.arn !== arn) return undefined;
  return { kind: 'local', arn, key, record };
}

/** The account's roles, in key order. */
export async function accountRoles(tx: Transaction, accountId: string): Promise<Array<{ key: string; value: RoleRecord }>> {
  return tx.collection<RoleRecord>(ROLES).list({ prefix: accountPrefix(accountId) });
}
