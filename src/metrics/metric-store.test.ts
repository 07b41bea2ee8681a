import { afterAll, beforeAll, describe } from 'vitest';
import { postgresMissing, startPostgresServer, type PostgresServer } from '../store/postgres-server.fixtures.js';
import { describeAlarmStoreSuite } from './alarms/alarm-store-suite.js';
import { PostgresAlarmStore } from './alarms/postgres-alarm-store.js';
import { SqliteAlarmStore } from './alarms/sqlite-alarm-store.js';
import { describeMetricStoreSuite } from './metric-store-suite.js';
import { PostgresMetricStore } from './postgres-metric-store.js';
import { SqliteMetricStore } from './sqlite-metric-store.js';

describeMetricStoreSuite('sqlite', async () => new SqliteMetricStore(':memory:'));
describeAlarmStoreSuite('sqlite', async () => {
  const metrics = new SqliteMetricStore(':memory:');
  return { alarms: new SqliteAlarmStore(metrics.database), close: () => metrics.close() };
});

const missing = postgresMissing();

describe.skipIf(missing !== undefined)(missing ?? 'PostgreSQL metric and alarm stores', () => {
  let server: PostgresServer;
  beforeAll(async () => {
    server = await startPostgresServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  const open = (connectionString: string) => PostgresMetricStore.open({ connectionString, poolSize: 4 });
  describeMetricStoreSuite(
    'postgres',
    async () => open(await server.createDatabase()),
    async () => {
      const url = await server.createDatabase();
      // Both migrate at once, as two processes starting together.
      return Promise.all([open(url), open(url)]);
    },
  );
  describeAlarmStoreSuite('postgres', async () => {
    const metrics = await open(await server.createDatabase());
    return { alarms: new PostgresAlarmStore(metrics.pool), close: () => metrics.close() };
  });
});
