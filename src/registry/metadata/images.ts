import { ErrorKind } from '../../lib/errors.js';
import type { Scope } from '../../lib/scope.js';
import type { Store, Transaction } from '../../store/store.js';
import { digestOf, looksLikeDigest, requireDigest } from '../digest.js';
import { manifestInvalid, manifestTooLarge, manifestUnknown, referencedManifestUnknown, registryError, repositoryNotFound, tagImmutable } from '../errors.js';
import { artifactTypeOf, parseManifest, referencedBlobs, type ParsedManifest } from '../manifest.js';
import { checkTag } from '../names.js';
import type { BlobIndex } from './blobs.js';
import {
  Collections,
  ownedKey,
  repositoryKey,
  type ManifestBody,
  type ManifestRecord,
  type ReferrerRecord,
  type RepositoryRecord,
  type TagRecord,
} from './records.js';
import type { Repositories } from './repositories.js';
import { isTagImmutable } from './tag-mutability.js';

/** The largest manifest accepted: 4 MiB, as ECR and the OCI distribution spec's guidance. */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

/** A manifest push: the exact bytes, the Content-Type they came with, and where they go. */
export interface PushManifestInput {
  bytes: Buffer;
  contentType?: string;
  /** The tag to point at the manifest. */
  tag?: string;
  /** The digest the client says the manifest has (PUT by digest, PutImage's imageDigest). */
  digest?: string;
  /** ECR PutImage: refuse to push a manifest (and tag) that is already there. */
  failIfUnchanged?: boolean;
}

/** The outcome of a push. */
export interface PushedManifest {
  repository: RepositoryRecord;
  record: ManifestRecord;
  /** The subject's digest, when the manifest has one (the OCI-Subject response header). */
  subject?: string;
}

/** A manifest found by tag or digest, with its bytes. */
export interface ResolvedManifest {
  repository: RepositoryRecord;
  record: ManifestRecord;
  body: Buffer;
  /** The tag the reference named, if it was a tag. */
  tag?: string;
}

/** How often a pull updates lastRecordedPullTime (ECR refreshes it at least once a day). */
const PULL_RECORD_INTERVAL_MS = 60_000;

/** Called in a push's transaction for a manifest new to the repository (scan on push records its intent there). */
export type NewManifestHook = (tx: Transaction, repository: RepositoryRecord, record: ManifestRecord) => Promise<void>;

/** Manifests and tags of repositories: push, resolve, delete. */
export class Images {
  /** Runs inside the push's transaction for each new manifest. */
  onNewManifest?: NewManifestHook;
  /** Runs after a push committed a new manifest. */
  afterNewManifest?: () => void;

  constructor(
    private readonly store: Store,
    private readonly blobs: BlobIndex,
    private readonly repositories: Repositories,
    private readonly clock: () => number,
  ) {}

  /**
   * Pushes a manifest: validates it, requires every blob it references (and for an index, every
   * manifest it lists) in the repository, honours tag immutability, and stores manifest, tag and
   * referrer entry in one transaction.
   */
  async push(scope: Scope, repositoryName: string, input: PushManifestInput): Promise<PushedManifest> {
    if (input.bytes.length > MAX_MANIFEST_BYTES) throw manifestTooLarge(MAX_MANIFEST_BYTES);
    if (input.tag !== undefined) checkTag(input.tag);
    const claimed = input.digest === undefined ? undefined : requireDigest(input.digest);
    const manifest = parseManifest(input.bytes, input.contentType);
    const digest = digestOf(input.bytes, claimed?.algorithm ?? 'sha256');
    if (claimed && claimed.digest !== digest) {
      throw registryError(ErrorKind.InvalidArgument, 'digest-mismatch', `manifest digest ${digest} does not match the reference ${claimed.digest}`, { digest: claimed.digest });
    }
    return this.store.transaction(async (tx) => {
      const repository = await tx.collection<RepositoryRecord>(Collections.Repositories).get(repositoryKey(scope.region, repositoryName));
      if (!repository) throw repositoryNotFound(repositoryName, scope.accountId);
      const uid = repository.uid;
      for (const blob of referencedBlobs(manifest)) await this.blobs.useInManifest(tx, blob.digest, blob.size, uid);
      const children = await this.requireChildren(tx, uid, manifest);
      const manifests = tx.collection<ManifestRecord>(Collections.Manifests);
      const existing = await manifests.get(ownedKey(uid, digest));
      const tags = tx.collection<TagRecord>(Collections.Tags);
      const current = input.tag === undefined ? undefined : await tags.get(ownedKey(uid, input.tag));
      if (input.failIfUnchanged && existing && (input.tag === undefined || current?.digest === digest)) {
        throw registryError(
          ErrorKind.AlreadyExists,
          'image-exists',
          `Image with digest '${digest}'${input.tag === undefined ? '' : ` and tag '${input.tag}'`} already exists in the repository with name '${repositoryName}' in registry with id '${scope.accountId}'`,
        );
      }
      // ECR refuses any push to an existing immutable tag, also of the same image.
      if (input.tag !== undefined && current && isTagImmutable(repository, input.tag)) throw tagImmutable(input.tag, repositoryName);
      const now = this.clock();
      let record: ManifestRecord = existing ?? newRecord(digest, manifest, input.bytes.length, now, children);
      if (input.tag !== undefined && current?.digest !== digest) {
        if (current) await this.dropTagFrom(tx, uid, current.digest, input.tag);
        record = { ...record, tags: [...record.tags, input.tag].sort() };
        await tags.put(ownedKey(uid, input.tag), { digest, updatedAt: now });
      }
      await manifests.put(ownedKey(uid, digest), record);
      if (!existing) {
        await this.storeNew(tx, uid, digest, manifest, input.bytes);
        await this.onNewManifest?.(tx, repository, record);
      }
      return { repository, record, isNew: !existing, ...(manifest.subject && { subject: manifest.subject.digest }) };
    }).then(({ isNew, ...pushed }) => {
      if (isNew) this.afterNewManifest?.();
      return pushed;
    });
  }

