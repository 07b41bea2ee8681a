import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, MIGRATIONS, type Migration } from './postgres-migrations.js';
import { postgresMissing, startPostgresServer, type PostgresServer } from './postgres-server.fixtures.js';
import { PostgresStore, prefixEnd, utf16Key } from './postgres-store.js';
import { describeStoreSuite } from './store-suite.js';

/** Code units that sit on the boundaries of UTF-16 and UTF-8 order, and any other. */
const unit = fc.oneof(
  fc.constantFrom('a', 'b', '/', '\u0000', 'é', '\uD83D', '\uDE00', '\uDBFF', '\uDFFF', '\uE000', '\uFFFE', '\uFFFF'),
  fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n)),
);
const key = fc.string({ unit, maxLength: 6 });

describe('PostgreSQL key order', () => {
  it('orders UTF-16BE keys as JavaScript orders strings', () => {
    fc.assert(
      fc.property(key, key, (a, b) => {
        expect(Math.sign(Buffer.compare(utf16Key(a), utf16Key(b)))).toBe(a < b ? -1 : a > b ? 1 : 0);
      }),
    );
  });

  it('bounds exactly the keys that start with a prefix', () => {
    fc.assert(
      fc.property(key, key, (prefix, k) => {
        const end = prefixEnd(prefix);
        expect(k >= prefix && (end === undefined || k < end)).toBe(k.startsWith(prefix));
      }),
    );
  });
});

// Without the server binaries the block is skipped under a name that says why.
const missing = postgresMissing();

