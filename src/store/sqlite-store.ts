import Database from 'better-sqlite3';
import { Mutex } from './mutex.js';
import { preparePrivateDatabaseFile } from './private-file.js';
import type { Collection, ListOptions, Store, Transaction } from './store.js';

type Db = Database.Database;

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS documents (
    collection TEXT NOT NULL,
    key        TEXT NOT NULL,
    value      TEXT NOT NULL,
    PRIMARY KEY (collection, key)
  ) WITHOUT ROWID;
`;

/** Prepared statements for one connection. */
class Statements {
  readonly get;
  readonly put;
  readonly insert;
  readonly delete;
  readonly listAfter;
  readonly listFrom;

  constructor(db: Db) {
    this.get = db.prepare<[string, string], { value: string }>(
      'SELECT value FROM documents WHERE collection = ? AND key = ?',
    );
    this.put = db.prepare<[string, string, string]>(
      'INSERT INTO documents (collection, key, value) VALUES (?, ?, ?) ' +
        'ON CONFLICT (collection, key) DO UPDATE SET value = excluded.value',
    );
    this.insert = db.prepare<[string, string, string]>(
      'INSERT INTO documents (collection, key, value) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
    );
    this.delete = db.prepare<[string, string]>('DELETE FROM documents WHERE collection = ? AND key = ?');
    // Bounded key ranges walk the primary-key index and stop at the upper bound.
    const range = (lower: '>' | '>=') =>
      db.prepare<[string, string, string, number], { key: string; value: string }>(
        `SELECT key, value FROM documents WHERE collection = ? AND key ${lower} ? AND key < ? ORDER BY key LIMIT ?`,
      );
    this.listAfter = range('>');
    this.listFrom = range('>=');
  }
}

/** Sorts after every key (U+10FFFF is the largest code point, in UTF-8 byte order too). */
const AFTER_ALL_KEYS = '\u{10FFFF}';

/** The smallest string greater than every string that starts with `prefix` ('' for none). */
function prefixEnd(prefix: string): string {
  if (prefix === '') return AFTER_ALL_KEYS;
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}

function listRows(stmts: Statements, name: string, options: ListOptions | undefined) {
  const prefix = options?.prefix ?? '';
  const after = options?.after;
  const limit = options?.limit ?? -1;
  const upper = prefixEnd(prefix);
  return after !== undefined && after >= prefix
    ? stmts.listAfter.all(name, after, upper, limit)
    : stmts.listFrom.all(name, prefix, upper, limit);
}

function sqliteCollection<T>(
  reads: Statements,
  writes: Statements,
  name: string,
  beforeWrite: <R>(write: () => R) => Promise<R>,
): Collection<T> {
  return {
    async get(key) {
      const row = reads.get.get(name, key);
      return row ? (JSON.parse(row.value) as T) : undefined;
    },
    async list(options) {
      return listRows(reads, name, options).map((row) => ({ key: row.key, value: JSON.parse(row.value) as T }));
    },
    put: (key, value) => beforeWrite(() => void writes.put.run(name, key, JSON.stringify(value))),
    insert: (key, value) => beforeWrite(() => writes.insert.run(name, key, JSON.stringify(value)).changes === 1),
    delete: (key) => beforeWrite(() => writes.delete.run(name, key).changes === 1),
  };
}

/**
 * The embedded store: one SQLite file in WAL mode. Writes go through one connection, serialised
 * by a mutex because a transaction spans awaits; reads outside transactions use a second
 * connection so they only ever see committed data.
 */
export class SqliteStore implements Store {
  private readonly writer: Db;
  private readonly reader: Db;
  private readonly writes: Statements;
  private readonly reads: Statements;
  private readonly mutex = new Mutex();

  constructor(readonly file: string) {
    preparePrivateDatabaseFile(file);
    this.writer = new Database(file);
    this.writer.pragma('journal_mode = WAL');
    // NORMAL is durable across process crashes in WAL mode; only an OS crash may lose the last commits.
    this.writer.pragma('synchronous = NORMAL');
    this.writer.pragma('busy_timeout = 5000');
    this.writer.exec(SCHEMA);
    this.reader = file === ':memory:' ? this.writer : new Database(file, { readonly: true });
    this.reader.pragma('busy_timeout = 5000');
    this.writes = new Statements(this.writer);
    this.reads = new Statements(this.reader);
  }

  collection<T>(name: string): Collection<T> {
    // A write outside a transaction still takes the mutex, or it could land inside (and be
    // rolled back with) another caller's open transaction on the shared writer connection.
    return sqliteCollection<T>(this.reads, this.writes, name, (write) => this.mutex.run(async () => write()));
  }

  /** The lists run synchronously, one after another: no write lands between them. */
  listAcross<T>(names: readonly string[], prefix: string): Promise<Array<Array<{ key: string; value: T }>>> {
    return Promise.all(names.map((name) => this.collection<T>(name).list({ prefix })));
  }

  transaction<R>(fn: (tx: Transaction) => Promise<R>): Promise<R> {
    return this.mutex.run(async () => {
      const tx: Transaction = {
        collection: <T>(name: string) => sqliteCollection<T>(this.writes, this.writes, name, async (write) => write()),
      };
      this.writer.exec('BEGIN IMMEDIATE');
      try {
        const result = await fn(tx);
        this.writer.exec('COMMIT');
        return result;
      } catch (err) {
        if (this.writer.inTransaction) this.writer.exec('ROLLBACK');
        throw err;
      }
    });
  }

  async close(): Promise<void> {
    await this.mutex.run(async () => {
      if (this.reader !== this.writer) this.reader.close();
      this.writer.close();
    });
  }
}
