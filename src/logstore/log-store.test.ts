import { afterAll, beforeAll, describe } from 'vitest';
import { postgresMissing, startPostgresServer, type PostgresServer } from '../store/postgres-server.fixtures.js';
import { describeLogStoreSuite } from './log-store-suite.js';
import { PostgresLogStore } from './postgres-log-store.js';
import { SqliteLogStore } from './sqlite-log-store.js';

describeLogStoreSuite('sqlite', async () => new SqliteLogStore(':memory:'));

const missing = postgresMissing();

describe.skipIf(missing !== undefined)(missing ?? 'PostgresLogStore', () => {
  let server: PostgresServer;
  beforeAll(async () => {
    server = await startPostgresServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  describeLogStoreSuite('postgres', async () => PostgresLogStore.open({ connectionString: await server.createDatabase(), poolSize: 4 }));
});
