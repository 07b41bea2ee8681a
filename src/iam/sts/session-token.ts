import { randomBytes } from 'node:crypto';
import type { Caller } from '../../lib/scope.js';
import type { Tag } from '../records.js';
import type { SecretSealer } from '../users.js';

/**
 * Session tokens carry their session: the temporary secret, the expiry and the identity, sealed
 * under the master key (authenticated encryption) and bound to the temporary access key id. So
 * nothing is stored per session, a token cannot be forged or altered without the key, and one
 * session's token does not open another's key.
 */
export interface SessionClaims {
  v: 1;
  accountId: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Epoch milliseconds. */
  issuedAt: number;
  expiresAt: number;
  /** Who the session acts as. */
  caller: Omit<Caller, 'accessKeyId' | 'temporary'>;
  /** Session tags (AssumeRole's Tags), kept for the policies' aws:PrincipalTag conditions. */
  tags?: Tag[];
  /** Managed session policies (AssumeRole's PolicyArns). */
  policyArns?: string[];
}

const context = (accessKeyId: string) => `sts/session-token/${accessKeyId}`;

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** A temporary access key id: `ASIA` and 16 base32 characters, as STS hands them out. */
export function newTemporaryAccessKeyId(): string {
  let out = 'ASIA';
  for (const b of randomBytes(16)) out += BASE32[b & 31];
  return out;
}

/** Whether an access key id is of temporary credentials. */
export const isTemporaryAccessKeyId = (id: string): boolean => /^ASIA[A-Z2-7]{16}$/.test(id);

/** Seals a session's claims into its session token. */
export function sealSessionToken(sealer: SecretSealer, claims: SessionClaims): string {
  return sealer.seal(Buffer.from(JSON.stringify(claims), 'utf8'), context(claims.accessKeyId));
}

/**
 * The claims of a session token presented with `accessKeyId`; undefined when the token was not
 * sealed by this platform for that key (forged, altered, truncated, or another session's).
 */
export function openSessionToken(sealer: SecretSealer, accessKeyId: string, token: string): SessionClaims | undefined {
  if (!isTemporaryAccessKeyId(accessKeyId) || !/^[A-Za-z0-9+/]+={0,2}$/.test(token)) return undefined;
  let claims: SessionClaims;
  try {
    claims = JSON.parse(sealer.open(token, context(accessKeyId)).toString('utf8')) as SessionClaims;
  } catch {
    return undefined;
  }
  return claims.v === 1 && claims.accessKeyId === accessKeyId ? claims : undefined;
}
