import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction, openMigratedPool, query } from './postgres-pool.js';
import { postgresMissing, startPostgresServer, type PostgresServer } from './postgres-server.fixtures.js';
import { PostgresStore } from './postgres-store.js';

// The store and its pool across restarts of their server: what fails while it is down fails
// with an error (never a hang, never a crash), and the same store works again once it is back.
const missing = postgresMissing();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(missing !== undefined)(missing ?? 'PostgreSQL restarts', () => {
  let server: PostgresServer;
  const closing: { close(): Promise<void> }[] = [];
  beforeAll(async () => {
    server = await startPostgresServer();
  });
  afterAll(async () => {
    for (const c of closing) await c.close();
    await server?.stop();
  });

  async function open(outageWaitMs?: number) {
    const idleErrors: string[] = [];
    const store = await PostgresStore.open({
      connectionString: await server.createDatabase(),
      poolSize: 3,
      onIdleError: (err) => idleErrors.push((err as { code?: string }).code ?? err.message),
      ...(outageWaitMs !== undefined && { outageWaitMs }),
    });
    closing.push(store);
    return { store, idleErrors };
  }

  it.each(['fast', 'immediate'] as const)(
    'fails what is asked while the server is down, once the wait is over, and works again after a %s restart without reopening',
    async (mode) => {
      const { store, idleErrors } = await open(300);
      const docs = store.collection<number>('docs');
      await docs.put('before', 1);
      // Idle connections for the restart to close: two reads at once hold two.
      await Promise.all([docs.get('before'), docs.list()]);
      await server.restart(mode, async () => {
        const started = performance.now();
        await expect(store.transaction(async (tx) => tx.collection<number>('docs').put('down', 2))).rejects.toThrow(/ECONNREFUSED/);
        expect(performance.now() - started).toBeGreaterThanOrEqual(250);
        await expect(docs.put('down', 3)).rejects.toThrow(/ECONNREFUSED/);
        await expect(docs.get('before')).rejects.toThrow(/ECONNREFUSED/);
      });
      await store.transaction(async (tx) => tx.collection<number>('docs').put('after', 4));
      expect(await docs.list()).toEqual([
        { key: 'after', value: 4 },
        { key: 'before', value: 1 },
      ]);
      // The closed idle connections were reported, not thrown (the test process is still here).
      expect(idleErrors.length).toBeGreaterThan(0);
    },
  );

  it('waits out a short outage: writes issued while the server is down land once it is back', async () => {
    const { store } = await open();
    const docs = store.collection<number>('docs');
    await docs.put('before', 1);
    let pending: Promise<unknown>[] = [];
    await server.restart('immediate', async () => {
      pending = [
        store.transaction(async (tx) => tx.collection<number>('docs').put('during', 2)),
        docs.put('during-too', 3),
        docs.get('before'),
      ];
      await sleep(500);
    });
    expect(await Promise.all(pending)).toEqual([undefined, undefined, 1]);
    expect((await docs.list()).map((e) => e.key)).toEqual(['before', 'during', 'during-too']);
  });

  it('fails a transaction whose connection the server closed mid-way, and does not keep the write', async () => {
    const { store } = await open(200);
    const docs = store.collection<number>('docs');
    const restarted = store.transaction(async (tx) => {
      await tx.collection<number>('docs').put('mid', 1);
      await server.restart('fast');
      await tx.collection<number>('docs').put('mid-2', 2);
    });
    await expect(restarted).rejects.toThrow(/terminat|not queryable/i);
    expect(await docs.list()).toEqual([]);
    await docs.put('next', 3);
    expect(await docs.get('next')).toBe(3);
  });

  describe('the pool', () => {
    it('does not acknowledge a transaction whose COMMIT the server turned into a rollback', async () => {
      const pool = await openMigratedPool({ connectionString: await server.createDatabase() }, { poolSize: 2, applicationName: 'test' }, []);
      closing.push({ close: () => pool.end() });
      await query(pool, 'CREATE TABLE t (n int)');
      const swallowed = inTransaction(pool, async (client) => {
        await client.query('INSERT INTO t VALUES (1)');
        // A failed statement aborts the transaction even though the function carries on.
        await client.query('SELECT 1 / 0').catch(() => undefined);
        return 'done';
      });
      await expect(swallowed).rejects.toThrow(/did not commit.*ROLLBACK/);
      expect((await query(pool, 'SELECT count(*)::int AS n FROM t')).rows).toEqual([{ n: 0 }]);
    });

    it('makes commits durable on a database that turned synchronous_commit off, and keeps any other setting', async () => {
      const admin = new pg.Client({ connectionString: server.url() });
      await admin.connect();
      try {
        const offUrl = await server.createDatabase();
        const localUrl = await server.createDatabase();
        await admin.query(`ALTER DATABASE ${new URL(offUrl).pathname.slice(1)} SET synchronous_commit = off`);
        await admin.query(`ALTER DATABASE ${new URL(localUrl).pathname.slice(1)} SET synchronous_commit = local`);
        for (const [url, expected] of [
          [offUrl, 'on'],
          [localUrl, 'local'],
        ] as const) {
          const pool = await openMigratedPool({ connectionString: url }, { poolSize: 1, applicationName: 'test' }, []);
          closing.push({ close: () => pool.end() });
          expect((await query<{ synchronous_commit: string }>(pool, 'SHOW synchronous_commit')).rows[0]?.synchronous_commit).toBe(expected);
        }
      } finally {
        await admin.end();
      }
    });
  });
});
