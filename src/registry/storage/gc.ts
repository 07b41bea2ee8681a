import type { Store } from '../../store/store.js';
import { parseDigest } from '../digest.js';
import { Collections, type BlobLink, type BlobRecord, type ManifestRecord } from '../metadata/records.js';
import type { BlobFiles } from './blob-files.js';

/** What one collection did. */
export interface GcReport {
  /** Distinct blobs referenced by some manifest when the mark phase read it. */
  marked: number;
  /** Blob files looked at. */
  scanned: number;
  /** Digests whose files were removed. */
  removed: string[];
  freedBytes: number;
  /** Records whose file had disappeared, removed. */
  danglingRecords: number;
}

/**
 * Online garbage collection of blob files: it never holds a lock across the whole run, so pushes
 * and pulls go on while it works.
 *
 * 1. `start` = now, `cutoff` = start − grace.
 * 2. Mark: read every manifest of every repository, page by page, outside any transaction, and
 *    collect the blobs they reference.
 * 3. Sweep: for each blob file not marked and not modified since `cutoff`, take the blob's lock
 *    and, in one transaction, re-read its record: if `referencedAt` > cutoff keep it; else delete
 *    the record and the blob's links. Then, still under the lock, rename the file out and unlink it.
 *
 * Invariant: a blob file is removed only if (a) no manifest the mark phase saw references it,
 * (b) at the sweep transaction T its record was absent or had `referencedAt` ≤ cutoff, and
 * (c) its file was not modified after cutoff. Why that never removes a blob in use:
 * - Every operation that makes a blob reachable (upload commit, mount, manifest push — also a
 *   re-push of an existing manifest) runs in a transaction that requires the record and sets
 *   `referencedAt` to its own time. Transactions are serialised, so such an operation either
 *   commits before T — then T sees `referencedAt` ≥ start > cutoff and keeps the blob — or after T —
 *   then it finds no record and fails (BLOB_UNKNOWN / MANIFEST_BLOB_UNKNOWN), so the client uploads
 *   the blob again; nothing ever points at a removed file.
 * - A manifest committed before `start` and still present when the mark phase reaches its key is
 *   marked; one committed after `start` touched its blobs after `start` (previous point). A
 *   manifest deleted before the mark phase reached it no longer references anything.
 * - An upload's commit (rename into place + record) and the sweep's (record check + rename out)
 *   hold the same per-digest lock, so a fresh upload of a blob being collected either lands after
 *   the removal (a new file and record) or before the check (and is then kept).
 * - The grace window protects blobs uploaded but not yet used by a manifest (a push in progress):
 *   their `referencedAt` is their upload time. Files without a record (a crash between rename and
 *   record) are protected by their mtime for the same window, then removed.
 * This relies on one process owning the data dir: the per-digest locks are in memory.
 */
export async function collectGarbage(store: Store, files: BlobFiles, clock: () => number, graceMs: number): Promise<GcReport> {
  const start = clock();
  const cutoff = start - graceMs;
  const marked = await markReferenced(store);
  const report: GcReport = { marked: marked.size, scanned: 0, removed: [], freedBytes: 0, danglingRecords: 0 };
  for await (const file of files.list()) {
    report.scanned++;
    if (marked.has(file.digest.digest) || file.mtimeMs > cutoff) continue;
    const removed = await files.withLock(file.digest.digest, async () => {
      const released = await store.transaction(async (tx) => {
        const record = await tx.collection<BlobRecord>(Collections.Blobs).get(file.digest.digest);
        if (record && record.referencedAt > cutoff) return false;
        await forget(tx, file.digest.digest);
        return true;
      });
      if (released) await files.removeLocked(file.digest);
      return released;
    });
    if (removed) {
      report.removed.push(file.digest.digest);
      report.freedBytes += file.size;
    }
  }
  report.danglingRecords = await dropDanglingRecords(store, files, cutoff);
  return report;
}

/** Every blob digest referenced by a manifest of any repository. */
async function markReferenced(store: Store): Promise<Set<string>> {
  const marked = new Set<string>();
  const manifests = store.collection<ManifestRecord>(Collections.Manifests);
  let after: string | undefined;
  for (;;) {
    const page = await manifests.list({ ...(after !== undefined && { after }), limit: 500 });
    for (const { value } of page) for (const digest of value.blobs) marked.add(digest);
    if (page.length < 500) return marked;
    after = page[page.length - 1]!.key;
  }
}

/** Deletes a blob's record and all its links, inside a transaction. */
async function forget(tx: Parameters<Parameters<Store['transaction']>[0]>[0], digest: string): Promise<void> {
  await tx.collection<BlobRecord>(Collections.Blobs).delete(digest);
  const links = tx.collection<BlobLink>(Collections.BlobLinks);
  for (;;) {
    const page = await links.list({ prefix: `${digest}/`, limit: 500 });
    for (const { key } of page) await links.delete(key);
    if (page.length < 500) return;
  }
}

/**
 * Removes records whose file is gone (only possible if files were removed behind the registry's
 * back), so that no repository claims a blob it cannot serve.
 */
async function dropDanglingRecords(store: Store, files: BlobFiles, cutoff: number): Promise<number> {
  let dropped = 0;
  let after: string | undefined;
  const records = store.collection<BlobRecord>(Collections.Blobs);
  for (;;) {
    const page = await records.list({ ...(after !== undefined && { after }), limit: 500 });
    for (const { key, value } of page) {
      const digest = parseDigest(key);
      if (!digest || value.referencedAt > cutoff || (await files.stat(digest))) continue;
      const gone = await files.withLock(key, async () => {
        if (await files.stat(digest)) return false;
        return store.transaction(async (tx) => {
          const current = await tx.collection<BlobRecord>(Collections.Blobs).get(key);
          if (!current || current.referencedAt > cutoff) return false;
          await forget(tx, key);
          return true;
        });
      });
      if (gone) dropped++;
    }
    if (page.length < 500) return dropped;
    after = page[page.length - 1]!.key;
  }
}
