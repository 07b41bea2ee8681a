import type pg from 'pg';

/** One step of the PostgreSQL schema; applied once, in version order, and never edited afterwards. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * The advisory-lock class of minato's locks ('mina' in ASCII); the second number names the lock.
 * Two-number keys keep them apart from any single-number advisory lock another program takes.
 */
export const LOCK_CLASS = 0x6d696e61;
/** The lock a migration run holds, so that two processes starting at once migrate one after the other. */
export const MIGRATION_LOCK = 1;

/**
 * The schema. `documents` keeps each key twice: `key_utf16` (the key's UTF-16 code units,
 * big-endian) is its identity and its order, because byte order of UTF-16BE is the port's key
 * order, which the UTF-8 order of text (even under COLLATE "C") is not (a surrogate pair,
 * U+10000 and up, sorts before U+E000..U+FFFF in UTF-16 and after them in UTF-8); it also keeps
 * keys PostgreSQL's text cannot (lone surrogates, NUL) exact. `key` is the same key as text for
 * people and SQL tools. Values are JSON text, not jsonb: jsonb rejects `\u0000` and lone
 * surrogates and reorders object keys, text gives back exactly what was stored.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'documents',
    sql: `
      CREATE TABLE documents (
        collection text COLLATE "C" NOT NULL,
        key_utf16  bytea NOT NULL,
        key        text COLLATE "C" NOT NULL,
        value      text NOT NULL,
        PRIMARY KEY (collection, key_utf16)
      )`,
  },
  {
    // One row per lease (see postgres-leader.ts): who holds it, until when (server time), and
    // the fencing token that grows on every change of holder.
    version: 2,
    name: 'leader_leases',
    sql: `
      CREATE TABLE leader_leases (
        name       text COLLATE "C" PRIMARY KEY,
        holder     text NOT NULL,
        token      bigint NOT NULL,
        expires_at timestamptz NOT NULL
      )`,
  },
];

/**
 * Where a schema records its applied migrations and the lock its runs take. Each schema sharing
 * the database (the document store's, the logs') has its own, so each numbers its own migrations.
 */
export interface MigrationLedger {
  readonly table: string;
  readonly lock: number;
}

/** The document store's ledger. */
export const STORE_LEDGER: MigrationLedger = { table: 'schema_migrations', lock: MIGRATION_LOCK };

const ledgerSql = (table: string) => `
  CREATE TABLE IF NOT EXISTS ${table} (
    version    integer PRIMARY KEY,
    name       text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`;

/** Migrations must be numbered 1, 2, 3…: a gap or a repeat is a programming error. */
function checkNumbering(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration "${m.name}" has version ${m.version}, expected ${i + 1}`);
  });
}

/**
 * Brings the database's schema up to date; returns the versions it applied (none when another
 * process got there first). The whole run is one transaction under an advisory lock: a second
 * process starting at the same time waits, then finds the work done; a failing migration
 * leaves the schema as it was. A database migrated by a newer minato is refused rather than
 * used with a schema this code does not know.
 */
export async function migrate(
  pool: pg.Pool,
  migrations: readonly Migration[] = MIGRATIONS,
  ledger: MigrationLedger = STORE_LEDGER,
): Promise<number[]> {
  checkNumbering(migrations);
  const client = await pool.connect();
  let broken: Error | undefined;
  // A checked-out connection's errors are ours to catch (see PostgresStore's transactions).
  const lost = (err: Error) => (broken = err);
  client.on('error', lost);
  try {
    const { rows: encoding } = await client.query<{ server_encoding: string }>('SHOW server_encoding');
    if (encoding[0]?.server_encoding !== 'UTF8') {
      throw new Error(`the PostgreSQL database must use the UTF8 encoding, not ${encoding[0]?.server_encoding ?? 'unknown'}`);
    }
    await client.query('BEGIN');
    try {
      await client.query('SELECT pg_advisory_xact_lock($1, $2)', [LOCK_CLASS, ledger.lock]);
      await client.query(ledgerSql(ledger.table));
      const { rows } = await client.query<{ version: number }>(`SELECT version FROM ${ledger.table} ORDER BY version`);
      const done = new Set(rows.map((r) => r.version));
      const newest = Math.max(0, ...done);
      if (newest > migrations.length) {
        throw new Error(`the database schema is at version ${newest}, newer than this minato knows (${migrations.length}); upgrade minato`);
      }
      const applied: number[] = [];
      for (const m of migrations) {
        if (done.has(m.version)) continue;
        await client.query(m.sql);
        await client.query(`INSERT INTO ${ledger.table} (version, name) VALUES ($1, $2)`, [m.version, m.name]);
        applied.push(m.version);
      }
      await client.query('COMMIT');
      return applied;
    } catch (err) {
      await client.query('ROLLBACK').catch((rollbackErr: Error) => (broken = rollbackErr));
      throw err;
    }
  } finally {
    client.off('error', lost);
    client.release(broken);
  }
}
