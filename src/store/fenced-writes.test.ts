import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FencedOutError, runFenced } from './fence.js';
import { PostgresLeaderLease } from './postgres-leader.js';
import { inTransaction } from './postgres-pool.js';
import { postgresMissing, startPostgresServer, type PostgresServer } from './postgres-server.fixtures.js';
import { PostgresStore } from './postgres-store.js';

const missing = postgresMissing();

describe.skipIf(missing !== undefined)(missing ?? 'writes fenced by the leader lease', () => {
  let server: PostgresServer;
  beforeAll(async () => {
    server = await startPostgresServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('lands while the lease is held and is refused, storing nothing, once another process took it over', async () => {
    const url = await server.createDatabase();
    const store = await PostgresStore.open({ connectionString: url });
    const a = await PostgresLeaderLease.start({ connectionString: url, holder: 'a', leaseMs: 600, renewEveryMs: 100 });
    try {
      const docs = store.collection<{ by: string }>('docs');
      const fenceA = a.fence()!;
      expect(fenceA).toEqual({ name: 'minato', holder: 'a', token: 1 });
      await runFenced(() => fenceA, () => docs.put('first', { by: 'a' }));
      expect(await docs.get('first')).toEqual({ by: 'a' });

      // a dies without releasing; b takes over once the lease ran out.
      await a.stop({ release: false });
      const b = await PostgresLeaderLease.start({ connectionString: url, holder: 'b', leaseMs: 600, renewEveryMs: 100 });
      try {
        const deadline = Date.now() + 5_000;
        while (!b.isLeader() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
        expect(b.fence()?.token).toBe(2);
        // a, paused through all this, still believes its old fence: its write is refused inside
        // the transaction, and a transaction under it leaves no trace.
        await expect(runFenced(() => fenceA, () => docs.put('stale', { by: 'a' }))).rejects.toThrow(FencedOutError);
        await expect(
          runFenced(
            () => fenceA,
            () => store.transaction(async (tx) => tx.collection<{ by: string }>('docs').put('stale-tx', { by: 'a' })),
          ),
        ).rejects.toThrow(FencedOutError);
        expect(await docs.get('stale')).toBeUndefined();
        expect(await docs.get('stale-tx')).toBeUndefined();
        // The other PostgreSQL stores (logs, metrics, alarms) write through the same transaction helper.
        const pool = new pg.Pool({ connectionString: url, max: 1 });
        try {
          await pool.query('CREATE TABLE other_store (v text)');
          await expect(runFenced(() => fenceA, () => inTransaction(pool, (c) => c.query("INSERT INTO other_store VALUES ('stale')")))).rejects.toThrow(FencedOutError);
          await runFenced(() => b.fence(), () => inTransaction(pool, (c) => c.query("INSERT INTO other_store VALUES ('fresh')")));
          expect((await pool.query<{ v: string }>('SELECT v FROM other_store')).rows).toEqual([{ v: 'fresh' }]);
        } finally {
          await pool.end();
        }
        // The new leader's fenced writes, and anyone's unfenced ones (API requests), land.
        await runFenced(() => b.fence(), () => docs.put('second', { by: 'b' }));
        await docs.put('request', { by: 'a' });
        expect((await docs.list()).map((d) => d.key)).toEqual(['first', 'request', 'second']);
      } finally {
        await b.stop();
      }
    } finally {
      await a.stop();
      await store.close();
    }
  });

  it('refuses without asking the database when the lease is known lost, and follows timers the work starts', async () => {
    const url = await server.createDatabase();
    const store = await PostgresStore.open({ connectionString: url });
    try {
      const lease: { held?: { name: string; holder: string; token: number } } = {};
      const docs = store.collection<number>('n');
      const later = runFenced(
        () => lease.held,
        () => new Promise<void>((resolve, reject) => setTimeout(() => docs.put('k', 1).then(resolve, reject), 10)),
      );
      await expect(later).rejects.toThrow('the leader lease was lost');
      expect(await docs.get('k')).toBeUndefined();
      lease.held = { name: 'minato', holder: 'nobody', token: 7 };
      // A fence naming a lease row that does not exist is refused by the database check too.
      await expect(runFenced(() => lease.held, () => docs.put('k', 2))).rejects.toThrow(FencedOutError);
    } finally {
      await store.close();
    }
  });
});
