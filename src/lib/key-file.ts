import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, fsyncSync, linkSync, lstatSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The folder of a blob dir that holds the keys every replica must share. */
export const SHARED_KEYS_DIR = 'keys';

/** Permission bits of group and others. */
const NOT_OWNER = 0o077;

/** How one key file is found, made and checked. */
export interface KeyFileSpec {
  /** Where the key lives. */
  file: string;
  /** The content of a new key, when there is none yet. */
  create: () => Buffer | string;
  /**
   * An earlier copy of the key (the data dir's, from before the key was shared): published as the
   * key when `file` is absent, and required to equal it when present, so that what it protects
   * stays readable.
   */
  seed?: string;
  /** Whether group and others must not have access (default true; a certificate is public). */
  secret?: boolean;
  /** Wraps a refusal in the caller's error type. */
  fail?: (message: string) => Error;
}

/**
 * The key of `spec.file`, created on first use. A new key is written to a private temporary file in
 * the same directory, synced, then linked to its name: link(2) fails when the name exists, so when
 * two processes (replicas on a shared directory) create a key at the same moment exactly one wins
 * and the other reads the winner's key; nobody ever sees a partly written key. Files that others
 * could read or replace are refused rather than used.
 */
export function loadOrCreateKeyFile(spec: KeyFileSpec): Buffer {
  const fail = spec.fail ?? ((message: string) => new Error(message));
  const secret = spec.secret ?? true;
  const dir = dirname(spec.file);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const uid = process.getuid?.();
  const dirStat = statSync(dir);
  if (uid !== undefined && dirStat.uid !== uid) throw fail(`${dir} is owned by uid ${dirStat.uid}, not by the user running minato (uid ${uid}).`);
  const seed = spec.seed === undefined ? undefined : readChecked(spec.seed, secret, fail);
  let key = readChecked(spec.file, secret, fail);
  if (key === undefined) {
    const content = seed ?? spec.create();
    key = publish(spec.file, typeof content === 'string' ? Buffer.from(content) : content, secret) ?? readChecked(spec.file, secret, fail);
    if (key === undefined) throw fail(`${spec.file} disappeared while it was being created.`);
  }
  if (seed !== undefined && !seed.equals(key)) {
    throw fail(
      `${spec.file} and ${spec.seed} hold different keys: the data dir was used with keys of its own. ` +
        `Start this data dir without the shared directory, or move ${spec.seed} away if what it protects is not needed.`,
    );
  }
  return key;
}

/** Creates `<blobDir>/keys` (0700) and returns its path; refuses one owned by another user, tightens a loose one. */
export function sharedKeysDir(blobDir: string): string {
  const dir = join(blobDir, SHARED_KEYS_DIR);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stat = lstatSync(dir);
  if (!stat.isDirectory()) throw new Error(`${dir} is not a directory`);
  const uid = process.getuid?.();
  if (uid !== undefined && stat.uid !== uid) throw new Error(`${dir} is owned by uid ${stat.uid}, not by the user running minato (uid ${uid})`);
  if ((stat.mode & NOT_OWNER) !== 0) chmodSync(dir, 0o700);
  return dir;
}

/** The file's content after the checks, or undefined when there is no file. */
function readChecked(file: string, secret: boolean, fail: (message: string) => Error): Buffer | undefined {
  let stat;
  try {
    // lstat: a symbolic link could point at a file whose permissions say nothing about the link.
    stat = lstatSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  if (!stat.isFile()) throw fail(`${file} is not a regular file.`);
  const mode = stat.mode & 0o777;
  if (secret && (mode & NOT_OWNER) !== 0) {
    throw fail(`${file} has mode ${mode.toString(8).padStart(4, '0')}: a key must not be accessible by group or others. Run: chmod 600 ${file}`);
  }
  const uid = process.getuid?.();
  if (uid !== undefined && stat.uid !== uid) throw fail(`${file} is owned by uid ${stat.uid}, not by the user running minato (uid ${uid}).`);
  return readFileSync(file);
}

/** Links `content` into place as `file`; returns it, or undefined when another process's file was there first. */
function publish(file: string, content: Buffer, secret: boolean): Buffer | undefined {
  const mode = secret ? 0o600 : 0o644;
  const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const fd = openSync(tmp, 'wx', mode);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    // The umask can only clear bits, but say what is meant.
    chmodSync(tmp, mode);
    linkSync(tmp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return undefined;
    throw err;
  } finally {
    unlinkSync(tmp);
  }
  syncDir(dirname(file));
  return content;
}

// Losing a key loses what it protects, so make its directory entry durable too.
function syncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Some filesystems refuse fsync on directories; the file itself is synced.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