  /** The manifest a tag or digest names, or MANIFEST_UNKNOWN. */
  async resolve(scope: Pick<Scope, 'region' | 'accountId'>, repositoryName: string, reference: string): Promise<ResolvedManifest> {
    const repository = await this.repositories.get(scope, repositoryName);
    const found = await this.find(repository, reference);
    if (!found) throw manifestUnknown(reference);
    const body = await this.store.collection<ManifestBody>(Collections.ManifestBodies).get(ownedKey(repository.uid, found.record.digest));
    if (!body) throw manifestUnknown(reference);
    return { repository, record: found.record, body: Buffer.from(body.text, 'utf8'), ...(found.tag !== undefined && { tag: found.tag }) };
  }

  /** The manifest record a tag or digest names in a repository, if any. */
  async find(repository: RepositoryRecord, reference: string): Promise<{ record: ManifestRecord; tag?: string } | undefined> {
    let digest = reference;
    let tag: string | undefined;
    if (looksLikeDigest(reference)) {
      requireDigest(reference);
    } else {
      tag = reference;
      const tagged = await this.store.collection<TagRecord>(Collections.Tags).get(ownedKey(repository.uid, reference));
      if (!tagged) return undefined;
      digest = tagged.digest;
    }
    const record = await this.store.collection<ManifestRecord>(Collections.Manifests).get(ownedKey(repository.uid, digest));
    return record && { record, ...(tag !== undefined && { tag }) };
  }

  /** Notes a pull for lastRecordedPullTime (at most once a minute per image, to keep pulls read-only). */
  async recordPull(repository: RepositoryRecord, record: ManifestRecord): Promise<void> {
    const now = this.clock();
    if (record.pulledAt !== undefined && now - record.pulledAt < PULL_RECORD_INTERVAL_MS) return;
    await this.store.transaction(async (tx) => {
      const manifests = tx.collection<ManifestRecord>(Collections.Manifests);
      const current = await manifests.get(ownedKey(repository.uid, record.digest));
      if (current) await manifests.put(ownedKey(repository.uid, record.digest), { ...current, pulledAt: now });
    });
  }

  /**
   * Deletes a manifest and every tag pointing at it. A manifest still listed by an index of the
   * repository cannot be deleted (ECR: ImageReferencedByManifestList).
   */
  async deleteManifest(scope: Scope, repositoryName: string, digest: string): Promise<ManifestRecord> {
    requireDigest(digest);
    return this.store.transaction(async (tx) => {
      const repository = await tx.collection<RepositoryRecord>(Collections.Repositories).get(repositoryKey(scope.region, repositoryName));
      if (!repository) throw repositoryNotFound(repositoryName, scope.accountId);
      return this.deleteInTx(tx, repository.uid, digest);
    });
  }

  /**
   * Removes a tag. With `deleteUntagged` (ECR's BatchDeleteImage), an image left without tags is
   * deleted too. Returns the digest the tag pointed at and whether the image was deleted.
   */
  async deleteTag(scope: Scope, repositoryName: string, tag: string, deleteUntagged = false): Promise<{ digest: string; deleted: boolean }> {
    return this.store.transaction(async (tx) => {
      const repository = await tx.collection<RepositoryRecord>(Collections.Repositories).get(repositoryKey(scope.region, repositoryName));
      if (!repository) throw repositoryNotFound(repositoryName, scope.accountId);
      const tags = tx.collection<TagRecord>(Collections.Tags);
      const tagged = await tags.get(ownedKey(repository.uid, tag));
      if (!tagged) throw manifestUnknown(tag);
      await tags.delete(ownedKey(repository.uid, tag));
      const remaining = await this.dropTagFrom(tx, repository.uid, tagged.digest, tag);
      if (deleteUntagged && remaining === 0) {
        await this.deleteInTx(tx, repository.uid, tagged.digest);
        return { digest: tagged.digest, deleted: true };
      }
      return { digest: tagged.digest, deleted: false };
    });
  }

