import { grantsPublicAccess, parsePolicyDocument } from '../../lib/policy-document.js';
import { malformedPolicy, publicPolicy } from './errors.js';

/** One finding of ValidateResourcePolicy. */
export interface PolicyValidationError {
  checkName: string;
  errorMessage: string;
}

/**
 * The check ValidateResourcePolicy and BlockPublicPolicy share. AWS runs three (syntax, broad
 * access, caller lockout); syntax is a MalformedPolicyDocumentException, broad access a finding
 * named BROAD_ACCESS. Lockout cannot happen here: the account's own credentials are not subject to
 * a secret's policy.
 */
export function validateResourcePolicy(text: string): PolicyValidationError[] {
  const parsed = parsePolicyDocument(text, 'resource');
  if (!parsed.ok) throw malformedPolicy();
  return grantsPublicAccess(parsed.document)
    ? [{ checkName: 'BROAD_ACCESS', errorMessage: 'The resource policy grants broad access to the secret: a statement allows a wildcard principal without a condition.' }]
    : [];
}

/** PutResourcePolicy's check: syntax always; broad access only when BlockPublicPolicy is true. */
export function checkResourcePolicy(text: string, blockPublicPolicy: boolean): void {
  const findings = validateResourcePolicy(text);
  if (blockPublicPolicy && findings.length > 0) throw publicPolicy();
}
