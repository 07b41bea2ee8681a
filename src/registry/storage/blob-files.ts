import { randomUUID } from 'node:crypto';
import { mkdir, open, readdir, rename, rm, stat, unlink, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parseDigest, type ParsedDigest } from '../digest.js';
import { BufferPool } from './buffer-pool.js';
import { KeyedMutex } from './keyed-mutex.js';

/** Size and modification time of a stored blob. */
export interface BlobFileStat {
  size: number;
  mtimeMs: number;
}

/**
 * The content-addressed blob files under `<root>/blobs/<alg>/<hex[0:2]>/<hex>`, shared by every
 * repository (one file per content). A file only ever appears there complete and verified: it is
 * written elsewhere on the same filesystem (`tmp/`, `uploads/`), fsynced, and renamed into place;
 * deletion renames it out before unlinking. Both go through a per-digest lock (`withLock`) that the
 * blob commit (blob-commit.ts) and the garbage collector share (see gc.ts for why).
 */
export class BlobFiles {
  /** Where finished blobs live. */
  readonly blobsDir: string;
  /** Scratch files: deleted blobs on their way out. */
  readonly tmpDir: string;
  /** Upload session data files. */
  readonly uploadsDir: string;
  /** Read buffers of blob downloads (1 MiB: few syscalls and event-loop turns per layer; 16 kept idle). */
  readonly readBuffers = new BufferPool(1024 * 1024, 16);
  private readonly locks = new KeyedMutex();

  constructor(readonly root: string) {
    this.blobsDir = join(root, 'blobs');
    this.tmpDir = join(root, 'tmp');
    this.uploadsDir = join(root, 'uploads');
  }

  /** Creates the directories, and empties `tmp/` of what a crash may have left (deleted blobs on their way out). */
  async init(): Promise<void> {
    for (const dir of [this.blobsDir, this.tmpDir, this.uploadsDir]) await mkdir(dir, { recursive: true, mode: 0o700 });
    for (const name of await readdir(this.tmpDir)) await rm(join(this.tmpDir, name), { force: true, recursive: true });
  }

  /** The path of a blob's file. */
  pathOf(digest: ParsedDigest): string {
    return join(this.blobsDir, digest.algorithm, digest.hex.slice(0, 2), digest.hex);
  }

  /** Runs `fn` holding the lock of `digest`: file commits and removals of one blob never interleave. */
  withLock<R>(digest: string, fn: () => Promise<R>): Promise<R> {
    return this.locks.run(digest, fn);
  }

  /** The blob's size and mtime, or undefined when there is no file. */
  async stat(digest: ParsedDigest): Promise<BlobFileStat | undefined> {
    try {
      const s = await stat(this.pathOf(digest));
      return { size: s.size, mtimeMs: s.mtimeMs };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  /**
   * Opens the blob's file for reading, or returns undefined when there is none. An open file stays
   * readable when the blob is removed meanwhile, so a download that started is never cut short.
   */
  async open(digest: ParsedDigest): Promise<FileHandle | undefined> {
    try {
      return await open(this.pathOf(digest), 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  /**
   * Moves a complete, verified, fsynced file into place as `digest`. Must run under `withLock`.
   * When the blob already exists its content is the same (same digest), so the new copy is dropped.
   * A replica on a shared blob dir may commit the same digest at the same moment (the lock is per
   * process): both renames succeed, the second atomically replacing an identical file.
   * Returns whether a new file was created.
   */
  async commitLocked(file: string, digest: ParsedDigest): Promise<boolean> {
    const target = this.pathOf(digest);
    if (await this.stat(digest)) {
      await unlink(file);
      return false;
    }
    await mkdir(dirname(target), { recursive: true, mode: 0o700 });
    await rename(file, target);
    await fsyncDir(dirname(target));
    return true;
  }

  /** Removes the blob's file, if any. Must run under `withLock`; readers with the file open keep reading. */
  async removeLocked(digest: ParsedDigest): Promise<void> {
    const doomed = join(this.tmpDir, `deleted-${randomUUID()}`);
    try {
      await rename(this.pathOf(digest), doomed);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    // `force`: on a blob dir shared by replicas, one starting up empties `tmp/` and may be first.
    await rm(doomed, { force: true });
  }

  /** Every blob file: digest, size and mtime. Files that are not named like a digest are skipped. */
  async *list(): AsyncGenerator<{ digest: ParsedDigest } & BlobFileStat> {
    for (const algorithm of await readdirIfAny(this.blobsDir)) {
      for (const prefix of await readdirIfAny(join(this.blobsDir, algorithm))) {
        for (const hex of await readdirIfAny(join(this.blobsDir, algorithm, prefix))) {
          const digest = parseDigest(`${algorithm}:${hex}`);
          if (!digest || !hex.startsWith(prefix)) continue;
          const s = await this.stat(digest);
          if (s) yield { digest, ...s };
        }
      }
    }
  }
}

async function readdirIfAny(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

/** Makes a rename in `dir` durable. */
export async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Flushes a file's content to disk. */
export async function fsyncFile(path: string): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