  private async deleteInTx(tx: Transaction, uid: string, digest: string): Promise<ManifestRecord> {
    const manifests = tx.collection<ManifestRecord>(Collections.Manifests);
    const record = await manifests.get(ownedKey(uid, digest));
    if (!record) throw manifestUnknown(digest);
    const parents = await tx.collection(Collections.ManifestParents).list({ prefix: `${ownedKey(uid, digest)}/`, limit: 1 });
    if (parents.length > 0) {
      const parent = parents[0]!.key.slice(ownedKey(uid, digest).length + 1);
      throw registryError(ErrorKind.FailedPrecondition, 'manifest-referenced', `Requested image referenced by a manifest list: [${parent}]`, { digest, parent });
    }
    for (const tag of record.tags) await tx.collection(Collections.Tags).delete(ownedKey(uid, tag));
    await manifests.delete(ownedKey(uid, digest));
    await tx.collection(Collections.ManifestBodies).delete(ownedKey(uid, digest));
    await tx.collection(Collections.ImageScans).delete(ownedKey(uid, digest));
    await tx.collection(Collections.ImageScanFindings).delete(ownedKey(uid, digest));
    if (record.subject) await tx.collection(Collections.Referrers).delete(`${ownedKey(uid, record.subject)}/${digest}`);
    for (const child of record.children) await tx.collection(Collections.ManifestParents).delete(`${ownedKey(uid, child)}/${digest}`);
    return record;
  }

  /** Removes `tag` from the manifest's tag list; returns how many tags it has left. */
  private async dropTagFrom(tx: Transaction, uid: string, digest: string, tag: string): Promise<number> {
    const manifests = tx.collection<ManifestRecord>(Collections.Manifests);
    const record = await manifests.get(ownedKey(uid, digest));
    if (!record) return 0;
    const tags = record.tags.filter((t) => t !== tag);
    await manifests.put(ownedKey(uid, digest), { ...record, tags });
    return tags.length;
  }

  /** For an index: every listed manifest must be in the repository with the listed size; returns their image sizes. */
  private async requireChildren(tx: Transaction, uid: string, manifest: ParsedManifest): Promise<number[]> {
    const sizes: number[] = [];
    const manifests = tx.collection<ManifestRecord>(Collections.Manifests);
    for (const child of manifest.manifests) {
      const record = await manifests.get(ownedKey(uid, child.digest));
      if (!record) throw referencedManifestUnknown(child.digest);
      if (record.size !== child.size) {
        throw manifestInvalid(`descriptor of ${child.digest} claims ${child.size} bytes, the manifest has ${record.size}`, { digest: child.digest });
      }
      sizes.push(record.imageSize);
    }
    return sizes;
  }

  private async storeNew(tx: Transaction, uid: string, digest: string, manifest: ParsedManifest, bytes: Buffer): Promise<void> {
    await tx.collection<ManifestBody>(Collections.ManifestBodies).put(ownedKey(uid, digest), { text: bytes.toString('utf8') });
    if (manifest.subject) {
      const artifactType = artifactTypeOf(manifest);
      const referrer: ReferrerRecord = {
        mediaType: manifest.mediaType,
        digest,
        size: bytes.length,
        ...(artifactType !== undefined && { artifactType }),
        ...(manifest.annotations && { annotations: manifest.annotations }),
      };
      await tx.collection<ReferrerRecord>(Collections.Referrers).put(`${ownedKey(uid, manifest.subject.digest)}/${digest}`, referrer);
    }
    for (const child of manifest.manifests) await tx.collection(Collections.ManifestParents).put(`${ownedKey(uid, child.digest)}/${digest}`, {});
  }
}

function newRecord(digest: string, manifest: ParsedManifest, size: number, now: number, childSizes: number[]): ManifestRecord {
  return {
    digest,
    mediaType: manifest.mediaType,
    size,
    pushedAt: now,
    tags: [],
    blobs: referencedBlobs(manifest).map((b) => b.digest),
    children: manifest.manifests.map((m) => m.digest),
    ...(manifest.config && { configMediaType: manifest.config.mediaType }),
    ...(manifest.artifactType !== undefined && { artifactType: manifest.artifactType }),
    ...(manifest.subject && { subject: manifest.subject.digest }),
    ...(manifest.annotations && { annotations: manifest.annotations }),
    imageSize: manifest.kind === 'index' ? Math.max(0, ...childSizes) : manifest.layers.reduce((n, l) => n + l.size, 0),
  };
}
