import { parsePolicyDocument, type PolicyDocument } from '../lib/policy-document.js';
import type { Store } from '../store/store.js';
import { ROLES, entityKey, type RoleRecord } from './records.js';

/** Whether a role can be assumed by a service: it exists and its trust policy lets the service in. */
export type RoleTrust = 'ok' | 'missing' | 'untrusted';

/**
 * Checks a role named by ARN (a task definition's taskRoleArn or executionRoleArn) against a
 * service principal (`ecs-tasks.amazonaws.com`): 'missing' when the account has no such role (a
 * role of another account counts as missing: minato serves one account), 'untrusted' when no
 * statement allows the service `sts:AssumeRole` (or a statement denies it), 'ok' otherwise.
 */
export async function roleTrusts(store: Store, accountId: string, roleArn: string, servicePrincipal: string): Promise<RoleTrust> {
  const match = /^arn:aws:iam::(\d{12}):role(\/(?:[^/]+\/)*)?([^/]+)$/.exec(roleArn);
  if (!match || match[1] !== accountId) return 'missing';
  const role = await store.collection<RoleRecord>(ROLES).get(entityKey(accountId, match[3]!));
  if (!role || role.arn !== roleArn) return 'missing';
  const parsed = parsePolicyDocument(role.assumeRolePolicyDocument, 'resource');
  if (!parsed.ok) return 'untrusted';
  return trustsService(parsed.document, servicePrincipal) ? 'ok' : 'untrusted';
}

/** Whether a trust policy lets `service` call sts:AssumeRole (conditions are not read: the ones ECS trust policies carry, aws:SourceAccount and aws:SourceArn, name the caller's own account and tasks). */
export function trustsService(document: PolicyDocument, service: string): boolean {
  const names = (s: PolicyDocument['statements'][number]): boolean => {
    const p = s.principal;
    if (p === undefined) return false;
    if (p === '*') return true;
    return (p.Service ?? []).includes(service) || (p.AWS ?? []).includes('*');
  };
  const assumes = (s: PolicyDocument['statements'][number]): boolean =>
    s.action ? s.action.some((a) => /^sts:(AssumeRole|\*)$/i.test(a) || a === '*') : !(s.notAction ?? []).some((a) => /^sts:(AssumeRole|\*)$/i.test(a) || a === '*');
  const applies = (s: PolicyDocument['statements'][number]) => names(s) && assumes(s);
  if (document.statements.some((s) => s.effect === 'Deny' && applies(s))) return false;
  return document.statements.some((s) => s.effect === 'Allow' && applies(s));
}
