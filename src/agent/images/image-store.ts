/**
 * Pulls images from distribution registries into a local store, ready for overlayfs: the image's
 * layers unpacked once each (layer-store.ts), manifests and configs cached by digest.
 *
 * A pull resolves the reference to a manifest (a tag costs one HEAD request when the manifest is
 * cached; an index is narrowed to the host's platform), then fetches the config and the layers
 * missing locally, three at a time. Transient failures (network, 429, 5xx) are retried with
 * backoff; the error finally thrown is an {@link ImagePullError} worded like ECS's stopped reasons.
 *
 * On disk, under the root: `layers/<alg>/<hex>/` (by diffID), `manifests/<alg>/<hex>`,
 * `configs/<alg>/<hex>`, and `tmp/` for work in progress.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { verifyBytes } from './digest.js';
import { parseDigest, parseImageRef, type ImageRef } from './image-ref.js';
import { LayerStore } from './layer-store.js';
import { LAYER_COMPRESSION, parseImageConfig, parseManifest, type Descriptor, type ImageConfig, type ImageManifest, type Platform } from './manifest.js';
import { formatPlatform, hostPlatform, selectManifest } from './platform.js';
import { ImagePullError, PullErrorKind, PullPhase, RegistryError, pullError } from './pull-error.js';
import type { Credentials, FetchLike } from './registry-auth.js';
import { RegistryClient, type RegistryRequestOptions, type RepositoryTarget } from './registry-client.js';

export type { ImageConfig, Platform } from './manifest.js';

/** An image ready to run: its config and its unpacked layers. */
export interface PulledImage {
  /** The digest the reference resolved to (an index's, for multi-platform images): `repo@digest` pulls the same. */
  manifestDigest: string;
  /** The digest of the platform's image manifest (equal to `manifestDigest` unless it is an index). */
  platformManifestDigest: string;
  configDigest: string;
  config: ImageConfig;
  /** Absolute paths of the unpacked layers, bottom to top (overlayfs lists lowerdirs top first). */
  layerDirs: string[];
  platform: Platform;
  pullStartedAt: Date;
  pullStoppedAt: Date;
}

/** Per-pull options. */
export interface PullOptions {
  auth?: Credentials;
  /** Use plain http (default: only for localhost, 127.0.0.0/8 and ::1). */
  insecure?: boolean;
  signal?: AbortSignal;
}

/** Construction options, mostly for tests. */
export interface ImageStoreOptions {
  /** The fetch used for every request (default: global fetch). */
  fetch?: FetchLike;
  /** The platform to pick from indexes (default: the host's). */
  platform?: Platform;
  /** Tries per phase step for transient failures (default 3). */
  maxAttempts?: number;
  /** First retry delay, doubled each time (default 250 ms). */
  retryDelayMs?: number;
  /** Layers downloaded at once (default 3, Docker's default). */
  concurrency?: number;
}

const MAX_CONFIG_BYTES = 8 << 20;

/** Pulls images into a local store under `rootDir`. */
export class ImageStore {
  readonly rootDir: string;
  readonly layers: LayerStore;
  private readonly client: RegistryClient;
  private readonly platform: Platform;
  private readonly maxAttempts: number;
  private readonly retryDelayMs: number;
  private readonly concurrency: number;

