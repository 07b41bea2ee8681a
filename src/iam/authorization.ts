import { parsePolicyDocument } from '../lib/policy-document.js';
import type { Scope } from '../lib/scope.js';
import type { Store, Transaction } from '../store/store.js';
import { evaluate, type EvaluatedPolicy } from './evaluation/evaluate.js';
import { roleIdentityPolicies, userIdentityPolicies } from './identity-policies.js';
import type { ManagedPolicies } from './managed-policies.js';
import { ROLES, USERS, entityKey, type RoleRecord, type Tag, type UserRecord } from './records.js';

/** Whether a request may go on, or AWS's AccessDeniedException message. */
export type AuthorizationDecision = { allowed: true } | { allowed: false; message: string };

/** One action on one resource ARN (`*` for an action without resource-level permissions). */
export interface AuthorizationCheck {
  action: string;
  resource: string;
}

/**
 * What the front door knows of the request besides its caller, as condition keys: the global
 * `aws:SourceIp`, `aws:SecureTransport`, `aws:RequestTag/<key>` and `aws:TagKeys`, and the
 * service's own keys the request sets (e.g. `ecs:cluster`).
 */
export interface RequestFacts {
  sourceIp?: string;
  secureTransport?: boolean;
  requestTags?: Readonly<Record<string, string>>;
  serviceKeys?: Readonly<Record<string, readonly string[]>>;
}

/** The principal's policies, loaded once per request however many checks it makes. */
interface PrincipalPolicies {
  identity: EvaluatedPolicy[];
  boundary: EvaluatedPolicy[];
  tags: Tag[];
}

/**
 * The authorisation of requests made with an IAM user's keys (or the session tokens it got) and
 * with an assumed role's credentials: the principal's identity policies (see identity-policies.ts:
 * a user's own and its groups'), its permissions boundary and a role session's policy
 * must allow the action on the resource, and none may deny it, as IAM's evaluation logic has it.
 * The account's root is not restricted.
 */
export class Authorizer {
  constructor(
    private readonly store: Store,
    private readonly policies: ManagedPolicies,
  ) {}

  /** Whether requests of this scope's caller are decided by policies (users and role sessions) at all. */
  restricts(scope: Scope): boolean {
    const caller = scope.caller;
    return caller?.kind === 'user' || (caller?.kind === 'assumed-role' && caller.roleArn !== undefined);
  }

  async decide(scope: Scope, action: string, resource: string, facts: RequestFacts = {}): Promise<AuthorizationDecision> {
    return this.decideAll(scope, [{ action, resource }], facts);
  }

  /** Every check must be allowed; the first refused one names the refusal. */
  async decideAll(scope: Scope, checks: readonly AuthorizationCheck[], facts: RequestFacts = {}): Promise<AuthorizationDecision> {
    const caller = scope.caller;
    if (!caller || !this.restricts(scope)) return { allowed: true };
    const principal =
      caller.kind === 'user'
        ? { arn: caller.arn, type: 'User' as const, policies: await this.userPolicies(scope.accountId, caller.arn) }
        : { arn: caller.roleArn!, type: 'AssumedRole' as const, policies: await this.policiesOf(scope.accountId, caller.roleArn!) };
    const role = principal.policies;
    const context = requestContext(scope, principal.arn, role.tags, facts, principal.type);
    const session = caller.sessionPolicy === undefined ? undefined : sessionPolicy(caller.sessionPolicy);
    for (const { action, resource } of checks) {
      const request = { action, resource, context };
      const denied = (why: string) => ({ allowed: false as const, message: `User: ${caller.arn} is not authorized to perform: ${action} on resource: ${resource} ${why}` });
      const outcome = evaluate(role.identity, request, role.boundary);
      if (outcome.decision === 'explicitDeny') return denied(`with an explicit deny in ${outcome.allowedByBoundary === false ? 'a permissions boundary' : 'an identity-based policy'}`);
      if (outcome.decision === 'implicitDeny') {
        return denied(outcome.allowedByBoundary === false ? `because no permissions boundary allows the ${action} action` : `because no identity-based policy allows the ${action} action`);
      }
      if (session) {
        const bySession = evaluate([session], request);
        if (bySession.decision === 'explicitDeny') return denied('with an explicit deny in a session policy');
        if (bySession.decision !== 'allowed') return denied(`because no session policy allows the ${action} action`);
      }
    }
    return { allowed: true };
  }

