/**
 * Registry authentication as the distribution spec describes it: a request answered 401 carries a
 * `WWW-Authenticate` challenge; `Basic` is answered with the given credentials, `Bearer` by
 * fetching a token from the challenge's realm (sending the credentials there, if any). The header
 * obtained is cached per registry, repository and user, so later requests skip the 401 round trip.
 */
import { PullErrorKind, RegistryError } from './pull-error.js';

/** Registry credentials (ECR: `AWS` and the authorization token's password). */
export interface Credentials {
  username: string;
  password: string;
}

/** One challenge of a `WWW-Authenticate` header. */
export interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

/**
 * Parses `WWW-Authenticate` (RFC 7235): `Bearer realm="…",service="…",scope="repository:a:pull,push"`.
 * Parameter names are lowercased; quoted values may hold commas and backslash escapes.
 */
export function parseChallenges(header: string): Challenge[] {
  const challenges: Challenge[] = [];
  const token = /\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+)/y;
  let at = 0;
  while (at < header.length) {
    token.lastIndex = at;
    const scheme = token.exec(header);
    if (!scheme) break;
    at = token.lastIndex;
    const challenge: Challenge = { scheme: scheme[1]!.toLowerCase(), params: {} };
    challenges.push(challenge);
    // auth-params: name = token | quoted-string, separated by commas, until the next scheme.
    for (;;) {
      const param = /\s*,?\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*=\s*/y;
      param.lastIndex = at;
      const name = param.exec(header);
      if (!name) break;
      at = param.lastIndex;
      let value = '';
      if (header[at] === '"') {
        at++;
        while (at < header.length && header[at] !== '"') {
          if (header[at] === '\\' && at + 1 < header.length) at++;
          value += header[at];
          at++;
        }
        at++;
      } else {
        const bare = /[^\s,]*/y;
        bare.lastIndex = at;
        value = bare.exec(header)![0];
        at = bare.lastIndex;
      }
      challenge.params[name[1]!.toLowerCase()] = value;
    }
    const comma = /\s*,\s*/y;
    comma.lastIndex = at;
    if (comma.exec(header)) at = comma.lastIndex;
    else if (at < header.length && !/\s/.test(header[at]!)) break;
  }
  return challenges;
}

/** The fetch function used for token requests (a parameter so tests can count requests). */
export type FetchLike = (input: string | URL, init?: RequestInit) => Promise<Response>;

interface CachedHeader {
  header: string;
  expiresAt: number;
}

/** Tokens live 60 s when the token server does not say (the distribution spec's default). */
const DEFAULT_TOKEN_LIFETIME_S = 60;
/** Renew this long before expiry, so a token never expires mid-request. */
const EXPIRY_MARGIN_MS = 10_000;

const basicHeader = (c: Credentials): string => `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`;

/** Obtains and caches the Authorization header for registry requests. */
export class RegistryAuth {
  private readonly cache = new Map<string, CachedHeader>();

  constructor(
    private readonly fetchImpl: FetchLike = fetch,
    private readonly now: () => number = Date.now,
  ) {}

  private key(registry: string, repository: string, credentials?: Credentials): string {
    return `${registry}\n${repository}\n${credentials?.username ?? ''}\n${credentials?.password ?? ''}`;
  }

  /** The header to send preemptively, if an earlier challenge was answered and is still valid. */
  cached(registry: string, repository: string, credentials?: Credentials): string | undefined {
    const key = this.key(registry, repository, credentials);
    const entry = this.cache.get(key);
    if (entry && entry.expiresAt > this.now()) return entry.header;
    this.cache.delete(key);
    return undefined;
  }

  /**
   * Answers a 401's challenge; returns the header to retry with, or undefined when the challenge
   * cannot be answered (Basic without credentials, unknown scheme).
   */
  async answer(
    registry: string,
    repository: string,
    wwwAuthenticate: string | null,
    credentials: Credentials | undefined,
    signal?: AbortSignal,
  ): Promise<string | undefined> {
    const challenges = parseChallenges(wwwAuthenticate ?? '');
    const bearer = challenges.find((c) => c.scheme === 'bearer' && c.params.realm);
    let header: string | undefined;
    let lifetimeS = Number.POSITIVE_INFINITY;
    if (bearer) {
      const token = await this.fetchToken(bearer.params, repository, credentials, signal);
      header = `Bearer ${token.token}`;
      lifetimeS = token.expiresIn;
    } else if (challenges.some((c) => c.scheme === 'basic') && credentials) {
      header = basicHeader(credentials);
    }
    if (header) {
      const expiresAt = this.now() + Math.max(0, lifetimeS * 1000 - EXPIRY_MARGIN_MS);
      this.cache.set(this.key(registry, repository, credentials), { header, expiresAt });
    }
    return header;
  }

  /** Forgets the header of a repository (after it was refused). */
  forget(registry: string, repository: string, credentials?: Credentials): void {
    this.cache.delete(this.key(registry, repository, credentials));
  }

  private async fetchToken(
    params: Record<string, string>,
    repository: string,
    credentials: Credentials | undefined,
    signal?: AbortSignal,
  ): Promise<{ token: string; expiresIn: number }> {
    let url: URL;
    try {
      url = new URL(params.realm!);
    } catch {
      throw new RegistryError(PullErrorKind.Unauthorized, `failed to authorize: invalid token realm ${JSON.stringify(params.realm)}`);
    }
    if (params.service) url.searchParams.set('service', params.service);
    url.searchParams.set('scope', params.scope ?? `repository:${repository}:pull`);
    const which = credentials ? 'token' : 'anonymous token';
    let res: Response;
    try {
      res = await this.fetchImpl(url, { headers: credentials ? { authorization: basicHeader(credentials) } : {}, signal });
    } catch (err) {
      if (signal?.aborted) throw err;
      throw new RegistryError(PullErrorKind.Network, `failed to authorize: failed to fetch ${which}: failed to do request: Get "${url.href}": ${causeText(err)}`, true, { cause: err });
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw new RegistryError(
        res.status === 401 || res.status === 403 ? PullErrorKind.Unauthorized : PullErrorKind.Network,
        `failed to authorize: failed to fetch ${which}: unexpected status from GET request to ${url.href}: ${res.status} ${res.statusText}`,
        res.status >= 500 || res.status === 429,
      );
    }
    const body = (await res.json().catch(() => ({}))) as { token?: unknown; access_token?: unknown; expires_in?: unknown };
    const token = typeof body.token === 'string' && body.token ? body.token : body.access_token;
    if (typeof token !== 'string' || !token) throw new RegistryError(PullErrorKind.Unauthorized, `failed to authorize: token response from ${url.origin} has no token`);
    const expiresIn = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : DEFAULT_TOKEN_LIFETIME_S;
    return { token, expiresIn };
  }
}

/** The text of a fetch failure's cause (`connect ECONNREFUSED 127.0.0.1:1`), as Go would print it. */
export function causeText(err: unknown): string {
  const cause = (err as { cause?: unknown }).cause;
  if (cause instanceof Error) return cause.message;
  return err instanceof Error ? err.message : String(err);
}
