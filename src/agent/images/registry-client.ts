/**
 * A client of the distribution API (OCI distribution spec / Docker registry v2) for pulling:
 * manifests by tag or digest, blobs as verified streams. It authenticates on demand (see
 * registry-auth.ts), follows redirects (blobs are often served from object storage, without the
 * registry's Authorization), and names failures as containerd does.
 */
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { DigestVerifier, digestMismatch, digestOf, verifyBytes } from './digest.js';
import { MANIFEST_ACCEPT, type Descriptor } from './manifest.js';
import { PullErrorKind, RegistryError } from './pull-error.js';
import { RegistryAuth, causeText, type Credentials, type FetchLike } from './registry-auth.js';

/** Per-call options of a pull. */
export interface RegistryRequestOptions {
  /** Credentials for Basic auth, or for the token realm of a Bearer challenge. */
  auth?: Credentials;
  /** Use plain http. Default: http for localhost, 127.0.0.0/8 and ::1, https for anything else. */
  insecure?: boolean;
  signal?: AbortSignal;
}

/** A repository of a registry. */
export interface RepositoryTarget {
  registry: string;
  repository: string;
}

/** A manifest as fetched: its exact bytes, their digest and the Content-Type. */
export interface FetchedManifest {
  bytes: Buffer;
  digest: string;
  mediaType?: string;
}

/** containerd's limit on manifest size; larger responses are refused. */
export const MAX_MANIFEST_BYTES = 4 << 20;
const MAX_REDIRECTS = 5;

