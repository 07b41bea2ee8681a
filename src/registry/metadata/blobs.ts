import { manifestBlobUnknown, manifestInvalid } from '../errors.js';
import type { Store, Transaction } from '../../store/store.js';
import { Collections, linkKey, type BlobLink, type BlobRecord } from './records.js';

/**
 * Which blobs exist (`registry-blobs`, one record per file) and which repositories have them
 * (`registry-blob-links`). Every operation that makes a blob newly reachable — an upload, a mount,
 * a manifest push — runs in a transaction that requires the blob's record and sets its
 * `referencedAt` to the current time: that is what keeps the online garbage collector from
 * removing a blob in use (see storage/gc.ts for the whole argument). The records only: the
 * files are storage/'s, and a blob's commit (file and record together) is storage/blob-commit.ts.
 */
export class BlobIndex {
  constructor(
    private readonly store: Store,
    /** Epoch ms; read inside transactions, so that `referencedAt` is the commit time. */
    private readonly clock: () => number,
  ) {}

  /**
   * Records the blob whose file was just put in place and links it into the repository, referenced
   * now. Only storage/blob-commit.ts calls it, under the blob's lock, right after the file.
   */
  async record(digest: string, size: number, repositoryUid: string): Promise<void> {
    await this.store.transaction(async (tx) => {
      const now = this.clock();
      await tx.collection<BlobRecord>(Collections.Blobs).put(digest, { size, referencedAt: now });
      await tx.collection<BlobLink>(Collections.BlobLinks).put(linkKey(digest, repositoryUid), { linkedAt: now });
    });
  }

  /** The blob's size when the repository has it, else undefined. */
  async linkedSize(digest: string, repositoryUid: string): Promise<number | undefined> {
    const link = await this.store.collection<BlobLink>(Collections.BlobLinks).get(linkKey(digest, repositoryUid));
    if (!link) return undefined;
    return (await this.store.collection<BlobRecord>(Collections.Blobs).get(digest))?.size;
  }

  /** The blob's size when it exists in any repository (for deduplicated uploads), else undefined. */
  async size(digest: string): Promise<number | undefined> {
    return (await this.store.collection<BlobRecord>(Collections.Blobs).get(digest))?.size;
  }

  /**
   * Links a blob the `from` repository has into `to` (cross-repository mount). Returns its size, or
   * undefined when `from` does not have it.
   */
  async mount(digest: string, fromUid: string, toUid: string): Promise<number | undefined> {
    return this.store.transaction(async (tx) => {
      const links = tx.collection<BlobLink>(Collections.BlobLinks);
      if (!(await links.get(linkKey(digest, fromUid)))) return undefined;
      const size = await this.touch(tx, digest);
      if (size === undefined) return undefined;
      await links.put(linkKey(digest, toUid), { linkedAt: this.clock() });
      return size;
    });
  }

  /**
   * Inside a manifest push: requires the repository to have the blob with the size the descriptor
   * claims, and marks the blob as just referenced. Throws MANIFEST_BLOB_UNKNOWN otherwise.
   */
  async useInManifest(tx: Transaction, digest: string, claimedSize: number, repositoryUid: string): Promise<void> {
    const link = await tx.collection<BlobLink>(Collections.BlobLinks).get(linkKey(digest, repositoryUid));
    const size = link ? await this.touch(tx, digest) : undefined;
    if (size === undefined) throw manifestBlobUnknown(digest);
    if (size !== claimedSize) {
      throw manifestInvalid(`descriptor of ${digest} claims ${claimedSize} bytes, the blob has ${size}`, { digest, size: claimedSize });
    }
  }

  /** Removes the blob from one repository; tells whether it was there. The file stays for the collector. */
  async unlink(digest: string, repositoryUid: string): Promise<boolean> {
    return this.store.collection<BlobLink>(Collections.BlobLinks).delete(linkKey(digest, repositoryUid));
  }

  /** Sets the record's `referencedAt` to now; returns the size, or undefined when there is no record. */
  private async touch(tx: Transaction, digest: string): Promise<number | undefined> {
    const records = tx.collection<BlobRecord>(Collections.Blobs);
    const record = await records.get(digest);
    if (!record) return undefined;
    await records.put(digest, { ...record, referencedAt: this.clock() });
    return record.size;
  }
}
