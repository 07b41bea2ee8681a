import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

/** The file whose lock says who owns the data dir. */
export const LOCK_FILE = 'minato.lock';
/** Beside it, who holds the lock (only for the message a second process prints). */
export const HOLDER_FILE = 'minato.lock.json';

/** Who holds a data dir's lock. */
export interface LockHolder {
  pid: number;
  host: string;
  /** The command that holds it: `up` or `agent`. */
  command: string;
  startedAt: string;
  /** Where the holder listens, once it does. */
  endpoint?: string;
}

/** Another process owns the data dir. */
export class DataDirLockedError extends Error {
  override readonly name = 'DataDirLockedError';
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder | undefined,
  ) {
    const who = holder
      ? `minato ${holder.command} (pid ${holder.pid} on ${holder.host}, since ${holder.startedAt}${holder.endpoint ? `, at ${holder.endpoint}` : ''})`
      : 'another process';
    super(`the data dir ${dataDir} is in use by ${who}; stop it first, or choose another --data-dir`);
  }
}

/**
 * One owner per data dir, for the owner's whole life. Node has no flock, but SQLite takes POSIX
 * record locks (fcntl): a connection in `locking_mode=EXCLUSIVE` that has written once keeps its
 * write lock until it closes, and the kernel drops the lock when the process dies in any way,
 * kill -9 included, so there is never a stale lock to clean up (a pid file would need a liveness
 * guess, fooled by recycled pids). The lock is tried without waiting. Since nobody can read a
 * database locked that way, who holds it is written to a small JSON file beside it; that file is
 * only a message, never what decides ownership.
 */
export class DataDirLock {
  private constructor(
    private readonly dataDir: string,
    private readonly db: Database.Database,
    private holder: LockHolder,
  ) {}

  /** Takes the lock of `dataDir` (which must exist), or throws DataDirLockedError naming the holder. */
  static acquire(dataDir: string, command: string): DataDirLock {
    const file = join(dataDir, LOCK_FILE);
    createPrivate(file);
    const db = new Database(file, { timeout: 0 });
    try {
      db.pragma('locking_mode = EXCLUSIVE');
      db.pragma('journal_mode = MEMORY');
      // A write, every time: only a write takes the exclusive lock that the mode then keeps.
      db.exec('CREATE TABLE IF NOT EXISTS owner (id INTEGER PRIMARY KEY, pid INTEGER NOT NULL)');
      db.prepare('INSERT OR REPLACE INTO owner (id, pid) VALUES (1, ?)').run(process.pid);
    } catch (err) {
      db.close();
      if ((err as { code?: string }).code === 'SQLITE_BUSY') throw new DataDirLockedError(dataDir, readHolder(dataDir));
      throw err;
    }
    const lock = new DataDirLock(dataDir, db, { pid: process.pid, host: hostname(), command, startedAt: new Date().toISOString() });
    lock.writeHolder();
    return lock;
  }

  /** Records where the holder listens, for the message of the next process that tries. */
  announce(endpoint: string): void {
    this.holder = { ...this.holder, endpoint };
    this.writeHolder();
  }

  /** Lets the data dir go (the process exiting does the same). */
  release(): void {
    if (!this.db.open) return;
    rmSync(join(this.dataDir, HOLDER_FILE), { force: true });
    this.db.close();
  }

  private writeHolder(): void {
    const file = join(this.dataDir, HOLDER_FILE);
    const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(this.holder)}\n`, { mode: 0o600 });
    renameSync(tmp, file);
  }
}

/**
 * Creates the lock file 0600 before SQLite opens it (SQLite would create it 0644). An existing
 * one is never opened here: closing any descriptor of a file drops every POSIX lock this process
 * holds on it, so a second attempt in the holder's own process would free the holder's lock.
 */
function createPrivate(file: string): void {
  try {
    closeSync(openSync(file, 'wx', 0o600));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
}

/** The holder as last recorded, if the file is there and readable. */
function readHolder(dataDir: string): LockHolder | undefined {
  try {
    const h = JSON.parse(readFileSync(join(dataDir, HOLDER_FILE), 'utf8')) as Partial<LockHolder>;
    if (typeof h.pid !== 'number' || typeof h.host !== 'string' || typeof h.command !== 'string' || typeof h.startedAt !== 'string') return undefined;
    return { pid: h.pid, host: h.host, command: h.command, startedAt: h.startedAt, ...(typeof h.endpoint === 'string' && { endpoint: h.endpoint }) };
  } catch {
    return undefined;
  }
}
