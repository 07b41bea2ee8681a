import { randomBytes } from 'node:crypto';

/**
 * IAM's unique ids: a four-letter prefix that tells the kind of entity (AROA a role, ANPA a
 * managed policy, AIDA a user, AGPA a group, AIPA an instance profile, AKIA an access key) and upper-case base32
 * characters, 21 characters in all (20 for access key ids), as IAM hands them out.
 */
export type IdPrefix = 'AROA' | 'ANPA' | 'AIDA' | 'AGPA' | 'AIPA' | 'AKIA';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function base32(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const b of bytes) out += BASE32[b & 31];
  return out;
}

/** A fresh unique id of the given kind. */
export function newId(prefix: IdPrefix): string {
  return prefix + base32(prefix === 'AKIA' ? 16 : 17);
}

/** A fresh secret access key: 40 characters of base64 text, as IAM's. */
export function newSecretAccessKey(): string {
  return randomBytes(30).toString('base64');
}

/** The ARN of an IAM entity: `arn:aws:iam::<account>:<kind><path><name>`. */
export function iamArn(accountId: string, kind: 'role' | 'user' | 'group' | 'policy' | 'instance-profile', path: string, name: string): string {
  return `arn:aws:iam::${accountId}:${kind}${path}${name}`;
}

/** The account of AWS's own managed policies in their ARNs (`arn:aws:iam::aws:policy/…`). */
export const AWS_ACCOUNT = 'aws';
