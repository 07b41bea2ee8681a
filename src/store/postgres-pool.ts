import pg from 'pg';
import { currentFence, FencedOutError } from './fence.js';
import { migrate, type Migration, type MigrationLedger } from './postgres-migrations.js';
import { isConnectionFailure, Outage } from './postgres-outage.js';

/** How a PostgreSQL-backed part of minato connects. */
export interface PostgresPoolOptions {
  /** `postgres://user[:password]@host[:port]/database` (libpq's URL form, as `pg` reads it). */
  connectionString: string;
  /** Connections at most. */
  poolSize?: number;
  /** Told when an idle connection fails (the server restarted, the network dropped it). */
  onIdleError?: (err: Error) => void;
  /** How long callers wait for a server that went away, from the first failure (default 10 s; see Outage). */
  outageWaitMs?: number;
}

/** Each pool's outage (see {@link hold}); a pool made elsewhere gets the default wait. */
const outages = new WeakMap<pg.Pool, Outage>();

function outageOf(pool: pg.Pool): Outage {
  let outage = outages.get(pool);
  if (!outage) outages.set(pool, (outage = new Outage()));
  return outage;
}

/**
 * Acknowledging a write promises it survives the server's crash, which a commit does only once
 * its WAL is flushed: a database or server that turned synchronous_commit off (commits
 * acknowledged before the flush) is overridden for minato's sessions. Every other setting
 * flushes locally, and those that also wait for standbys are kept.
 */
const DURABLE_COMMITS = "SELECT set_config('synchronous_commit', 'on', false) WHERE current_setting('synchronous_commit') = 'off'";

/** Connecting to a server that does not answer at all (a dropped route) gives up after this. */
const CONNECT_TIMEOUT_MS = 10_000;

/** A pool whose schema `migrations` have brought up to date; closed again when migrating fails. */
export async function openMigratedPool(
  options: PostgresPoolOptions,
  defaults: { poolSize: number; applicationName: string },
  migrations?: readonly Migration[],
  ledger?: MigrationLedger,
): Promise<pg.Pool> {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.poolSize ?? defaults.poolSize,
    application_name: defaults.applicationName,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    // A connection whose server vanished without a word (no FIN, no RST) is found out by the OS.
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    onConnect: async (client) => void (await client.query(DURABLE_COMMITS)),
  });
  outages.set(pool, new Outage(options.outageWaitMs));
  // Without a listener, an idle connection's failure would be an uncaught 'error' event.
  pool.on('error', (err) => options.onIdleError?.(err));
  try {
    await migrate(pool, migrations, ledger);
  } catch (err) {
    await pool.end();
    throw err;
  }
  return pool;
}

/**
 * A connection of the pool held by one caller. The pool listens for errors of idle connections
 * only; a connection lost while held (the server restarted mid-transaction) would otherwise be
 * an uncaught 'error': the next query fails with it instead, and a connection that failed is
 * dropped on release, not handed to the next caller.
 */
interface Held {
  readonly client: pg.PoolClient;
  broken: Error | undefined;
  release(): void;
}

/** A connection, once the server answers (waiting out an outage, see Outage). */
async function hold(pool: pg.Pool): Promise<Held> {
  const client = await outageOf(pool).retry(() => pool.connect());
  const lost = (err: Error) => (held.broken = err);
  const held: Held = {
    client,
    broken: undefined,
    release() {
      client.off('error', lost);
      client.release(held.broken);
    },
  };
  client.on('error', lost);
  return held;
}

/**
 * Runs one statement on a connection of the pool, as `pool.query` does, but waits out an outage
 * for the connection. The statement itself is never repeated: once sent, it may have run.
 */
export async function query<R extends pg.QueryResultRow = pg.QueryResultRow>(pool: pg.Pool, text: Statement, values?: unknown[]): Promise<pg.QueryResult<R>> {
  const held = await hold(pool);
  try {
    return await held.client.query<R>(text, values);
  } catch (err) {
    // An error of the statement leaves the connection usable; a lost one is dropped.
    if (isConnectionFailure(err)) held.broken = err as Error;
    throw err;
  } finally {
    held.release();
  }
}

/** A statement's text, or a prepared statement's name and text (see {@link prepared}). */
export type Statement = string | { name: string; text: string };

/** Runs statements: one connection, or the pool through {@link query}. */
export interface Queryable {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: Statement, values?: unknown[]): Promise<pg.QueryResult<R>>;
}

const statementNames = new Map<string, string>();

/**
 * The statement as a prepared one: each connection parses and plans it once, then only binds
 * and runs it, which halves the server's work for the store's small, frequent statements. The
 * name is fixed per text for the life of the process (a connection keeps its prepared statements).
 */
export function prepared(text: string): { name: string; text: string } {
  let name = statementNames.get(text);
  if (name === undefined) statementNames.set(text, (name = `minato_${statementNames.size + 1}`));
  return { name, text };
}

/** The pool as a {@link Queryable} whose statements wait out an outage for their connection. */
export function waitingQueryable(pool: pg.Pool): Queryable {
  return { query: (text, values) => query(pool, text, values) };
}

/**
 * A held connection with a transaction begun. A connection that fails at BEGIN (an idle one
 * the restarted server had closed, its notice not read yet) did nothing: it is replaced.
 */
async function begin(pool: pg.Pool): Promise<Held> {
  return outageOf(pool).retry(async () => {
    const held = await hold(pool);
    try {
      await held.client.query('BEGIN');
      return held;
    } catch (err) {
      held.broken = err as Error;
      held.release();
      throw err;
    }
  });
}

/** A fenced write goes on only while its lease is held, with its token, by the server's clock. */
const FENCE_HELD = prepared('SELECT 1 FROM leader_leases WHERE name = $1 AND holder = $2 AND token = $3 AND expires_at > now()');
const TAKE_LOCK = prepared('SELECT pg_advisory_xact_lock($1, $2)');

/**
 * Runs `fn` in a transaction on one connection of the pool: committed when it resolves, rolled
 * back when it throws. With `lock`, the transaction first takes that advisory lock. Leader's work
 * (store/fence.ts) is fenced here: its transaction goes on only while the lease is still held. It resolves only once COMMIT succeeded: a COMMIT that failed, or that
 * the server turned into a rollback (a statement failed and `fn` caught it), throws, so nothing
 * is acknowledged that did not commit. A connection that cannot even roll back is dropped.
 */
export async function inTransaction<R>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<R>, options: { lock?: readonly [number, number] } = {}): Promise<R> {
  // Read when the write starts: leader's work whose lease is known lost is refused here.
  const fence = currentFence();
  const held = await begin(pool);
  const { client } = held;
  try {
    if (options.lock) await client.query(TAKE_LOCK, [...options.lock]);
    // Checked after the lock: a new leader's writes queue behind this one, so once one of them has
    // landed no write of the old leader can follow it.
    if (fence && (await client.query(FENCE_HELD, [fence.name, fence.holder, fence.token])).rowCount !== 1) {
      throw new FencedOutError(`the lease ${fence.name} is no longer held with token ${fence.token}`);
    }
    const result = await fn(client);
    const commit = await client.query('COMMIT');
    if (commit.command !== 'COMMIT') throw new Error(`the transaction did not commit (the server answered ${commit.command})`);
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch((rollbackErr: Error) => (held.broken = rollbackErr));
    throw err;
  } finally {
    held.release();
  }
}
