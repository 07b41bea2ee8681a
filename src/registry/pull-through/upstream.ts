import { ErrorKind } from '../../lib/errors.js';
import { registryError } from '../errors.js';

/** Every manifest media type the registry stores, for the upstream's content negotiation. */
const MANIFEST_ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

/** How long one upstream request may take before it counts as failed. */
const UPSTREAM_TIMEOUT_MS = 30_000;

/**
 * A client of an upstream OCI distribution registry: anonymous access, following a Bearer
 * challenge with an anonymous token request (as public registries require), one token per scope.
 */
export class UpstreamClient {
  private readonly tokens = new Map<string, string>();

  constructor(readonly baseUrl: string) {}

  /** GET of a manifest; the response is the caller's to read. */
  manifest(repository: string, reference: string): Promise<Response> {
    return this.get(`/v2/${repository}/manifests/${reference}`, repository, { accept: MANIFEST_ACCEPT });
  }

  /** GET of a blob; the response body is a stream. */
  blob(repository: string, digest: string): Promise<Response> {
    // Blob downloads may run long: only connecting and the headers are bounded.
    return this.get(`/v2/${repository}/blobs/${digest}`, repository, {});
  }

  /** Whether the upstream answers as a distribution registry (`/v2/` with 200, or 401 with a challenge). */
  async ping(): Promise<{ ok: true } | { ok: false; reason: string }> {
    try {
      const res = await fetch(`${this.baseUrl}/v2/`, { signal: AbortSignal.timeout(UPSTREAM_TIMEOUT_MS) });
      await res.body?.cancel();
      if (res.status === 200 || (res.status === 401 && res.headers.has('www-authenticate'))) return { ok: true };
      return { ok: false, reason: `The upstream registry answered ${res.status} to /v2/.` };
    } catch (err) {
      return { ok: false, reason: `The upstream registry could not be reached: ${(err as Error).message}` };
    }
  }

  private async get(path: string, repository: string, headers: Record<string, string>): Promise<Response> {
    const send = (token?: string) =>
      fetch(`${this.baseUrl}${path}`, {
        headers: { ...headers, ...(token && { authorization: `Bearer ${token}` }) },
        signal: AbortSignal.timeout(UPSTREAM_TIMEOUT_MS),
        redirect: 'follow',
      }).catch((err: Error) => {
        throw registryError(ErrorKind.Unavailable, 'upstream', `The upstream registry ${this.baseUrl} could not be reached: ${err.message}`);
      });
    const scope = `repository:${repository}:pull`;
    let res = await send(this.tokens.get(scope));
    const challenge = res.headers.get('www-authenticate') ?? '';
    if (res.status === 401 && /^bearer\s/i.test(challenge)) {
      await res.body?.cancel();
      const token = await anonymousToken(challenge, scope);
      if (token) {
        this.tokens.set(scope, token);
        res = await send(token);
      }
    }
    return res;
  }
}

/** An anonymous token from the realm of a Bearer challenge, or undefined. */
async function anonymousToken(challenge: string, scope: string): Promise<string | undefined> {
  const params = Object.fromEntries([...challenge.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]!.toLowerCase(), m[2]!]));
  if (!params.realm) return undefined;
  const url = new URL(params.realm);
  if (params.service) url.searchParams.set('service', params.service);
  url.searchParams.set('scope', params.scope ?? scope);
  const res = await fetch(url, { signal: AbortSignal.timeout(UPSTREAM_TIMEOUT_MS) });
  if (!res.ok) return undefined;
  const body = (await res.json()) as { token?: string; access_token?: string };
  return body.token ?? body.access_token;
}
