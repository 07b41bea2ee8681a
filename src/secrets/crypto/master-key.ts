import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  fsyncSync,
  linkSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';

/** The master key's file name inside the data dir. */
export const MASTER_KEY_FILE = 'master.key';
/** A master key is 256 bits of randomness, stored as raw bytes. */
export const MASTER_KEY_BYTES = 32;

/** The master key file cannot be used (wrong permissions, owner, type or size). */
export class MasterKeyError extends Error {
  override readonly name = 'MasterKeyError';
}

/**
 * The master key of `<dataDir>/master.key`, created on first use with mode 0600. Every secret value
 * at rest is wrapped by this key, so a file that other users could read (or replace) is refused
 * rather than used: the process then fails to start with a message saying how to fix it.
 */
export function loadOrCreateMasterKey(dataDir: string): Buffer {
  const file = join(dataDir, MASTER_KEY_FILE);
  if (!exists(file)) createMasterKeyFile(dataDir, file);
  return readMasterKey(file);
}

/** Reads and checks an existing master key file. */
export function readMasterKey(file: string): Buffer {
  // lstat: a symbolic link could point at a file whose permissions say nothing about the link.
  const stat = lstatSync(file);
  if (!stat.isFile()) throw new MasterKeyError(`${file} is not a regular file.`);
  const mode = stat.mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new MasterKeyError(
      `${file} has mode ${mode.toString(8).padStart(4, '0')}: the master key must not be accessible by group or others. ` +
        `Run: chmod 600 ${file}`,
    );
  }
  const uid = process.getuid?.();
  if (uid !== undefined && stat.uid !== uid) {
    throw new MasterKeyError(`${file} is owned by uid ${stat.uid}, not by the user running minato (uid ${uid}).`);
  }
  const key = readFileSync(file);
  if (key.length !== MASTER_KEY_BYTES) {
    throw new MasterKeyError(`${file} holds ${key.length} bytes; a master key is ${MASTER_KEY_BYTES} bytes.`);
  }
  return key;
}

function exists(file: string): boolean {
  try {
    lstatSync(file);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

/**
 * Writes a new key to a private temporary file, then links it into place: the link fails if the key
 * appeared meanwhile (another process won the race, and its key is kept), and nobody ever sees a
 * partly written key file.
 */
function createMasterKeyFile(dataDir: string, file: string): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const key = randomBytes(MASTER_KEY_BYTES);
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, key);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
    key.fill(0);
  }
  try {
    // The umask can only clear bits, but say what is meant.
    chmodSync(tmp, 0o600);
    linkSync(tmp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    unlinkSync(tmp);
  }
  syncDir(dataDir);
}

// Losing the key loses every secret, so make its directory entry durable too.
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
