import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { buildFrontDoor, DEFAULT_BODY_LIMIT } from '../../src/server/http-server.js';
import type { AwsService } from '../../src/server/service.js';

/** A front door serving only the given APIs and routes, on a free loopback port. */
export interface TestFrontDoor {
  endpoint: string;
  close(): Promise<void>;
}

/** Starts a real front door (SigV4 with test/test, account 000000000000) for an API under test. */
export async function startFrontDoor(
  services: readonly AwsService[],
  routes: ReadonlyArray<(app: FastifyInstance) => Promise<void>> = [],
): Promise<TestFrontDoor> {
  const app = buildFrontDoor({
    accountId: '000000000000',
    credentials: new Map([['test', 'test']]),
    services,
    routes,
    logger: pino({ level: 'silent' }),
    bodyLimit: DEFAULT_BODY_LIMIT,
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { endpoint: `http://127.0.0.1:${port}`, close: () => app.close() };
}
