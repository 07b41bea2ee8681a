import { parseArn } from '../lib/arn.js';
import { parsePolicyDocument } from '../lib/policy-document.js';
import type { Scope } from '../lib/scope.js';
import type { Store } from '../store/store.js';
import { checkPermissionsPolicy } from './documents.js';
import { invalidInput, noSuchEntity } from './errors.js';
import { evaluate, type EvalDecision, type EvaluatedPolicy, type MatchedStatement } from './evaluation/evaluate.js';
import { roleIdentityPolicies, userIdentityPolicies, type SourcedPolicy } from './identity-policies.js';
import type { ManagedPolicies } from './managed-policies.js';
import { ROLES, USERS, entityKey, type RoleRecord, type UserRecord } from './records.js';

/** SimulatePrincipalPolicy's request, in domain terms. */
export interface SimulationInput {
  policySourceArn: string;
  actionNames: readonly string[];
  resourceArns?: readonly string[];
  policyInputList?: readonly string[];
  permissionsBoundaryPolicyInputList?: readonly string[];
  context?: ReadonlyMap<string, readonly string[]>;
}

export interface SimulationResult {
  action: string;
  resource: string;
  decision: EvalDecision;
  matched: MatchedStatement[];
  missingContextKeys: string[];
  allowedByBoundary?: boolean;
}

/**
 * Simulates requests of a role or user against its identity policies (inline and attached managed
 * policies, a user's groups' too, plus the policies passed in) and its permissions boundary.
 */
export async function simulatePrincipal(store: Store, policies: ManagedPolicies, scope: Scope, input: SimulationInput): Promise<SimulationResult[]> {
  const { identity, boundary } = await store.transaction(async (tx) => {
    const arn = parseArn(input.policySourceArn);
    if (!arn || arn.service !== 'iam') throw invalidInput(`Invalid ARN: ${input.policySourceArn}`);
    const [kind] = arn.resource.split('/');
    const name = arn.resource.slice(arn.resource.lastIndexOf('/') + 1);
    const identity: EvaluatedPolicy[] = [];
    let boundaryArn: string | undefined;
    let sourced: SourcedPolicy[];
    if (kind === 'role') {
      const role = await tx.collection<RoleRecord>(ROLES).get(entityKey(scope.accountId, name));
      if (!role || role.arn !== input.policySourceArn) throw noSuchEntity(`The role with name ${name} cannot be found.`);
      sourced = await roleIdentityPolicies(tx, policies, scope.accountId, role);
      boundaryArn = role.permissionsBoundary;
    } else if (kind === 'user') {
      const user = await tx.collection<UserRecord>(USERS).get(entityKey(scope.accountId, name));
      if (!user || user.arn !== input.policySourceArn) throw noSuchEntity(`The user with name ${name} cannot be found.`);
      sourced = await userIdentityPolicies(tx, policies, scope.accountId, user);
      boundaryArn = user.permissionsBoundary;
    } else {
      throw invalidInput(`Invalid ARN: ${input.policySourceArn}`);
    }
    // Managed policies go by their names in the simulator's results, inline ones by theirs.
    for (const p of sourced) identity.push(inline(p.id.slice(p.id.lastIndexOf('/') + 1), p.type, p.text));
    const boundary: EvaluatedPolicy[] = [];
    if (boundaryArn !== undefined) {
      const doc = await policies.defaultDocument(tx, scope.accountId, boundaryArn);
      if (doc) boundary.push(inline(boundaryArn.slice(boundaryArn.lastIndexOf('/') + 1), doc.aws ? 'aws-managed' : 'user-managed', doc.document));
    }
    return { identity, boundary };
  });
  (input.policyInputList ?? []).forEach((text, i) => identity.push({ id: `PolicyInputList.${i + 1}`, type: 'IAM Policy', document: checkPermissionsPolicy(text) }));
  const boundaries = [
    ...boundary,
    ...(input.permissionsBoundaryPolicyInputList ?? []).map((text, i) => ({ id: `PermissionsBoundaryPolicyInputList.${i + 1}`, type: 'IAM Policy', document: checkPermissionsPolicy(text) })),
  ];
  const resources = input.resourceArns && input.resourceArns.length > 0 ? input.resourceArns : ['*'];
  const context = input.context ?? new Map<string, readonly string[]>();
  const results: SimulationResult[] = [];
  for (const action of input.actionNames) {
    for (const resource of resources) {
      const outcome = evaluate(identity, { action, resource, context }, boundaries);
      results.push({
        action,
        resource,
        decision: outcome.decision,
        matched: outcome.matched,
        missingContextKeys: outcome.missingContextKeys,
        ...(outcome.allowedByBoundary !== undefined && { allowedByBoundary: outcome.allowedByBoundary }),
      });
    }
  }
  return results;
}

function inline(id: string, type: string, text: string): EvaluatedPolicy {
  const parsed = parsePolicyDocument(text, 'identity');
  // Stored documents were checked when they were put; one that no longer parses grants nothing.
  return { id, type, document: parsed.ok ? parsed.document : { statements: [] } };
}
