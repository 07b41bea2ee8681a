import { parsePolicyDocument } from '../lib/policy-document.js';
import type { Scope } from '../lib/scope.js';
import type { Store } from '../store/store.js';
import { evaluate, type EvaluatedPolicy } from './evaluation/evaluate.js';
import type { ManagedPolicies } from './managed-policies.js';
import { ROLES, entityKey, type RoleRecord } from './records.js';

/** Whether a request may go on, or AWS's AccessDeniedException message. */
export type AuthorizationDecision = { allowed: true } | { allowed: false; message: string };

/**
 * The authorisation of requests made with an assumed role's credentials: the role's identity
 * policies (inline and attached managed ones), its permissions boundary and the session policy
 * must allow the action on the resource, and none may deny it, as IAM's evaluation logic has it.
 * The account's root, and requests made without credentials of a role, are not restricted.
 */
export class Authorizer {
  constructor(
    private readonly store: Store,
    private readonly policies: ManagedPolicies,
  ) {}

  async decide(scope: Scope, action: string, resource: string): Promise<AuthorizationDecision> {
    const caller = scope.caller;
    if (caller?.kind !== 'assumed-role' || caller.roleArn === undefined) return { allowed: true };
    const { identity, boundary } = await this.policiesOf(scope.accountId, caller.roleArn);
    const request = { action, resource, context: new Map([['aws:PrincipalArn', [caller.roleArn]], ['aws:PrincipalAccount', [scope.accountId]]]) };
    const outcome = evaluate(identity, request, boundary);
    const denied = (why: string) => ({ allowed: false as const, message: `User: ${caller.arn} is not authorized to perform: ${action} on resource: ${resource} ${why}` });
    if (outcome.decision === 'explicitDeny') return denied(`with an explicit deny in ${outcome.allowedByBoundary === false ? 'a permissions boundary' : 'an identity-based policy'}`);
    if (outcome.decision === 'implicitDeny') {
      return denied(outcome.allowedByBoundary === false ? `because no permissions boundary allows the ${action} action` : `because no identity-based policy allows the ${action} action`);
    }
    if (caller.sessionPolicy !== undefined) {
      const session = parsePolicyDocument(caller.sessionPolicy, 'identity');
      const bySession = evaluate([{ id: 'session', type: 'session', document: session.ok ? session.document : { statements: [] } }], request);
      if (bySession.decision === 'explicitDeny') return denied('with an explicit deny in a session policy');
      if (bySession.decision !== 'allowed') return denied(`because no session policy allows the ${action} action`);
    }
    return { allowed: true };
  }

  private async policiesOf(accountId: string, roleArn: string): Promise<{ identity: EvaluatedPolicy[]; boundary: EvaluatedPolicy[] }> {
    return this.store.transaction(async (tx) => {
      const name = roleArn.slice(roleArn.lastIndexOf('/') + 1);
      const role = await tx.collection<RoleRecord>(ROLES).get(entityKey(accountId, name));
      // A session outlives its role's deletion, but grants nothing then.
      if (!role || role.arn !== roleArn) return { identity: [], boundary: [] };
      const identity = Object.entries(role.inlinePolicies).map(([id, text]) => policy(id, text));
      for (const arn of role.attachedPolicies) {
        const doc = await this.policies.defaultDocument(tx, accountId, arn);
        if (doc) identity.push(policy(arn, doc.document));
      }
      const boundaryDoc = role.permissionsBoundary === undefined ? undefined : await this.policies.defaultDocument(tx, accountId, role.permissionsBoundary);
      return { identity, boundary: boundaryDoc ? [policy(role.permissionsBoundary!, boundaryDoc.document)] : [] };
    });
  }
}

function policy(id: string, text: string): EvaluatedPolicy {
  const parsed = parsePolicyDocument(text, 'identity');
  // Stored documents were checked when they were put; one that no longer parses grants nothing.
  return { id, type: 'identity', document: parsed.ok ? parsed.document : { statements: [] } };
}
