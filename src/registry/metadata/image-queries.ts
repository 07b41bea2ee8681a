import { decodeToken, encodeToken, type Page } from '../../lib/pagination.js';
import type { Store } from '../../store/store.js';
import { requireDigest } from '../digest.js';
import { Collections, ownedKey, type ManifestRecord, type ReferrerRecord, type RepositoryRecord, type TagRecord } from './records.js';

/** ECR's tag status filter. */
export type TagStatusFilter = 'TAGGED' | 'UNTAGGED' | 'ANY';

/** One image identifier as ListImages reports it: one per tag, or the digest alone when untagged. */
export interface ImageId {
  imageDigest: string;
  imageTag?: string;
}

/** Read-only queries over a repository's images: tag lists, image lists, referrers. */
export class ImageQueries {
  constructor(private readonly store: Store) {}

  /** Up to `n` tags in lexical order after `last`, and whether more follow. */
  async tags(repository: RepositoryRecord, n: number, last: string | undefined): Promise<{ tags: string[]; more: boolean }> {
    const rows = await this.store.collection<TagRecord>(Collections.Tags).list({
      prefix: `${repository.uid}/`,
      ...(last !== undefined && { after: ownedKey(repository.uid, last) }),
      limit: n + 1,
    });
    const tags = rows.slice(0, n).map((r) => r.key.slice(repository.uid.length + 1));
    return { tags, more: rows.length > n };
  }

  /** Every manifest of the repository that passes `filter`, in digest order, a page at a time. */
  async manifests(repository: RepositoryRecord, filter: TagStatusFilter, maxResults: number, nextToken: string | undefined): Promise<Page<ManifestRecord>> {
    const listing = `images:${repository.uid}`;
    let after = decodeToken(listing, nextToken);
    const found: Array<{ key: string; value: ManifestRecord }> = [];
    const manifests = this.store.collection<ManifestRecord>(Collections.Manifests);
    // Filtered-out manifests are skipped, so read on until the page (plus one) is full.
    for (;;) {
      const rows = await manifests.list({ prefix: `${repository.uid}/`, ...(after !== undefined && { after }), limit: maxResults + 1 });
      for (const row of rows) if (passes(row.value, filter)) found.push(row);
      if (rows.length < maxResults + 1 || found.length > maxResults) break;
      after = rows[rows.length - 1]!.key;
    }
    if (found.length <= maxResults) return { items: found.map((r) => r.value) };
    const page = found.slice(0, maxResults);
    return { items: page.map((r) => r.value), nextToken: encodeToken(listing, page[page.length - 1]!.key) };
  }

  /**
   * ListImages' identifiers: one per tag of each image (an untagged image once, by digest), with
   * `maxResults` counting identifiers, as ECR does.
   */
  async imageIds(repository: RepositoryRecord, filter: TagStatusFilter, maxResults: number, nextToken: string | undefined): Promise<Page<ImageId>> {
    const listing = `image-ids:${repository.uid}`;
    const position = decodeToken(listing, nextToken);
    const manifests = this.store.collection<ManifestRecord>(Collections.Manifests);
    const ids: ImageId[] = [];
    // A position is "<manifest key>\n<how many of its identifiers were listed>".
    const add = (key: string, record: ManifestRecord, skip: number): string | undefined => {
      if (!passes(record, filter)) return undefined;
      const entries: ImageId[] = record.tags.length ? record.tags.map((imageTag) => ({ imageDigest: record.digest, imageTag })) : [{ imageDigest: record.digest }];
      for (let i = skip; i < entries.length; i++) {
        if (ids.length === maxResults) return `${key}\n${i}`;
        ids.push(entries[i]!);
      }
      return undefined;
    };
    let after: string | undefined;
    if (position !== undefined) {
      const [key, skip] = position.split('\n') as [string, string | undefined];
      const record = await manifests.get(key);
      const stop = record && add(key, record, Number(skip ?? 0));
      if (stop) return { items: ids, nextToken: encodeToken(listing, stop) };
      after = key;
    }
    for (;;) {
      const rows = await manifests.list({ prefix: `${repository.uid}/`, ...(after !== undefined && { after }), limit: 100 });
      for (const { key, value } of rows) {
        const stop = add(key, value, 0);
        if (stop) return { items: ids, nextToken: encodeToken(listing, stop) };
      }
      if (rows.length < 100) return { items: ids };
      after = rows[rows.length - 1]!.key;
    }
  }

  /** The manifests that refer to `subject`, optionally only those of the given artifact types. */
  async referrers(repository: RepositoryRecord, subject: string, artifactTypes?: readonly string[]): Promise<ReferrerRecord[]> {
    requireDigest(subject);
    const wanted = artifactTypes && artifactTypes.length ? new Set(artifactTypes) : undefined;
    const found: ReferrerRecord[] = [];
    const referrers = this.store.collection<ReferrerRecord>(Collections.Referrers);
    let after: string | undefined;
    for (;;) {
      const rows = await referrers.list({ prefix: `${ownedKey(repository.uid, subject)}/`, ...(after !== undefined && { after }), limit: 500 });
      for (const { value } of rows) if (!wanted || (value.artifactType !== undefined && wanted.has(value.artifactType))) found.push(value);
      if (rows.length < 500) return found;
      after = rows[rows.length - 1]!.key;
    }
  }
}

function passes(record: ManifestRecord, filter: TagStatusFilter): boolean {
  if (filter === 'TAGGED') return record.tags.length > 0;
  if (filter === 'UNTAGGED') return record.tags.length === 0;
  return true;
}
