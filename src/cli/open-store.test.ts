import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresMissing, startPostgresServer, type PostgresServer } from '../store/postgres-server.fixtures.js';
import { PostgresStore } from '../store/postgres-store.js';
import { SqliteStore } from '../store/sqlite-store.js';
import { openStore } from './open-store.js';

const logger = pino({ level: 'silent' });
const dir = mkdtempSync(join(tmpdir(), 'minato-open-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('openStore', () => {
  it('opens the SQLite file in the data dir without --store, and refuses an unknown scheme', async () => {
    const store = await openStore({}, dir, logger);
    expect(store).toBeInstanceOf(SqliteStore);
    expect((store as SqliteStore).file).toBe(join(dir, 'minato.db'));
    await store.close();
    await expect(openStore({ store: 'redis://h:6379' }, dir, logger)).rejects.toThrow('unknown scheme "redis:"');
  });

  const missing = postgresMissing();
  describe.skipIf(missing !== undefined)(missing ?? 'on PostgreSQL', () => {
    let server: PostgresServer;
    beforeAll(async () => {
      server = await startPostgresServer();
    });
    afterAll(async () => {
      await server?.stop();
    });

    it('opens a PostgresStore that two platforms share', async () => {
      const url = await server.createDatabase();
      const [a, b] = [await openStore({ store: url }, dir, logger), await openStore({ store: url }, dir, logger)];
      expect(a).toBeInstanceOf(PostgresStore);
      await a.collection<string>('c').put('k', 'v');
      expect(await b.collection<string>('c').get('k')).toBe('v');
      await Promise.all([a.close(), b.close()]);
    });

    it('fails to start, naming the cause, when the database does not exist', async () => {
      const url = server.url('no_such_database');
      await expect(openStore({ store: url }, dir, logger)).rejects.toThrow('no_such_database');
    });
  });
});
