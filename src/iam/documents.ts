import { parsePolicyDocument, type PolicyDocument } from '../lib/policy-document.js';
import { malformedPolicy } from './errors.js';

/**
 * Policy documents as IAM checks them: permissions policies (inline and managed) name no
 * principal and need resources; trust policies name principals and no resources. The parser's
 * findings are worded as IAM's MalformedPolicyDocument messages.
 */

/** Parses a permissions policy or throws MalformedPolicyDocument. */
export function checkPermissionsPolicy(text: string): PolicyDocument {
  const parsed = parsePolicyDocument(text, 'identity');
  if (parsed.ok) return parsed.document;
  throw malformedPolicy(permissionsMessage(parsed.problem));
}

/** Parses a role's trust policy (AssumeRolePolicyDocument) or throws MalformedPolicyDocument. */
export function checkTrustPolicy(text: string): PolicyDocument {
  const parsed = parsePolicyDocument(text, 'resource');
  if (!parsed.ok) throw malformedPolicy(trustMessage(parsed.problem));
  for (const s of parsed.document.statements) {
    if (s.resource || s.notResource) throw malformedPolicy(`Has prohibited field ${s.resource ? 'Resource' : 'NotResource'}`);
  }
  return parsed.document;
}

function permissionsMessage(problem: string): string {
  if (problem === 'an identity policy names no Principal') return 'Policy document should not specify a principal.';
  if (problem.startsWith('a statement needs Resource')) return 'Policy statement must contain resources.';
  return commonMessage(problem);
}

function trustMessage(problem: string): string {
  if (problem.startsWith('a statement needs Principal')) return 'Missing required field Principal';
  if (problem.startsWith('unknown principal kind')) return `Invalid principal in policy: ${problem.slice('unknown principal kind '.length)}`;
  return commonMessage(problem);
}

function commonMessage(problem: string): string {
  if (problem.startsWith('a statement needs Action')) return 'Policy statement must contain actions.';
  if (problem.startsWith('invalid action')) return 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.';
  if (problem.startsWith('Version must be')) return 'The policy failed legacy parsing';
  if (problem === 'statement ids (Sid) must be unique') return 'Statement IDs (SID) in a single policy must be unique.';
  if (problem === 'Sid must be alphanumeric') return 'Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*';
  if (problem === 'Effect must be Allow or Deny') return 'Syntax errors in policy.';
  return 'Syntax errors in policy.';
}

/** A document as IAM returns it from GetRole, GetRolePolicy and GetPolicyVersion: URL-encoded. */
export function encodeDocument(text: string): string {
  return encodeURIComponent(text);
}
