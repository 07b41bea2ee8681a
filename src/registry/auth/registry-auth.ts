import { createHash, timingSafeEqual } from 'node:crypto';
import type { TokenSigner } from './tokens.js';

/** Who a `/v2/` request acts as: the account and the region whose repositories it sees. */
export interface RegistryCaller {
  accountId: string;
  region: string;
  /** When the credential the caller presented expires (epoch ms); none for access keys. */
  expiresAt?: number;
}

/** A Bearer token for the token endpoint's answer. */
export interface IssuedToken {
  token: string;
  /** Epoch ms. */
  expiresAt: number;
}

/** How long a Bearer token from the token endpoint lives at most: 12 hours, as ECR's login tokens. */
export const BEARER_TOKEN_TTL_MS = 12 * 60 * 60 * 1000;

/** Authentication of `/v2/` requests. */
export interface RegistryAuth {
  /**
   * The caller an `Authorization` header identifies (Basic credentials, or a Bearer token from the
   * token endpoint), or undefined (answer 401 with a challenge).
   */
  authenticate(authorization: string | undefined, nowMs: number): RegistryCaller | undefined;
  /** The caller of user and password credentials (Basic, or the token endpoint's OAuth form), or undefined. */
  authenticateCredentials(user: string, password: string, nowMs: number): RegistryCaller | undefined;
  /** A Bearer token for a caller, living no longer than the credential it was given for. */
  issueBearer(caller: RegistryCaller, nowMs: number): IssuedToken;
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
 * its secret also work as user and password; such callers act in `defaultRegion`. The same
 * credentials buy a Bearer token at the token endpoint (Docker's token flow, which registries
 * acting as clients need), and such tokens are accepted too. No anonymous access.
 */
export function basicAuth(options: BasicAuthOptions): RegistryAuth {
  const defaultRegion = options.defaultRegion ?? 'us-east-1';
  const credentialsCaller = (user: string, password: string, nowMs: number): RegistryCaller | undefined => {
    if (user === 'AWS') return loginCaller(password, nowMs);
    const secret = options.credentials?.get(user);
    if (secret === undefined || !sameSecret(secret, password)) return undefined;
    return { accountId: options.accountId, region: defaultRegion };
  };
  const loginCaller = (token: string, nowMs: number): RegistryCaller | undefined => {
    const claims = options.tokens.verify(token, nowMs);
    if (!claims || claims.purpose !== 'login' || claims.accountId !== options.accountId) return undefined;
    return { accountId: claims.accountId, region: claims.region, expiresAt: claims.expiresAt };
  };
  return {
    authenticate(authorization, nowMs) {
      const bearer = /^bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
      if (bearer) return loginCaller(bearer[1]!, nowMs);
      const credentials = parseBasic(authorization);
      return credentials && credentialsCaller(credentials.user, credentials.password, nowMs);
    },
    authenticateCredentials: credentialsCaller,
    issueBearer(caller, nowMs) {
      const expiresAt = Math.min(caller.expiresAt ?? Infinity, nowMs + BEARER_TOKEN_TTL_MS);
      // A login token: Bearer tokens and ECR passwords grant the same (the account, in one region).
      const token = options.tokens.issue({ purpose: 'login', accountId: caller.accountId, region: caller.region, expiresAt });
      return { token, expiresAt };
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
