import type { PolicyDocument, PolicyStatement } from '../../lib/policy-document.js';
import { evaluateConditions, type RequestContext } from './conditions.js';
import { arnMatch, wildcardMatch } from './wildcard.js';

/**
 * The evaluation of identity-based policies for one request (action, resource, context), as IAM's
 * policy evaluation logic has it: an explicit Deny in any policy wins; otherwise an Allow is
 * needed; with none, the request is implicitly denied. A permissions boundary, when the principal
 * has one, must allow the request too. Pure: the same policies and request always give the same
 * decision.
 */

export type EvalDecision = 'allowed' | 'explicitDeny' | 'implicitDeny';

/** One policy taking part: its document and how to name it in the results. */
export interface EvaluatedPolicy {
  id: string;
  /** IAM's PolicySourceType: `role`, `user`, `aws-managed`, `user-managed`, `none`… */
  type: string;
  document: PolicyDocument;
}

export interface EvaluationRequest {
  action: string;
  resource: string;
  context: RequestContext;
}

export interface MatchedStatement {
  policyId: string;
  policyType: string;
  /** The statement's index in its policy. */
  index: number;
  effect: 'Allow' | 'Deny';
}

export interface Evaluation {
  decision: EvalDecision;
  /** The statements that decided: the denying ones, or else the allowing ones. */
  matched: MatchedStatement[];
  /** Condition keys the policies read that the context lacks (sorted, unique). */
  missingContextKeys: string[];
  /** Whether the permissions boundary allowed the request; absent without a boundary. */
  allowedByBoundary?: boolean;
}

/** Whether a statement applies to the request (action, resource and conditions). */
export function statementApplies(s: PolicyStatement, request: EvaluationRequest, missing?: Set<string>): boolean {
  if (s.action && !s.action.some((a) => actionMatch(a, request.action))) return false;
  if (s.notAction && s.notAction.some((a) => actionMatch(a, request.action))) return false;
  if (s.resource && !s.resource.some((r) => resourceMatch(r, request.resource))) return false;
  if (s.notResource && s.notResource.some((r) => resourceMatch(r, request.resource))) return false;
  if (s.condition) {
    const outcome = evaluateConditions(s.condition, request.context);
    for (const key of outcome.missing) missing?.add(key);
    if (!outcome.holds) return false;
  }
  return true;
}

function actionMatch(pattern: string, action: string): boolean {
  return wildcardMatch(pattern, action, true);
}

function resourceMatch(pattern: string, resource: string): boolean {
  return pattern === '*' || arnMatch(pattern, resource);
}

interface Verdict {
  decision: EvalDecision;
  matched: MatchedStatement[];
}

function verdictOf(policies: readonly EvaluatedPolicy[], request: EvaluationRequest, missing: Set<string>): Verdict {
  const allows: MatchedStatement[] = [];
  const denies: MatchedStatement[] = [];
  for (const policy of policies) {
    policy.document.statements.forEach((s, index) => {
      if (!statementApplies(s, request, missing)) return;
      const match = { policyId: policy.id, policyType: policy.type, index, effect: s.effect };
      (s.effect === 'Deny' ? denies : allows).push(match);
    });
  }
  if (denies.length > 0) return { decision: 'explicitDeny', matched: denies };
  if (allows.length > 0) return { decision: 'allowed', matched: allows };
  return { decision: 'implicitDeny', matched: [] };
}

/**
 * Decides one request against the principal's identity policies and, when given, its permissions
 * boundary (an empty list of boundary policies is no boundary).
 */
export function evaluate(
  identityPolicies: readonly EvaluatedPolicy[],
  request: EvaluationRequest,
  boundaryPolicies: readonly EvaluatedPolicy[] = [],
): Evaluation {
  const missing = new Set<string>();
  const identity = verdictOf(identityPolicies, request, missing);
  const missingContextKeys = () => [...missing].sort();
  if (boundaryPolicies.length === 0) return { ...identity, missingContextKeys: missingContextKeys() };
  const boundary = verdictOf(boundaryPolicies, request, missing);
  const allowedByBoundary = boundary.decision === 'allowed';
  if (identity.decision === 'explicitDeny' || boundary.decision === 'explicitDeny') {
    const matched = [...(identity.decision === 'explicitDeny' ? identity.matched : []), ...(boundary.decision === 'explicitDeny' ? boundary.matched : [])];
    return { decision: 'explicitDeny', matched, missingContextKeys: missingContextKeys(), allowedByBoundary };
  }
  if (identity.decision === 'allowed' && allowedByBoundary) {
    return { decision: 'allowed', matched: identity.matched, missingContextKeys: missingContextKeys(), allowedByBoundary };
  }
  return { decision: 'implicitDeny', matched: [], missingContextKeys: missingContextKeys(), allowedByBoundary };
}
