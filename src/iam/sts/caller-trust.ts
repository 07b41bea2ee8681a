import type { PolicyDocument, PolicyPrincipal, PolicyStatement } from '../../lib/policy-document.js';
import type { Caller } from '../../lib/scope.js';
import { statementApplies } from '../evaluation/evaluate.js';

/** The facts of an AssumeRole call that a trust policy's conditions may read. */
export interface AssumeRequestFacts {
  accountId: string;
  roleArn: string;
  sessionName: string;
  externalId?: string;
  /** The session tags' keys and values (aws:RequestTag/<key>). */
  tags: ReadonlyArray<{ Key: string; Value: string }>;
}

/**
 * Whether a role's trust policy lets `caller` call sts:AssumeRole, as IAM decides for a principal
 * of the role's own account: a statement's AWS principal names the caller (its user ARN, the role
 * of its session, or that session's ARN), or the account (its id, its root ARN), or `*`; its
 * conditions (sts:ExternalId, sts:RoleSessionName, aws:PrincipalArn, …) hold; no such statement
 * denies. The caller's identity policies, which AWS also requires when the trust names the
 * account, are not consulted (requests are not authorised by policy yet).
 */
export function trustsCaller(document: PolicyDocument, caller: Caller, facts: AssumeRequestFacts): boolean {
  const names = principalNames(caller, facts.accountId);
  const context = new Map<string, string[]>([
    ['aws:PrincipalArn', [caller.roleArn ?? caller.arn]],
    ['aws:PrincipalAccount', [facts.accountId]],
    ['aws:PrincipalType', [caller.kind === 'root' ? 'Account' : caller.kind === 'user' ? 'User' : 'AssumedRole']],
    ['sts:RoleSessionName', [facts.sessionName]],
    ['aws:TagKeys', facts.tags.map((t) => t.Key)],
    ...facts.tags.map((t) => [`aws:RequestTag/${t.Key}`, [t.Value]] as [string, string[]]),
    ...(facts.externalId !== undefined ? [['sts:ExternalId', [facts.externalId]] as [string, string[]]] : []),
  ]);
  const request = { action: 'sts:AssumeRole', resource: facts.roleArn, context };
  const applies = (s: PolicyStatement) => namesCaller(s.principal, names) && statementApplies(s, request);
  if (document.statements.some((s) => s.effect === 'Deny' && applies(s))) return false;
  return document.statements.some((s) => s.effect === 'Allow' && applies(s));
}

/** The principal values that name this caller in a trust policy. */
function principalNames(caller: Caller, accountId: string): Set<string> {
  const names = new Set(['*', accountId, `arn:aws:iam::${accountId}:root`, caller.arn]);
  if (caller.roleArn) names.add(caller.roleArn);
  return names;
}

function namesCaller(principal: PolicyPrincipal | undefined, names: ReadonlySet<string>): boolean {
  if (principal === undefined) return false;
  if (principal === '*') return true;
  return (principal.AWS ?? []).some((p) => names.has(p));
}
