import { parseChallenges } from './challenges.js';
import { upstreamFailure, upstreamStatusError } from './upstream-errors.js';

/** Every manifest media type the registry stores, for the upstream's content negotiation. */
const MANIFEST_ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

/** How long an upstream may take to answer with headers (bodies, such as large layers, are not bounded). */
export const UPSTREAM_TIMEOUT_MS = 30_000;

/** A user name and password (or access token) for an upstream registry. */
export interface UpstreamCredentials {
  username: string;
  password: string;
}

/** Where a client gets its credentials when an upstream asks (undefined: stay anonymous). */
export type CredentialSource = () => Promise<UpstreamCredentials | undefined>;

/** Options of one upstream request. */
export interface UpstreamRequestOptions {
  method?: 'GET' | 'HEAD';
  /** Bound on the time to the response headers (default {@link UPSTREAM_TIMEOUT_MS}). */
  timeoutMs?: number;
}

/**
 * A client of an upstream OCI distribution registry. Requests go out anonymously until the
 * upstream challenges: a Bearer challenge is answered with a token from its realm (asked with the
 * credentials, when there are any, as Docker does), a Basic challenge with the credentials, which
 * are then sent up front. Tokens are kept per repository scope and renewed when refused.
 */
export class UpstreamClient {
  private readonly tokens = new Map<string, string>();
  /** A Basic header the upstream asked for, sent up front from then on. */
  private basic: string | undefined;

  constructor(
    readonly baseUrl: string,
    private readonly credentials: CredentialSource = async () => undefined,
  ) {}

  /** GET (or HEAD) of a manifest; the response is the caller's to read. */
  manifest(repository: string, reference: string, options: UpstreamRequestOptions = {}): Promise<Response> {
    return this.request(`/v2/${repository}/manifests/${reference}`, `repository:${repository}:pull`, { accept: MANIFEST_ACCEPT }, options);
  }

  /** GET of a blob; the response body is a stream. */
  blob(repository: string, digest: string): Promise<Response> {
    return this.request(`/v2/${repository}/blobs/${digest}`, `repository:${repository}:pull`, {}, {});
  }

  /**
   * Whether the upstream answers as a distribution registry, and accepts the credentials when
   * there are any (without credentials, a 401 with a challenge is fine: public registries do that).
   */
  async ping(): Promise<{ ok: true } | { ok: false; reason: string }> {
    try {
      const credentials = await this.credentials();
      const res = credentials ? await this.request('/v2/', '', {}, {}) : await this.send('/v2/', {}, {}, undefined);
      await res.body?.cancel();
      if (res.status === 200 || (!credentials && res.status === 401 && res.headers.has('www-authenticate'))) return { ok: true };
      return { ok: false, reason: `The upstream registry answered ${res.status} to /v2/.` };
    } catch (err) {
      return { ok: false, reason: (err as Error).message };
    }
  }

  private async request(path: string, scope: string, headers: Record<string, string>, options: UpstreamRequestOptions): Promise<Response> {
    const cached = this.tokens.get(scope);
    const res = await this.send(path, headers, options, cached === undefined ? this.basic : `Bearer ${cached}`);
    if (res.status !== 401) return res;
    const challenges = parseChallenges(res.headers.get('www-authenticate') ?? '');
    const bearer = challenges.find((c) => c.scheme === 'bearer');
    const basic = challenges.find((c) => c.scheme === 'basic');
    if (!bearer && !basic) return res;
    const credentials = await this.credentials();
    if (bearer) {
      await res.body?.cancel();
      const token = await this.token(bearer.params, scope, credentials);
      this.tokens.set(scope, token);
      return this.send(path, headers, options, `Bearer ${token}`);
    }
    // Basic without credentials, or with the ones just refused: the 401 is the answer.
    const header = credentials && basicHeader(credentials);
    if (header === undefined || header === this.basic) return res;
    await res.body?.cancel();
    this.basic = header;
    return this.send(path, headers, options, header);
  }

  /** One request; the timeout covers the time to the headers only. */
  private async send(path: string, headers: Record<string, string>, options: UpstreamRequestOptions, authorization: string | undefined): Promise<Response> {
    const timeoutMs = options.timeoutMs ?? UPSTREAM_TIMEOUT_MS;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    try {
      return await fetch(`${this.baseUrl}${path}`, {
        method: options.method ?? 'GET',
        headers: { ...headers, ...(authorization !== undefined && { authorization }) },
        signal: controller.signal,
        redirect: 'follow',
      });
    } catch (err) {
      const cause = (err as Error & { cause?: Error }).cause?.message ?? (err as Error).message;
      throw upstreamFailure(`The upstream registry ${this.baseUrl} could not be reached: ${cause}`);
    } finally {
      clearTimeout(timer);
    }
  }

  /** A token from the realm of a Bearer challenge, asked with the credentials when there are any. */
  private async token(params: Record<string, string>, scope: string, credentials: UpstreamCredentials | undefined): Promise<string> {
    if (!params.realm) throw upstreamFailure(`The upstream registry ${this.baseUrl} sent a Bearer challenge without a realm.`);
    let url: URL;
    try {
      url = new URL(params.realm);
    } catch {
      throw upstreamFailure(`The upstream registry ${this.baseUrl} named an invalid token realm: ${params.realm}`);
    }
    if (params.service) url.searchParams.set('service', params.service);
    const wanted = params.scope ?? scope;
    if (wanted) url.searchParams.set('scope', wanted);
    if (credentials) url.searchParams.set('account', credentials.username);
    let res: Response;
    try {
      res = await fetch(url, {
        headers: credentials ? { authorization: basicHeader(credentials) } : {},
        signal: AbortSignal.timeout(UPSTREAM_TIMEOUT_MS),
      });
    } catch (err) {
      throw upstreamFailure(`The token service of the upstream registry ${this.baseUrl} could not be reached: ${(err as Error).message}`);
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw upstreamStatusError(res.status, `a token for ${wanted || 'the registry'}`, this.baseUrl);
    }
    const body = (await res.json().catch(() => ({}))) as { token?: unknown; access_token?: unknown };
    const token = body.token ?? body.access_token;
    if (typeof token !== 'string' || token === '') throw upstreamFailure(`The token service of the upstream registry ${this.baseUrl} answered without a token.`);
    return token;
  }
}

const basicHeader = (c: UpstreamCredentials): string => `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`;
