import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readdir, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { Store } from '../../store/store.js';
import type { ParsedDigest } from '../digest.js';
import { digestMismatch, sizeInvalid, uploadOutOfOrder, uploadUnknown } from '../errors.js';
import type { BlobIndex } from '../metadata/blobs.js';
import { Collections } from '../metadata/records.js';
import { appendStream, type HashedLength } from './append.js';
import { commitBlob } from './blob-commit.js';
import { fsyncFile, type BlobFiles } from './blob-files.js';
import { KeyedMutex } from './keyed-mutex.js';

/** An upload session, as stored. Its data is the file `uploads/<id>`. */
export interface UploadRecord {
  id: string;
  region: string;
  repository: string;
  repositoryUid: string;
  /** Epoch ms. */
  startedAt: number;
  /** Epoch ms of the last change: the sweep removes sessions idle for longer than the TTL. */
  updatedAt: number;
  /** Bytes received so far. */
  offset: number;
}

/** The repository an upload belongs to. */
export interface UploadOwner {
  uid: string;
  name: string;
  region: string;
}

/** How a chunk is framed: `range` from Content-Range (inclusive), `length` from Content-Length. */
export interface ChunkFraming {
  range?: { start: number; end: number };
  length?: number;
}

/** Upload ids are UUIDs; anything else is refused before it can become part of a path. */
const UPLOAD_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Blob upload sessions: chunks are streamed straight to the session's file while a running sha256
 * is kept in memory (a restart rebuilds it from the file), and finishing verifies the digest,
 * fsyncs, and commits the file as a blob (blob-commit.ts: renamed into place, then recorded). A session is a
 * file plus a record; nothing is visible as a blob until it is verified.
 *
 * Failure handling: a client that disconnects mid-chunk leaves the session at the bytes that
 * reached the disk (resumable: GET status tells the client where); a chunk refused for its framing
 * is rolled back completely; a wrong digest leaves the session as it was. Idle sessions expire.
 */
export class Uploads {
  private readonly live = new Map<string, HashedLength>();
  private readonly locks = new KeyedMutex();

  constructor(
    private readonly store: Store,
    private readonly files: BlobFiles,
    private readonly blobs: BlobIndex,
    private readonly clock: () => number,
    private readonly ttlMs: number,
  ) {}

  /** Opens a session in `owner`. */
  async start(owner: UploadOwner): Promise<UploadRecord> {
    const now = this.clock();
    const record: UploadRecord = { id: randomUUID(), region: owner.region, repository: owner.name, repositoryUid: owner.uid, startedAt: now, updatedAt: now, offset: 0 };
    await writeFile(this.pathOf(record.id), new Uint8Array(), { mode: 0o600 });
    this.live.set(record.id, { hash: createHash('sha256'), bytes: 0 });
    await this.records().put(record.id, record);
    return record;
  }

  /** The session, or BLOB_UPLOAD_UNKNOWN. */
  status(id: string, owner: UploadOwner): Promise<UploadRecord> {
    return this.locks.run(id, async () => (await this.open(id, owner)).record);
  }

  /** Appends one chunk; a chunk that does not start at the current end is refused (416). */
  append(id: string, owner: UploadOwner, body: Readable, framing: ChunkFraming): Promise<UploadRecord> {
    return this.locks.run(id, async () => {
      const { record, state } = await this.open(id, owner);
      return this.appendLocked(record, state, body, framing);
    });
  }

  /**
   * Appends an optional last chunk, verifies the whole content against `digest`, and commits it
   * as a blob of the owner's repository. The session ends on success only.
   */
  finish(id: string, owner: UploadOwner, digest: ParsedDigest, last?: { body: Readable; framing: ChunkFraming }): Promise<{ size: number }> {
    return this.locks.run(id, async () => {
      const opened = await this.open(id, owner);
      const { state } = opened;
      const record = last ? await this.appendLocked(opened.record, state, last.body, last.framing) : opened.record;
      const path = this.pathOf(id);
      // The running hash is sha256; a sha512 digest is rare enough to re-read the file for.
      const actual = digest.algorithm === 'sha256' ? state.hash.copy().digest('hex') : await hashFile(path, digest.algorithm);
      if (actual !== digest.hex) throw digestMismatch(digest.digest, `${digest.algorithm}:${actual}`);
      await fsyncFile(path);
      await commitBlob(this.files, this.blobs, path, digest, record.offset, owner.uid);
      this.live.delete(id);
      await this.records().delete(id);
      return { size: record.offset };
    });
  }

