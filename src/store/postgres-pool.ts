import pg from 'pg';
import { migrate, type Migration, type MigrationLedger } from './postgres-migrations.js';

/** How a PostgreSQL-backed part of minato connects. */
export interface PostgresPoolOptions {
  /** `postgres://user[:password]@host[:port]/database` (libpq's URL form, as `pg` reads it). */
  connectionString: string;
  /** Connections at most. */
  poolSize?: number;
  /** Told when an idle connection fails (the server restarted, the network dropped it). */
  onIdleError?: (err: Error) => void;
}

/** A pool whose schema `migrations` have brought up to date; closed again when migrating fails. */
export async function openMigratedPool(
  options: PostgresPoolOptions,
  defaults: { poolSize: number; applicationName: string },
  migrations?: readonly Migration[],
  ledger?: MigrationLedger,
): Promise<pg.Pool> {
  const pool = new pg.Pool({ connectionString: options.connectionString, max: options.poolSize ?? defaults.poolSize, application_name: defaults.applicationName });
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
 * Runs `fn` in a transaction on one connection of the pool: committed when it resolves, rolled
 * back when it throws. The pool listens for errors of idle connections only; a connection lost
 * while held (the server restarted mid-transaction) would otherwise be an uncaught 'error': the
 * next query fails with it instead, and a connection that failed or cannot even roll back is
 * dropped, not handed to the next caller.
 */
export async function inTransaction<R>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<R>): Promise<R> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const lost = (err: Error) => (broken = err);
  client.on('error', lost);
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch((rollbackErr: Error) => (broken = rollbackErr));
    throw err;
  } finally {
    client.off('error', lost);
    client.release(broken);
  }
}
