import { createHash, timingSafeEqual } from 'node:crypto';
import type { TokenSigner } from './tokens.js';

/** Who a `/v2/` request acts as: the account and the region whose repositories it sees. */
export interface RegistryCaller {
  accountId: string;
  region: string;
}

/** Authentication of `/v2/` requests. */
export interface RegistryAuth {
  /** The caller an `Authorization` header identifies, or undefined (answer 401 with a challenge). */
  authenticate(authorization: string | undefined, nowMs: number): RegistryCaller | undefined;
  /** The caller of a presigned download URL for one blob (GetDownloadUrlForLayer), or undefined. */
  authenticateDownload(token: string, repository: string, digest: string, nowMs: number): RegistryCaller | undefined;
}

/** How {@link basicAuth} is set up. */
export interface BasicAuthOptions {
  tokens: TokenSigner;
  /** The account every request acts in. */
  accountId: string;
  /** Access key id → secret access key, accepted as Basic user/password for convenience. */
  credentials?: ReadonlyMap<string, string>;
  /** The region of callers that log in with access keys (tokens carry their own): default us-east-1. */
  defaultRegion?: string;
}

/**
 * HTTP Basic authentication as ECR does it: user `AWS`, password = a token from
 * GetAuthorizationToken (it carries account and region). As a convenience, an access key id and
 * its secret also work as user and password; such callers act in `defaultRegion`. No anonymous
 * access.
 */
export function basicAuth(options: BasicAuthOptions): RegistryAuth {
  const defaultRegion = options.defaultRegion ?? 'us-east-1';
  return {
    authenticate(authorization, nowMs) {
      const credentials = parseBasic(authorization);
      if (!credentials) return undefined;
      if (credentials.user === 'AWS') {
        const claims = options.tokens.verify(credentials.password, nowMs);
        if (!claims || claims.purpose !== 'login' || claims.accountId !== options.accountId) return undefined;
        return { accountId: claims.accountId, region: claims.region };
      }
      const secret = options.credentials?.get(credentials.user);
      if (secret === undefined || !sameSecret(secret, credentials.password)) return undefined;
      return { accountId: options.accountId, region: defaultRegion };
    },
    authenticateDownload(token, repository, digest, nowMs) {
      const claims = options.tokens.verify(token, nowMs);
      if (!claims || claims.purpose !== 'download' || claims.accountId !== options.accountId) return undefined;
      if (claims.repository !== repository || claims.digest !== digest) return undefined;
      return { accountId: claims.accountId, region: claims.region };
    },
  };
}

/** The user and password of a `Basic` Authorization header, or undefined. */
export function parseBasic(authorization: string | undefined): { user: string; password: string } | undefined {
  const match = /^basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** Constant-time comparison of secrets of any length (hashed first, so lengths do not leak). */
function sameSecret(expected: string, given: string): boolean {
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(given).digest();
  return timingSafeEqual(a, b);
}