/** True for registries on this host: localhost, 127.0.0.0/8, ::1. */
export function isLoopbackRegistry(registry: string): boolean {
  const host = registry.startsWith('[') ? registry.slice(1, registry.indexOf(']')) : registry.split(':')[0]!;
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** The base URL of a registry's API, choosing the scheme as documented on {@link RegistryRequestOptions}. */
export function registryBaseUrl(registry: string, insecure?: boolean): string {
  return `${(insecure ?? isLoopbackRegistry(registry)) ? 'http' : 'https'}://${registry}`;
}

/** Maps an HTTP failure to a registry error; 404 is `not found`, 429 and 5xx are worth a retry. */
function statusError(method: string, url: string, res: Response, blob: boolean): RegistryError {
  const status = `${res.status} ${res.statusText}`.trim();
  const transient = res.status === 429 || res.status >= 500;
  if (blob) {
    if (res.status === 404) return new RegistryError(PullErrorKind.NotFound, `failed to copy: httpReadSeeker: failed open: content at ${url} not found: not found`);
    const kind = res.status === 401 || res.status === 403 ? PullErrorKind.Unauthorized : PullErrorKind.Network;
    return new RegistryError(kind, `failed to copy: httpReadSeeker: failed open: unexpected status code ${url}: ${status}`, transient);
  }
  if (res.status === 404) return new RegistryError(PullErrorKind.NotFound, 'not found');
  const kind = res.status === 401 || res.status === 403 ? PullErrorKind.Unauthorized : PullErrorKind.Network;
  return new RegistryError(kind, `unexpected status from ${method} request to ${url}: ${status}`, transient);
}

/** Reads a response body up to `limit` bytes. */
async function readLimited(res: Response, limit: number, url: string): Promise<Buffer> {
  const length = Number(res.headers.get('content-length') ?? NaN);
  if (length > limit) {
    await res.body?.cancel();
    throw new RegistryError(PullErrorKind.InvalidContent, `content at ${url} is larger than ${limit} bytes`);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of res.body ?? []) {
    total += (chunk as Uint8Array).byteLength;
    if (total > limit) throw new RegistryError(PullErrorKind.InvalidContent, `content at ${url} is larger than ${limit} bytes`);
    chunks.push(Buffer.from(chunk as Uint8Array));
  }
  return Buffer.concat(chunks);
}

/** Pulls manifests and blobs from distribution registries. */
export class RegistryClient {
  private readonly fetchImpl: FetchLike;
  private readonly auth: RegistryAuth;

  constructor(options: { fetch?: FetchLike; auth?: RegistryAuth } = {}) {
    this.fetchImpl = options.fetch ?? fetch;
    this.auth = options.auth ?? new RegistryAuth(this.fetchImpl);
  }

  /** Resolves a tag (or digest) to the digest the registry reports, without the body; undefined if it reports none. */
  async headManifest(target: RepositoryTarget, reference: string, options: RegistryRequestOptions = {}): Promise<string | undefined> {
    const { res, url } = await this.request(target, 'HEAD', `manifests/${reference}`, options, { accept: MANIFEST_ACCEPT });
    await res.body?.cancel();
    if (!res.ok) throw statusError('HEAD', url, res, false);
    const digest = res.headers.get('docker-content-digest') ?? undefined;
    return digest && /^sha(256|512):[a-f0-9]+$/.test(digest) ? digest : undefined;
  }

  /** Fetches a manifest by tag or digest; by digest the bytes are verified against it. */
  async getManifest(target: RepositoryTarget, reference: string, options: RegistryRequestOptions = {}): Promise<FetchedManifest> {
    const { res, url } = await this.request(target, 'GET', `manifests/${reference}`, options, { accept: MANIFEST_ACCEPT });
    if (!res.ok) {
      await res.body?.cancel();
      throw statusError('GET', url, res, false);
    }
    const bytes = await this.readBody(res, MAX_MANIFEST_BYTES, url, options.signal);
    const mediaType = res.headers.get('content-type') ?? undefined;
    const ref = `manifest-${reference}`;
    if (reference.includes(':')) {
      verifyBytes(bytes, reference, ref);
      return { bytes, digest: reference, mediaType };
    }
    // By tag: the registry's digest header, when present, must describe these very bytes.
    const announced = res.headers.get('docker-content-digest');
    const algorithm = announced?.startsWith('sha512:') ? 'sha512' : 'sha256';
    const digest = digestOf(bytes, algorithm);
    if (announced && announced !== digest) throw digestMismatch(ref, digest, announced);
    return { bytes, digest, mediaType };
  }

  /**
   * Opens a blob as a stream that fails (at the latest at its end) unless the bytes match the
   * descriptor's digest and size; network failures mid-stream surface as transient errors.
   */
  async openBlob(target: RepositoryTarget, descriptor: Descriptor, options: RegistryRequestOptions = {}, refPrefix = 'layer'): Promise<Readable> {
    const { res, url } = await this.request(target, 'GET', `blobs/${descriptor.digest}`, options, {});
    if (!res.ok || !res.body) {
      await res.body?.cancel();
      throw statusError('GET', url, res, true);
    }
    const ref = `${refPrefix}-${descriptor.digest}`;
    const length = res.headers.get('content-length');
    if (length !== null && Number(length) !== descriptor.size) {
      await res.body.cancel();
      throw new RegistryError(PullErrorKind.Integrity, `failed commit on ref "${ref}": commit failed: unexpected commit size ${length}, expected ${descriptor.size}: failed precondition`);
    }
    const source = Readable.fromWeb(res.body as WebReadableStream<Uint8Array>);
    const verifier = new DigestVerifier(descriptor.digest, ref, descriptor.size);
    source.on('error', (err) => {
      verifier.destroy(options.signal?.aborted ? err : new RegistryError(PullErrorKind.Network, `failed to copy: read ${url}: ${causeText(err)}`, true, { cause: err }));
    });
    verifier.on('close', () => source.destroy());
    source.pipe(verifier);
    return verifier;
  }

  /** Fetches a small blob (an image config) into memory, verified. */
  async getBlob(target: RepositoryTarget, descriptor: Descriptor, options: RegistryRequestOptions, limit: number, refPrefix = 'config'): Promise<Buffer> {
    if (descriptor.size > limit) throw new RegistryError(PullErrorKind.InvalidContent, `${refPrefix} ${descriptor.digest} is larger than ${limit} bytes`);
    const chunks: Buffer[] = [];
    for await (const chunk of await this.openBlob(target, descriptor, options, refPrefix)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  private async readBody(res: Response, limit: number, url: string, signal?: AbortSignal): Promise<Buffer> {
    try {
      return await readLimited(res, limit, url);
    } catch (err) {
      if (err instanceof RegistryError || signal?.aborted) throw err;
      throw new RegistryError(PullErrorKind.Network, `failed to read ${url}: ${causeText(err)}`, true, { cause: err });
    }
  }

  /** One API request: cached auth, one answered challenge, then redirects (auth kept on the same origin only). */
  private async request(
    target: RepositoryTarget,
    method: 'GET' | 'HEAD',
    path: string,
    options: RegistryRequestOptions,
    headers: Record<string, string>,
  ): Promise<{ res: Response; url: string }> {
    let url = `${registryBaseUrl(target.registry, options.insecure)}/v2/${target.repository}/${path}`;
    let authorization = this.auth.cached(target.registry, target.repository, options.auth);
    let res = await this.send(method, url, headers, authorization, options.signal);
    if (res.status === 401) {
      await res.body?.cancel();
      const answer = await this.auth.answer(target.registry, target.repository, res.headers.get('www-authenticate'), options.auth, options.signal);
      if (answer !== undefined && answer !== authorization) {
        authorization = answer;
        res = await this.send(method, url, headers, authorization, options.signal);
      }
      if (res.status === 401) this.auth.forget(target.registry, target.repository, options.auth);
    }
    const origin = new URL(url).origin;
    for (let hop = 0; hop < MAX_REDIRECTS && [301, 302, 303, 307, 308].includes(res.status); hop++) {
      const location = res.headers.get('location');
      if (!location) break;
      await res.body?.cancel();
      url = new URL(location, url).href;
      // Presigned object-store URLs refuse (and must never see) the registry's credentials.
      res = await this.send(method, url, headers, new URL(url).origin === origin ? authorization : undefined, options.signal);
    }
    return { res, url };
  }

  private async send(method: string, url: string, headers: Record<string, string>, authorization: string | undefined, signal?: AbortSignal): Promise<Response> {
    try {
      return await this.fetchImpl(url, {
        method,
        headers: { 'user-agent': 'minato', ...headers, ...(authorization ? { authorization } : {}) },
        redirect: 'manual',
        signal,
      });
    } catch (err) {
      if (signal?.aborted) throw err;
      const verb = method === 'HEAD' ? 'Head' : 'Get';
      throw new RegistryError(PullErrorKind.Network, `failed to do request: ${verb} "${url}": ${causeText(err)}`, true, { cause: err });
    }
  }
}
