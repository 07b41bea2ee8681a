import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresMissing, startPostgresServer, type PostgresServer } from '../store/postgres-server.fixtures.js';
import { PostgresStore } from '../store/postgres-store.js';
import { SqliteStore } from '../store/sqlite-store.js';
import { PostgresMetricStore } from '../metrics/postgres-metric-store.js';
import { SqliteMetricStore } from '../metrics/sqlite-metric-store.js';
import { openMetrics, openStore } from './open-store.js';

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

  it('opens metrics.db in the data dir without --store', async () => {
    const own = mkdtempSync(join(dir, 'metrics-'));
    const { metrics } = await openMetrics({}, own, logger);
    expect(metrics.store).toBeInstanceOf(SqliteMetricStore);
    expect(existsSync(join(own, 'metrics.db'))).toBe(true);
    await metrics.close();
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

    it('keeps metrics and alarms on the server, seen by every process, and creates no metrics.db', async () => {
      const url = await server.createDatabase();
      const own = mkdtempSync(join(dir, 'metrics-'));
      const [a, b] = [await openMetrics({ store: url }, own, logger), await openMetrics({ store: url }, own, logger)];
      expect(a.metrics.store).toBeInstanceOf(PostgresMetricStore);
      const scope = { accountId: '000000000000', region: 'us-east-1', principalArn: 'arn:aws:iam::000000000000:root', now: new Date() };
      await a.metrics.put(scope, { Namespace: 'App', MetricData: [{ MetricName: 'M', Value: 3 }] });
      expect((await b.metrics.metric(scope, 'App', 'M'))?.metricName).toBe('M');
      expect(existsSync(join(own, 'metrics.db'))).toBe(false);
      await Promise.all([a.metrics.close(), b.metrics.close()]);
    });

    it('fails to start, naming the cause, when the database does not exist', async () => {
      const url = server.url('no_such_database');
      await expect(openStore({ store: url }, dir, logger)).rejects.toThrow('no_such_database');
    });
  });
});