  private async userPolicies(accountId: string, userArn: string): Promise<PrincipalPolicies> {
    return this.store.transaction(async (tx) => {
      const name = userArn.slice(userArn.lastIndexOf('/') + 1);
      const user = await tx.collection<UserRecord>(USERS).get(entityKey(accountId, name));
      // A session token can outlive its user; it grants nothing then, nor for a user made anew under the name.
      if (!user || user.arn !== userArn) return { identity: [], boundary: [], tags: [] };
      const identity = (await userIdentityPolicies(tx, this.policies, accountId, user)).map((p) => policy(p.id, p.text));
      return { identity, boundary: await this.boundary(tx, accountId, user.permissionsBoundary), tags: user.tags };
    });
  }

  private async policiesOf(accountId: string, roleArn: string): Promise<PrincipalPolicies> {
    return this.store.transaction(async (tx) => {
      const name = roleArn.slice(roleArn.lastIndexOf('/') + 1);
      const role = await tx.collection<RoleRecord>(ROLES).get(entityKey(accountId, name));
      // A session outlives its role's deletion, but grants nothing then.
      if (!role || role.arn !== roleArn) return { identity: [], boundary: [], tags: [] };
      const identity = (await roleIdentityPolicies(tx, this.policies, accountId, role)).map((p) => policy(p.id, p.text));
      return { identity, boundary: await this.boundary(tx, accountId, role.permissionsBoundary), tags: role.tags };
    });
  }

  private async boundary(tx: Transaction, accountId: string, arn: string | undefined): Promise<EvaluatedPolicy[]> {
    const doc = arn === undefined ? undefined : await this.policies.defaultDocument(tx, accountId, arn);
    return doc ? [policy(arn!, doc.document)] : [];
  }
}

/**
 * The global condition keys of a user's or role session's request, written as AWS documents them (the
 * evaluator compares keys without regard to case).
 */
export function requestContext(
  scope: Scope,
  principalArn: string,
  principalTags: readonly Tag[],
  facts: RequestFacts,
  principalType: 'AssumedRole' | 'User' = 'AssumedRole',
): Map<string, readonly string[]> {
  const context = new Map<string, readonly string[]>([
    ['aws:PrincipalArn', [principalArn]],
    ['aws:PrincipalAccount', [scope.accountId]],
    ['aws:PrincipalType', [principalType]],
    ['aws:RequestedRegion', [scope.region]],
    ['aws:CurrentTime', [scope.now.toISOString()]],
    ['aws:EpochTime', [String(Math.floor(scope.now.getTime() / 1000))]],
    ['aws:MultiFactorAuthPresent', ['false']],
  ]);
  if (scope.caller) context.set('aws:userid', [scope.caller.userId]);
  for (const tag of principalTags) context.set(`aws:PrincipalTag/${tag.Key}`, [tag.Value]);
  if (facts.sourceIp !== undefined) context.set('aws:SourceIp', [facts.sourceIp]);
  if (facts.secureTransport !== undefined) context.set('aws:SecureTransport', [String(facts.secureTransport)]);
  if (facts.requestTags) {
    const keys = Object.keys(facts.requestTags);
    for (const key of keys) context.set(`aws:RequestTag/${key}`, [facts.requestTags[key]!]);
    if (keys.length > 0) context.set('aws:TagKeys', keys);
  }
  for (const [key, values] of Object.entries(facts.serviceKeys ?? {})) context.set(key, values);
  return context;
}

function sessionPolicy(text: string): EvaluatedPolicy {
  const session = parsePolicyDocument(text, 'identity');
  return { id: 'session', type: 'session', document: session.ok ? session.document : { statements: [] } };
}

function policy(id: string, text: string): EvaluatedPolicy {
  const parsed = parsePolicyDocument(text, 'identity');
  // Stored documents were checked when they were put; one that no longer parses grants nothing.
  return { id, type: 'identity', document: parsed.ok ? parsed.document : { statements: [] } };
}
