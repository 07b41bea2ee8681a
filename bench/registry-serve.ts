/**
 * The registry part of `minato up` as a process of its own, for bench/registry.ts: the front door
 * with the ECR API and the `/v2/` routes over a SQLite store in `<data dir>` (the first argument).
 * Prints `ready <endpoint>` once it listens; stops on SIGTERM.
 */
import { join } from 'node:path';
import { pino } from 'pino';
import { ecrService } from '../src/api/ecr/ecr-service.js';
import { basicAuth } from '../src/registry/auth/registry-auth.js';
import { DOWNLOAD_TOKEN_PARAM, registryRoutes } from '../src/registry/http/routes.js';
import { Registry } from '../src/registry/registry.js';
import { buildFrontDoor, DEFAULT_BODY_LIMIT } from '../src/server/http-server.js';
import { SqliteStore } from '../src/store/sqlite-store.js';

const ACCOUNT = '000000000000';
const dir = process.argv[2];
if (!dir) throw new Error('usage: registry-serve.ts <data dir>');

const stopRequested = new Promise((resolve) => process.once('SIGTERM', resolve));
const store = new SqliteStore(join(dir, 'minato.db'));
const registry = await Registry.open({ dataDir: dir, store, accountId: ACCOUNT });
const credentials = new Map([['test', 'test']]);
let endpoint = '';
const app = buildFrontDoor({
  accountId: ACCOUNT,
  credentials,
  services: [ecrService(registry, { endpoint: () => endpoint, downloadTokenParam: DOWNLOAD_TOKEN_PARAM })],
  routes: [registryRoutes(registry, basicAuth({ tokens: registry.tokens, accountId: ACCOUNT, credentials }))],
  logger: pino({ level: 'silent' }),
  bodyLimit: DEFAULT_BODY_LIMIT,
});
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
endpoint = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
process.stdout.write(`ready ${endpoint}\n`);
await stopRequested;
await app.close();
await store.close();
