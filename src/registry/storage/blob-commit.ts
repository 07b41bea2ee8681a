import type { ParsedDigest } from '../digest.js';
import type { BlobIndex } from '../metadata/blobs.js';
import type { BlobFiles } from './blob-files.js';

/**
 * Commits a blob: moves a verified, fsynced file into place as `digest` and records it as a blob
 * of the repository. Both under the blob's lock, so that a commit cannot interleave with the
 * collector removing the same blob: either the collector removed the old file first (then this
 * creates a new file and record), or this runs first (then the fresh `referencedAt` makes the
 * collector keep the blob). A file already there has the same content, so the new copy is dropped.
 */
export async function commitBlob(
  files: Pick<BlobFiles, 'withLock' | 'commitLocked'>,
  index: Pick<BlobIndex, 'record'>,
  file: string,
  digest: ParsedDigest,
  size: number,
  repositoryUid: string,
): Promise<void> {
  await files.withLock(digest.digest, async () => {
    await files.commitLocked(file, digest);
    await index.record(digest.digest, size, repositoryUid);
  });
}
