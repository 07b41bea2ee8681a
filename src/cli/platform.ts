import { join } from 'node:path';
import type { Logger } from 'pino';
import { ecsService } from '../api/ecs/ecs-service.js';
import { stsService } from '../api/sts/sts-service.js';
import { createEcsControl } from '../control/ecs-control.js';
import { buildFrontDoor, DEFAULT_BODY_LIMIT } from '../server/http-server.js';
import { SqliteStore } from '../store/sqlite-store.js';
import type { PlatformConfig } from './config.js';

/** A running platform. */
export interface Platform {
  /** The endpoint URL, e.g. http://127.0.0.1:4566. */
  endpoint: string;
  /** Stops accepting requests, finishes those in flight and closes the store. */
  close(): Promise<void>;
}

/** The composition root: store, control plane, APIs and the front door, listening. */
export async function startPlatform(config: PlatformConfig, logger: Logger): Promise<Platform> {
  const store = new SqliteStore(join(config.dataDir, 'minato.db'));
  const ecs = createEcsControl(store);
  const app = buildFrontDoor({
    accountId: config.accountId,
    credentials: new Map([[config.accessKeyId, config.secretAccessKey]]),
    services: [ecsService(ecs), stsService()],
    logger,
    bodyLimit: DEFAULT_BODY_LIMIT,
  });
  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (err) {
    await store.close();
    throw err;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host.includes(':') && !config.host.startsWith('[') ? `[${config.host}]` : config.host;
  return {
    endpoint: `http://${host}:${port}`,
    async close() {
      await app.close();
      await store.close();
    },
  };
}
