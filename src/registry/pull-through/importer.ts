import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { Scope } from '../../lib/scope.js';
import { looksLikeDigest, requireDigest } from '../digest.js';
import { manifestUnknown } from '../errors.js';
import { parseManifest, referencedBlobs, type Descriptor } from '../manifest.js';
import type { BlobIndex } from '../metadata/blobs.js';
import type { Images } from '../metadata/images.js';
import type { RepositoryRecord } from '../metadata/records.js';
import type { Uploads } from '../storage/uploads.js';
import type { UpstreamClient, UpstreamRequestOptions } from './upstream.js';
import { upstreamFailure, upstreamStatusError } from './upstream-errors.js';

/** The largest manifest fetched from an upstream. */
const MAX_UPSTREAM_MANIFEST = 4 * 1024 * 1024;

/** A manifest as fetched: its exact bytes and Content-Type. */
export interface FetchedManifest {
  bytes: Buffer;
  contentType?: string;
}

/** One upstream repository a pull through cache repository mirrors. */
export interface UpstreamSource {
  client: UpstreamClient;
  repository: string;
}

/**
 * Copies images from an upstream into a repository: a manifest, every manifest an index lists,
 * and every blob, each blob verified against its digest like any upload; the manifest is pushed
 * last, so that the tag only ever points at a complete image.
 */
export class UpstreamImporter {
  constructor(
    private readonly images: Images,
    private readonly uploads: Uploads,
    private readonly blobs: BlobIndex,
  ) {}

  /** The manifest's bytes and Content-Type from upstream; MANIFEST_UNKNOWN when it has none. */
  async fetchManifest(source: UpstreamSource, reference: string, options: UpstreamRequestOptions = {}): Promise<FetchedManifest> {
    const what = `${source.repository}:${reference}`;
    const res = await source.client.manifest(source.repository, reference, options);
    if (res.status === 404) {
      await res.body?.cancel();
      throw manifestUnknown(reference, `Requested image not found: the upstream registry has no ${what}`);
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw upstreamStatusError(res.status, what, source.client.baseUrl);
    }
    const bytes = Buffer.from(await res.arrayBuffer());
    if (bytes.length > MAX_UPSTREAM_MANIFEST) throw upstreamFailure(`The upstream manifest of ${what} is too large.`);
    const contentType = res.headers.get('content-type') ?? undefined;
    return { bytes, ...(contentType !== undefined && { contentType }) };
  }

  /** Stores a fetched manifest under `reference` (a tag or its digest), after what it references. */
  async store(scope: Scope, source: UpstreamSource, repository: RepositoryRecord, reference: string, { bytes, contentType }: FetchedManifest): Promise<void> {
    const manifest = parseManifest(bytes, contentType);
    for (const child of manifest.manifests) {
      if (!(await this.images.find(repository, child.digest))) await this.store(scope, source, repository, child.digest, await this.fetchManifest(source, child.digest));
    }
    for (const blob of referencedBlobs(manifest)) await this.pullBlob(source, repository, blob);
    await this.images.push(scope, repository.name, {
      bytes,
      ...(contentType !== undefined && { contentType }),
      ...(looksLikeDigest(reference) ? { digest: reference } : { tag: reference }),
    });
  }

  private async pullBlob(source: UpstreamSource, repository: RepositoryRecord, blob: Descriptor): Promise<void> {
    if ((await this.blobs.linkedSize(blob.digest, repository.uid)) !== undefined) return;
    const digest = requireDigest(blob.digest);
    const res = await source.client.blob(source.repository, blob.digest);
    if (!res.ok || !res.body) {
      await res.body?.cancel();
      throw upstreamStatusError(res.status, `blob ${blob.digest} of ${source.repository}`, source.client.baseUrl);
    }
    const owner = { uid: repository.uid, name: repository.name, region: repository.region };
    const session = await this.uploads.start(owner);
    try {
      await this.uploads.finish(session.id, owner, digest, { body: Readable.fromWeb(res.body as WebReadableStream<Uint8Array>), framing: { length: blob.size } });
    } catch (err) {
      await this.uploads.cancel(session.id, owner).catch(() => undefined);
      throw err;
    }
  }
}
