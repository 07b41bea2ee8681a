import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { ErrorKind, isDomainError } from '../../lib/errors.js';
import type { Scope } from '../../lib/scope.js';
import { looksLikeDigest, requireDigest } from '../digest.js';
import { manifestUnknown, registryError } from '../errors.js';
import { parseManifest, referencedBlobs, type Descriptor } from '../manifest.js';
import type { BlobIndex } from '../metadata/blobs.js';
import type { Images } from '../metadata/images.js';
import type { RepositoryRecord } from '../metadata/records.js';
import type { Repositories } from '../metadata/repositories.js';
import type { Uploads } from '../storage/uploads.js';
import type { PullThroughRules } from './rules.js';
import { UpstreamClient } from './upstream.js';

/** The largest manifest fetched from an upstream. */
const MAX_UPSTREAM_MANIFEST = 4 * 1024 * 1024;

/**
 * Pull through cache: a pull of `<prefix>/<repo>` that the registry cannot answer, where a rule
 * covers `<prefix>`, fetches the image from the rule's upstream registry — the manifest, every
 * manifest an index lists, and every blob — into a repository of that name (created on first use,
 * as ECR does), then serves it from there. Blobs are verified against their digests like any upload.
 */
export class PullThroughCache {
  private readonly clients = new Map<string, UpstreamClient>();

  constructor(
    private readonly rules: PullThroughRules,
    private readonly repositories: Repositories,
    private readonly images: Images,
    private readonly uploads: Uploads,
    private readonly blobs: BlobIndex,
  ) {}

  /**
   * Makes sure `reference` exists in repository `name`, fetching it when a rule covers the name
   * and the registry lacks it. Returns whether anything was fetched.
   */
  async ensure(scope: Scope, name: string, reference: string): Promise<boolean> {
    const match = await this.rules.match(scope.region, name);
    if (!match) return false;
    const existing = await this.repositories.find(scope.region, name);
    if (existing && (await this.images.find(existing, reference))) return false;
    const client = this.client(match.rule.upstreamRegistryUrl);
    // The repository is created (as ECR does on a first pull) only once the upstream has the image.
    const top = await this.fetchManifest(client, match.upstreamRepository, reference);
    const repository = existing ?? (await this.repositoryFor(scope, name));
    await this.store(scope, client, match.upstreamRepository, repository, reference, top);
    return true;
  }

  private async pullManifest(scope: Scope, client: UpstreamClient, upstream: string, repository: RepositoryRecord, reference: string): Promise<void> {
    await this.store(scope, client, upstream, repository, reference, await this.fetchManifest(client, upstream, reference));
  }

  /** The manifest's bytes and Content-Type from upstream; MANIFEST_UNKNOWN when it has none. */
  private async fetchManifest(client: UpstreamClient, upstream: string, reference: string): Promise<{ bytes: Buffer; contentType?: string }> {
    const res = await client.manifest(upstream, reference);
    if (res.status === 404) {
      await res.body?.cancel();
      throw manifestUnknown(reference);
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw upstreamFailure(`The upstream registry answered ${res.status} for ${upstream}:${reference}.`);
    }
    const bytes = Buffer.from(await res.arrayBuffer());
    if (bytes.length > MAX_UPSTREAM_MANIFEST) throw upstreamFailure(`The upstream manifest of ${upstream}:${reference} is too large.`);
    const contentType = res.headers.get('content-type') ?? undefined;
    return { bytes, ...(contentType !== undefined && { contentType }) };
  }

  /** Stores a fetched manifest, after what it references: listed manifests and blobs. */
  private async store(
    scope: Scope,
    client: UpstreamClient,
    upstream: string,
    repository: RepositoryRecord,
    reference: string,
    { bytes, contentType }: { bytes: Buffer; contentType?: string },
  ): Promise<void> {
    const manifest = parseManifest(bytes, contentType);
    for (const child of manifest.manifests) {
      if (!(await this.images.find(repository, child.digest))) await this.pullManifest(scope, client, upstream, repository, child.digest);
    }
    for (const blob of referencedBlobs(manifest)) await this.pullBlob(client, upstream, repository, blob);
    await this.images.push(scope, repository.name, {
      bytes,
      ...(contentType !== undefined && { contentType }),
      ...(looksLikeDigest(reference) ? { digest: reference } : { tag: reference }),
    });
  }

  private async pullBlob(client: UpstreamClient, upstream: string, repository: RepositoryRecord, blob: Descriptor): Promise<void> {
    if ((await this.blobs.linkedSize(blob.digest, repository.uid)) !== undefined) return;
    const digest = requireDigest(blob.digest);
    const res = await client.blob(upstream, blob.digest);
    if (!res.ok || !res.body) {
      await res.body?.cancel();
      throw upstreamFailure(`The upstream registry answered ${res.status} for blob ${blob.digest} of ${upstream}.`);
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

  private async repositoryFor(scope: Scope, name: string): Promise<RepositoryRecord> {
    const existing = await this.repositories.find(scope.region, name);
    if (existing) return existing;
    try {
      return await this.repositories.create(scope, { repositoryName: name });
    } catch (err) {
      // Created by a concurrent pull of the same name.
      if (isDomainError(err) && err.subject === 'repository-exists') return this.repositories.get(scope, name);
      throw err;
    }
  }

  private client(url: string): UpstreamClient {
    let client = this.clients.get(url);
    if (!client) this.clients.set(url, (client = new UpstreamClient(url)));
    return client;
  }
}

const upstreamFailure = (message: string) => registryError(ErrorKind.Unavailable, 'upstream', message);