  /** Ends a session and removes its data. */
  cancel(id: string, owner: UploadOwner): Promise<void> {
    return this.locks.run(id, async () => {
      await this.open(id, owner);
      await this.remove(id);
    });
  }

  /**
   * Removes sessions idle for longer than the TTL (and data files left without a record, e.g. by a
   * crash between the two). A session with a request in progress is never touched. Returns how
   * many sessions were removed.
   */
  async sweep(): Promise<number> {
    const cutoff = this.clock() - this.ttlMs;
    let removed = 0;
    let after: string | undefined;
    for (;;) {
      const page = await this.records().list({ ...(after !== undefined && { after }), limit: 200 });
      for (const { key, value } of page) {
        if (value.updatedAt >= cutoff || this.locks.busy(key)) continue;
        const gone = await this.locks.run(key, async () => {
          const current = await this.records().get(key);
          if (!current || current.updatedAt >= cutoff) return false;
          await this.remove(key);
          return true;
        });
        if (gone) removed++;
      }
      if (page.length < 200) break;
      after = page[page.length - 1]!.key;
    }
    for (const name of await readdir(this.files.uploadsDir)) {
      if (this.locks.busy(name) || (await this.records().get(name))) continue;
      const s = await stat(join(this.files.uploadsDir, name)).catch(() => undefined);
      if (s && s.mtimeMs < cutoff) await rm(join(this.files.uploadsDir, name), { force: true });
    }
    return removed;
  }

  private async appendLocked(record: UploadRecord, state: HashedLength, body: Readable, framing: ChunkFraming): Promise<UploadRecord> {
    if (framing.range && framing.range.start !== record.offset) {
      body.resume();
      throw uploadOutOfOrder(record.offset, framing.range.start);
    }
    const expected = framing.range ? framing.range.end - framing.range.start + 1 : framing.length;
    if (framing.range && framing.length !== undefined && framing.length !== expected) {
      body.resume();
      throw sizeInvalid(`Content-Length ${framing.length} does not match Content-Range ${framing.range.start}-${framing.range.end}`);
    }
    const path = this.pathOf(record.id);
    const before = { hash: state.hash.copy(), bytes: state.bytes };
    const handle = await open(path, 'a');
    let failure: unknown;
    try {
      await appendStream(handle, body, state);
    } catch (err) {
      failure = err;
    } finally {
      await handle.close();
    }
    if (failure === undefined && expected !== undefined && state.bytes - before.bytes !== expected) {
      // The chunk is not what its framing announced: take it back whole.
      const got = state.bytes - before.bytes;
      await truncate(path, before.bytes);
      state.hash = before.hash;
      state.bytes = before.bytes;
      throw sizeInvalid(`chunk has ${got} bytes, ${expected} were announced`, { size: got });
    }
    // Whatever reached the disk stays, also when the client went away: the session is resumable.
    const updated = { ...record, offset: state.bytes, updatedAt: this.clock() };
    await this.records().put(record.id, updated);
    if (failure !== undefined) throw failure;
    return updated;
  }

  /** The session and its running hash; after a restart, the hash is rebuilt from the file. */
  private async open(id: string, owner: UploadOwner): Promise<{ record: UploadRecord; state: HashedLength }> {
    const record = UPLOAD_ID.test(id) ? await this.records().get(id) : undefined;
    if (!record || record.repositoryUid !== owner.uid) throw uploadUnknown(id);
    let state = this.live.get(id);
    if (!state) {
      const path = this.pathOf(id);
      const size = await stat(path).then((s) => s.size, () => undefined);
      if (size === undefined) {
        await this.records().delete(id);
        throw uploadUnknown(id);
      }
      const hash = createHash('sha256');
      for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
      state = { hash, bytes: size };
      this.live.set(id, state);
    }
    if (state.bytes !== record.offset) {
      // The file is the truth: bytes that reached it before a crash count, as after a disconnect.
      const fixed = { ...record, offset: state.bytes };
      await this.records().put(id, fixed);
      return { record: fixed, state };
    }
    return { record, state };
  }

  private async remove(id: string): Promise<void> {
    this.live.delete(id);
    await rm(this.pathOf(id), { force: true });
    await this.records().delete(id);
  }

  private pathOf(id: string): string {
    return join(this.files.uploadsDir, id);
  }

  private records() {
    return this.store.collection<UploadRecord>(Collections.Uploads);
  }
}

async function hashFile(path: string, algorithm: string): Promise<string> {
  const hash = createHash(algorithm);
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