describe.skipIf(missing !== undefined)(missing ?? 'PostgresStore', () => {
  let server: PostgresServer;
  beforeAll(async () => {
    server = await startPostgresServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  const open = (connectionString: string) => PostgresStore.open({ connectionString, poolSize: 4 });

  describeStoreSuite('postgres', async () => open(await server.createDatabase()));

  it('orders surrogate pairs as UTF-16 does and keeps keys PostgreSQL text cannot hold', async () => {
    const store = await open(await server.createDatabase());
    const c = store.collection<number>('unicode');
    // In UTF-8 (and code point) order U+1F600 sorts after U+FFFF; in UTF-16 before U+E000.
    const keys = ['\uFFFF', '\u{1F600}', '\uE000', '\u{1F600}/x', 'a\u0000b', 'a', '\uD800', '\uDC00', '\u{10FFFF}'];
    for (const [i, k] of keys.entries()) await c.put(k, i);
    expect((await c.list()).map((e) => e.key)).toEqual([...keys].sort());
    expect((await c.list({ prefix: '\u{1F600}' })).map((e) => e.key)).toEqual(['\u{1F600}', '\u{1F600}/x']);
    // A prefix ending in a high surrogate selects the pairs that start with it.
    expect((await c.list({ prefix: '\uD83D' })).map((e) => e.key)).toEqual(['\u{1F600}', '\u{1F600}/x']);
    expect((await c.list({ after: '\u{1F600}/x', limit: 2 })).map((e) => e.key)).toEqual(['\u{10FFFF}', '\uDC00']);
    expect(await c.get('\uD800')).toBe(6);
    expect(await c.get('a\u0000b')).toBe(4);
    expect(await c.insert('\uDC00', 0)).toBe(false);
    await store.close();
  });

  it('keeps documents across close and reopen, and a closed store refuses', async () => {
    const url = await server.createDatabase();
    const first = await open(url);
    await first.collection<{ s: string }>('c').put('k', { s: 'v\u0000\uD800' });
    await first.close();
    await expect(first.collection('c').put('k', 1)).rejects.toThrow('closed');
    const second = await open(url);
    expect(await second.collection<{ s: string }>('c').get('k')).toEqual({ s: 'v\u0000\uD800' });
    await second.close();
  });

  it('loses no increment when two stores on one database read, modify and write at once', async () => {
    const url = await server.createDatabase();
    const stores = [await open(url), await open(url)];
    await stores[0]!.collection<number>('counter').put('n', 0);
    const increment = (store: PostgresStore) =>
      store.transaction(async (tx) => {
        const c = tx.collection<number>('counter');
        const n = (await c.get('n')) ?? 0;
        await new Promise((r) => setTimeout(r, 1));
        await c.put('n', n + 1);
      });
    await Promise.all(Array.from({ length: 40 }, (_, i) => increment(stores[i % 2]!)));
    expect(await stores[1]!.collection<number>('counter').get('n')).toBe(40);
    await Promise.all(stores.map((s) => s.close()));
  });

  it('shows another store only committed data, and nothing of a failed transaction', async () => {
    const url = await server.createDatabase();
    const [a, b] = [await open(url), await open(url)];
    await b.collection<number>('c').put('kept', 7);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let written!: () => void;
    const wrote = new Promise<void>((r) => (written = r));
    const failing = a.transaction(async (tx) => {
      await tx.collection<number>('c').put('x', 1);
      expect(await tx.collection<number>('c').delete('kept')).toBe(true);
      written();
      await gate;
      throw new Error('rollback');
    });
    await wrote;
    // Mid-transaction, the other store reads the committed state only.
    expect(await b.collection<number>('c').list()).toEqual([{ key: 'kept', value: 7 }]);
    release();
    await expect(failing).rejects.toThrow('rollback');
    expect(await b.collection<number>('c').list()).toEqual([{ key: 'kept', value: 7 }]);
    expect(await a.collection<number>('c').list()).toEqual([{ key: 'kept', value: 7 }]);
    await Promise.all([a.close(), b.close()]);
  });

  it('refuses a write the transaction function fires after it has finished', async () => {
    const store = await open(await server.createDatabase());
    let late!: () => Promise<void>;
    await store.transaction(async (tx) => {
      late = () => tx.collection<number>('c').put('late', 1);
    });
    await expect(late()).rejects.toThrow('the transaction is over');
    expect(await store.collection<number>('c').get('late')).toBeUndefined();
    await store.close();
  });

  it('fails a transaction whose connection the server ends, and goes on with a new one', async () => {
    const url = await server.createDatabase();
    const store = await open(url);
    await store.collection<number>('c').put('n', 1);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let inside!: () => void;
    const started = new Promise<void>((r) => (inside = r));
    const doomed = store.transaction(async (tx) => {
      await tx.collection<number>('c').put('n', 2);
      inside();
      await gate;
      await tx.collection<number>('c').put('m', 3);
    });
    await started;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      const { rows } = await admin.query<{ ended: boolean }>(
        `SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity WHERE datname = current_database() AND state = 'idle in transaction'`,
      );
      expect(rows).toEqual([{ ended: true }]);
    } finally {
      await admin.end();
    }
    // Let the termination reach the client while it sits between queries.
    await new Promise((r) => setTimeout(r, 100));
    release();
    await expect(doomed).rejects.toThrow();
    expect(await store.collection<number>('c').list()).toEqual([{ key: 'n', value: 1 }]);
    await store.collection<number>('c').put('n', 4);
    expect(await store.collection<number>('c').get('n')).toBe(4);
    await store.close();
  });

  describe('migrations', () => {
    const pools: pg.Pool[] = [];
    const pool = (url: string) => {
      const p = new pg.Pool({ connectionString: url, max: 2 });
      pools.push(p);
      return p;
    };
    afterAll(async () => {
      await Promise.all(pools.map((p) => p.end()));
    });
    const ledger = async (p: pg.Pool) =>
      (await p.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version')).rows.map((r) => r.version);

    it('applies each migration once when two processes start at the same time', async () => {
      const url = await server.createDatabase();
      const applied = await Promise.all([migrate(pool(url)), migrate(pool(url)), migrate(pool(url))]);
      const all = MIGRATIONS.map((m) => m.version);
      expect(applied.flat().sort()).toEqual(all);
      expect(applied.filter((a) => a.length > 0)).toHaveLength(1);
      expect(await ledger(pool(url))).toEqual(all);
      // Two stores opening at once on a fresh database both come up.
      const fresh = await server.createDatabase();
      const stores = await Promise.all([open(fresh), open(fresh)]);
      await stores[0].collection<number>('c').put('k', 1);
      expect(await stores[1].collection<number>('c').get('k')).toBe(1);
      await Promise.all(stores.map((s) => s.close()));
    });

    it('applies only the new migrations, and a failing one leaves the schema as it was', async () => {
      const url = await server.createDatabase();
      const p = pool(url);
      const first: Migration = { version: 1, name: 'one', sql: 'CREATE TABLE one (id int)' };
      expect(await migrate(p, [first])).toEqual([1]);
      const second: Migration = { version: 2, name: 'two', sql: 'CREATE TABLE two (id int)' };
      const broken: Migration = { version: 3, name: 'broken', sql: 'CREATE TABLE three (id no_such_type)' };
      await expect(migrate(p, [first, second, broken])).rejects.toThrow('no_such_type');
      expect(await ledger(p)).toEqual([1]);
      expect((await p.query(`SELECT to_regclass('two') AS t`)).rows[0].t).toBeNull();
      expect(await migrate(p, [first, second])).toEqual([2]);
      expect(await migrate(p, [first, second])).toEqual([]);
    });

    it('refuses a database migrated by a newer version, and misnumbered migrations', async () => {
      const url = await server.createDatabase();
      const p = pool(url);
      await migrate(p);
      await p.query(`INSERT INTO schema_migrations (version, name) VALUES (${MIGRATIONS.length + 1}, 'future')`);
      await expect(PostgresStore.open({ connectionString: url })).rejects.toThrow(/newer than this minato knows/);
      await expect(migrate(p, [{ version: 2, name: 'gap', sql: 'SELECT 1' }])).rejects.toThrow('expected 1');
    });
  });
});
