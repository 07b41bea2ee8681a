import type pg from 'pg';
import { Mutex } from './mutex.js';
import { LOCK_CLASS } from './postgres-migrations.js';
import { inTransaction, openMigratedPool, prepared, waitingQueryable, type Queryable } from './postgres-pool.js';
import type { Collection, ListOptions, Store, Transaction } from './store.js';

/**
 * The lock every writing transaction holds (see {@link PostgresStore}): writers of all
 * processes on one database take turns, as SQLite's BEGIN IMMEDIATE makes them.
 */
const WRITER_LOCK = 2;


/** The key's identity and order in the table: its UTF-16 code units, big-endian. */
export function utf16Key(key: string): Buffer {
  return Buffer.from(key, 'utf16le').swap16();
}

function keyFromUtf16(bytes: Buffer): string {
  return Buffer.from(bytes).swap16().toString('utf16le');
}

/** The key as readable text: what PostgreSQL's text cannot hold (NUL, lone surrogates) becomes U+FFFD. */
function readableKey(key: string): string {
  return key.replace(/\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/**
 * The smallest string of code units greater than every string that starts with `prefix`, or
 * undefined when there is none (no prefix, or only U+FFFF units).
 */
export function prefixEnd(prefix: string): string | undefined {
  let end = prefix;
  while (end.endsWith('\uFFFF')) end = end.slice(0, -1);
  if (end === '') return undefined;
  return end.slice(0, -1) + String.fromCharCode(end.charCodeAt(end.length - 1) + 1);
}

/** One query text per bound shape, so that each bound is an index condition (no `$n IS NULL OR`). */
function listQuery(exclusiveLower: boolean, upper: boolean): string {
  return (
    `SELECT key_utf16, value FROM documents WHERE collection = $1 AND key_utf16 ${exclusiveLower ? '>' : '>='} $2` +
    (upper ? ' AND key_utf16 < $4' : '') +
    ' ORDER BY key_utf16 LIMIT $3'
  );
}

async function listRows(db: Queryable, name: string, options: ListOptions | undefined) {
  const prefix = options?.prefix ?? '';
  const after = options?.after;
  const limit = options?.limit !== undefined && options.limit >= 0 ? options.limit : null;
  const end = prefixEnd(prefix);
  // JavaScript compares strings by UTF-16 code units, the table's order.
  const exclusive = after !== undefined && after >= prefix;
  const values: unknown[] = [name, utf16Key(exclusive ? after : prefix), limit];
  if (end !== undefined) values.push(utf16Key(end));
  const { rows } = await db.query<{ key_utf16: Buffer; value: string }>(prepared(listQuery(exclusive, end !== undefined)), values);
  return rows;
}

const GET = prepared('SELECT value FROM documents WHERE collection = $1 AND key_utf16 = $2');
const PUT = prepared(
  'INSERT INTO documents (collection, key_utf16, key, value) VALUES ($1, $2, $3, $4) ' +
    'ON CONFLICT (collection, key_utf16) DO UPDATE SET value = excluded.value',
);
const INSERT = prepared('INSERT INTO documents (collection, key_utf16, key, value) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING');
const LIST_ACROSS_TEXT = 'SELECT collection, key_utf16, value FROM documents WHERE collection = ANY($1) AND key_utf16 >= $2';
const LIST_ACROSS = prepared(`${LIST_ACROSS_TEXT} ORDER BY collection, key_utf16`);
const LIST_ACROSS_BELOW = prepared(`${LIST_ACROSS_TEXT} AND key_utf16 < $3 ORDER BY collection, key_utf16`);
const DELETE = prepared('DELETE FROM documents WHERE collection = $1 AND key_utf16 = $2');

/** Runs one write with a client that may write (inside the caller's transaction, or a new one). */
type Write = <R>(write: (db: Queryable) => Promise<R>) => Promise<R>;

function pgCollection<T>(reads: () => Queryable, name: string, write: Write): Collection<T> {
  return {
    async get(key) {
      const { rows } = await reads().query<{ value: string }>(GET, [name, utf16Key(key)]);
      return rows[0] ? (JSON.parse(rows[0].value) as T) : undefined;
    },
    async list(options) {
      const rows = await listRows(reads(), name, options);
      return rows.map((row) => ({ key: keyFromUtf16(row.key_utf16), value: JSON.parse(row.value) as T }));
    },
    put: (key, value) => write(async (db) => void (await db.query(PUT, [name, utf16Key(key), readableKey(key), JSON.stringify(value)]))),
    insert: (key, value) =>
      write(async (db) => (await db.query(INSERT, [name, utf16Key(key), readableKey(key), JSON.stringify(value)])).rowCount === 1),
    delete: (key) =>
      write(async (db) => (await db.query(DELETE, [name, utf16Key(key)])).rowCount === 1),
  };
}

/** How to reach the database. */
export interface PostgresStoreOptions {
  /** `postgres://user[:password]@host[:port]/database` (libpq's URL form, as `pg` reads it). */
  connectionString: string;
  /** Connections at most (default 10); reads use them all, writers one at a time per process. */
  poolSize?: number;
  /** Told when an idle connection fails (the server restarted, the network dropped it). */
  onIdleError?: (err: Error) => void;
  /** How long callers wait for a server that went away (default 10 s; see postgres-outage.ts). */
  outageWaitMs?: number;
}

/**
 * The store on a PostgreSQL server, which several minato processes can share.
 *
 * Writers are serialised rather than retried. Each transaction (and each write outside one)
 * takes an in-process mutex, then, inside its database transaction, a transaction-level
 * advisory lock that every process takes the same way: the next writer starts only after the
 * previous one committed, and at READ COMMITTED each statement sees every earlier commit, so a
 * read-modify-write cannot be lost. SERIALIZABLE with retries would let writers of unrelated
 * documents run at once, but a retry runs the caller's function again, and transaction
 * functions are not written for that: they may build results in outside variables, and nothing
 * checks they stay free of other effects. The mutex keeps a process's waiting writers off the
 * pool, so reads (which never lock) always find a connection. Reads outside transactions run on
 * their own pooled connections and see only committed data.
 */
export class PostgresStore implements Store {
  private readonly mutex = new Mutex();
  private closed = false;
  /** Reads outside transactions: they wait out an outage for a connection. */
  private readonly reads: Queryable;

  private constructor(private readonly pool: pg.Pool) {
    this.reads = waitingQueryable(pool);
  }

  /** Connects, brings the schema up to date (see `postgres-migrations.ts`) and returns the store. */
  static async open(options: PostgresStoreOptions): Promise<PostgresStore> {
    const pool = await openMigratedPool(options, { poolSize: 10, applicationName: 'minato' });
    return new PostgresStore(pool);
  }

  collection<T>(name: string): Collection<T> {
    return pgCollection<T>(() => this.reads, name, (write) => this.locked(write));
  }

  async listAcross<T>(names: readonly string[], prefix: string): Promise<Array<Array<{ key: string; value: T }>>> {
    const end = prefixEnd(prefix);
    const values: unknown[] = [[...names], utf16Key(prefix)];
    if (end !== undefined) values.push(utf16Key(end));
    const { rows } = await this.reads.query<{ collection: string; key_utf16: Buffer; value: string }>(end === undefined ? LIST_ACROSS : LIST_ACROSS_BELOW, values);
    const lists = names.map(() => [] as Array<{ key: string; value: T }>);
    const index = new Map(names.map((name, i) => [name, i]));
    for (const row of rows) lists[index.get(row.collection)!]!.push({ key: keyFromUtf16(row.key_utf16), value: JSON.parse(row.value) as T });
    return lists;
  }

  transaction<R>(fn: (tx: Transaction) => Promise<R>): Promise<R> {
    return this.locked(async (client) => {
      let over = false;
      // A write that the function fires and does not await must not land after the rollback,
      // outside any transaction: once the transaction is over its collections refuse.
      const open = (): Queryable => {
        if (over) throw new Error('the transaction is over');
        return client;
      };
      const tx: Transaction = { collection: <T>(name: string) => pgCollection<T>(open, name, async (write) => write(open())) };
      try {
        return await fn(tx);
      } finally {
        over = true;
      }
    });
  }

  /** Runs `body` in a database transaction holding the writer lock; commits if it resolves. */
  private locked<R>(body: (client: pg.PoolClient) => Promise<R>): Promise<R> {
    return this.mutex.run(async () => {
      if (this.closed) throw new Error('the store is closed');
      // Writers of every process take turns on the writer lock; leader's work is fenced there too.
      return inTransaction(this.pool, body, { lock: [LOCK_CLASS, WRITER_LOCK] });
    });
  }

  async close(): Promise<void> {
    await this.mutex.run(async () => {
      if (this.closed) return;
      this.closed = true;
      await this.pool.end();
    });
  }
}