  constructor(rootDir: string, options: ImageStoreOptions = {}) {
    this.rootDir = resolve(rootDir);
    this.layers = new LayerStore(this.rootDir);
    this.client = new RegistryClient({ fetch: options.fetch });
    this.platform = options.platform ?? hostPlatform();
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 3);
    this.retryDelayMs = options.retryDelayMs ?? 250;
    this.concurrency = Math.max(1, options.concurrency ?? 3);
  }

  /** Pulls `image` (a Docker-style reference); resolves once every layer is unpacked. */
  async pull(image: string, options: PullOptions = {}): Promise<PulledImage> {
    const pullStartedAt = new Date();
    let ref: ImageRef;
    try {
      ref = parseImageRef(image);
    } catch (err) {
      throw new ImagePullError(PullErrorKind.InvalidReference, (err as Error).message, { cause: err });
    }
    const target: RepositoryTarget = { registry: ref.registry, repository: ref.repository };
    const request: RegistryRequestOptions = { auth: options.auth, insecure: options.insecure, signal: options.signal };

    const resolved = await this.retrying(PullPhase.Manifest, ref.canonical, options.signal, () => this.resolve(target, ref, request));
    const { manifest } = resolved;
    const configBytes = await this.retrying(PullPhase.Content, undefined, options.signal, () => this.configBlob(target, manifest.config, request));
    let parsed: ReturnType<typeof parseImageConfig>;
    try {
      parsed = parseImageConfig(configBytes);
    } catch (err) {
      throw pullError(PullPhase.Content, 1, err);
    }
    const { diffIds } = parsed;
    if (diffIds.length !== manifest.layers.length) {
      throw pullError(PullPhase.Content, 1, new RegistryError(PullErrorKind.InvalidContent, `number of layers and diffIDs don't match: ${manifest.layers.length} != ${diffIds.length}`));
    }
    for (const layer of manifest.layers) {
      const compression = LAYER_COMPRESSION[layer.mediaType];
      if (compression === undefined || compression === 'zstd') {
        throw pullError(PullPhase.Content, 1, new RegistryError(PullErrorKind.Unsupported, `failed to extract layer ${layer.digest}: unsupported media type ${layer.mediaType}`));
      }
    }
    const layerDirs = await mapLimit(manifest.layers, this.concurrency, (layer, i) => this.layer(target, layer, diffIds[i]!, request));
    return {
      manifestDigest: resolved.digest,
      platformManifestDigest: resolved.platformDigest,
      configDigest: manifest.config.digest,
      config: parsed.config,
      layerDirs,
      platform: parsed.platform,
      pullStartedAt,
      pullStoppedAt: new Date(),
    };
  }

  /** Reference → top digest → (index → platform manifest) → image manifest. */
  private async resolve(target: RepositoryTarget, ref: ImageRef, request: RegistryRequestOptions): Promise<{ digest: string; platformDigest: string; manifest: ImageManifest }> {
    let digest = ref.digest ?? (await this.headDigest(target, ref.reference, request));
    let top: { bytes: Buffer; mediaType?: string };
    if (digest) {
      top = await this.manifestBytes(target, digest, undefined, request);
    } else {
      // The registry announced no digest: fetch by tag, then cache under the computed one.
      const fetched = await this.client.getManifest(target, ref.reference, request);
      digest = fetched.digest;
      await this.cacheWrite('manifests', digest, fetched.bytes);
      top = fetched;
    }
    const doc = parseManifest(top.bytes, top.mediaType);
    if (doc.kind === 'manifest') return { digest, platformDigest: digest, manifest: doc };
    const chosen = selectManifest(doc.manifests, this.platform);
    if (!chosen) throw new RegistryError(PullErrorKind.Platform, `image Manifest does not contain descriptor matching platform '${formatPlatform(this.platform)}'`);
    const child = await this.manifestBytes(target, chosen.digest, chosen.mediaType, request);
    const manifest = parseManifest(child.bytes, child.mediaType);
    if (manifest.kind !== 'manifest') throw new RegistryError(PullErrorKind.Unsupported, `nested image index ${chosen.digest} is not supported`);
    return { digest, platformDigest: chosen.digest, manifest };
  }

  /**
   * The digest a tag points at, by HEAD (which Docker Hub does not count against pull limits).
   * Undefined when the registry does not say, or does not support HEAD: the caller then GETs.
   */
  private async headDigest(target: RepositoryTarget, tag: string, request: RegistryRequestOptions): Promise<string | undefined> {
    try {
      return await this.client.headManifest(target, tag, request);
    } catch (err) {
      const final = err instanceof RegistryError && (err.transient || err.kind === PullErrorKind.NotFound || err.kind === PullErrorKind.Unauthorized);
      if (final || !(err instanceof RegistryError)) throw err;
      return undefined;
    }
  }

  /** A manifest by digest, from the cache or the registry (then cached). */
  private async manifestBytes(target: RepositoryTarget, digest: string, mediaType: string | undefined, request: RegistryRequestOptions): Promise<{ bytes: Buffer; mediaType?: string }> {
    const cached = await this.cacheRead('manifests', digest);
    if (cached) return { bytes: cached, mediaType };
    const fetched = await this.client.getManifest(target, digest, request);
    await this.cacheWrite('manifests', digest, fetched.bytes);
    return { bytes: fetched.bytes, mediaType: fetched.mediaType ?? mediaType };
  }

  private async configBlob(target: RepositoryTarget, descriptor: Descriptor, request: RegistryRequestOptions): Promise<Buffer> {
    const cached = await this.cacheRead('configs', descriptor.digest);
    if (cached) return cached;
    const bytes = await this.client.getBlob(target, descriptor, request, MAX_CONFIG_BYTES);
    await this.cacheWrite('configs', descriptor.digest, bytes);
    return bytes;
  }

  private async layer(target: RepositoryTarget, descriptor: Descriptor, diffId: string, request: RegistryRequestOptions): Promise<string> {
    const compression = LAYER_COMPRESSION[descriptor.mediaType] === 'gzip' ? 'gzip' : 'none';
    // The download runs in the shared unpack, under its signal (aborted only when every waiter left).
    const download = (path: string, signal: AbortSignal) =>
      this.retrying(PullPhase.Content, undefined, signal, async () => {
        const blob = await this.client.openBlob(target, descriptor, { ...request, signal });
        await pipeline(blob, createWriteStream(path));
      });
    try {
      return (await this.layers.ensure(diffId, compression, download, request.signal)).dir;
    } catch (err) {
      if (err instanceof ImagePullError && !request.signal?.aborted) throw err;
      throw pullError(PullPhase.Content, 1, err, undefined, request.signal?.aborted);
    }
  }

  /** Runs one step, retrying transient registry errors; failures become ImagePullErrors. */
  private async retrying<T>(phase: PullPhase, canonicalRef: string | undefined, signal: AbortSignal | undefined, step: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        signal?.throwIfAborted();
        return await step();
      } catch (err) {
        if (err instanceof ImagePullError) throw err;
        const aborted = signal?.aborted === true;
        const retry = err instanceof RegistryError && err.transient && attempt < this.maxAttempts && !aborted;
        if (!retry) throw pullError(phase, attempt, err, canonicalRef, aborted);
        try {
          await sleep(this.retryDelayMs * 2 ** (attempt - 1), undefined, { signal });
        } catch (abort) {
          throw pullError(phase, attempt, abort, canonicalRef, true);
        }
      }
    }
  }

  private cachePath(kind: 'manifests' | 'configs', digest: string): string {
    const { algorithm, hex } = parseDigest(digest);
    return join(this.rootDir, kind, algorithm, hex);
  }

  /** Cached bytes, re-verified (a damaged cache entry is dropped and fetched again). */
  private async cacheRead(kind: 'manifests' | 'configs', digest: string): Promise<Buffer | undefined> {
    const path = this.cachePath(kind, digest);
    const bytes = await readFile(path).catch(() => undefined);
    if (!bytes) return undefined;
    try {
      verifyBytes(bytes, digest, kind);
      return bytes;
    } catch {
      await rm(path, { force: true });
      return undefined;
    }
  }

  /** Writes verified bytes under their digest, atomically (temp file, then rename). */
  private async cacheWrite(kind: 'manifests' | 'configs', digest: string, bytes: Buffer): Promise<void> {
    const path = this.cachePath(kind, digest);
    await mkdir(join(path, '..'), { recursive: true });
    const temp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    await writeFile(temp, bytes);
    await rename(temp, path);
  }
}

/**
 * Maps with at most `limit` calls in flight; results keep the input order. After a failure no new
 * call starts, and the first error is thrown once the calls under way have settled (so that no
 * work continues in the store after the pull has answered).
 */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  const failures: unknown[] = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length && failures.length === 0) {
      const index = next++;
      try {
        results[index] = await fn(items[index]!, index);
      } catch (err) {
        failures.push(err);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failures.length > 0) throw failures[0];
  return results;
}
