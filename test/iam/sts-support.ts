import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { iamService } from '../../src/api/iam/iam-service.js';
import { stsService } from '../../src/api/sts/sts-service.js';
import { createIamDomain, type IamDomain } from '../../src/iam/iam-domain.js';
import { ValueCipher } from '../../src/secrets/crypto/value-cipher.js';
import { buildFrontDoor, DEFAULT_BODY_LIMIT } from '../../src/server/http-server.js';
import { MemoryStore } from '../../src/store/memory-store.js';

export const ACCOUNT = '000000000000';

/** A front door serving STS and IAM over a fresh store, with a clock the test moves. */
export interface StsFrontDoor {
  endpoint: string;
  iam: IamDomain;
  /** Moves the front door's clock forward. */
  advance(ms: number): void;
  close(): Promise<void>;
}

export async function startStsFrontDoor(): Promise<StsFrontDoor> {
  const iam = createIamDomain(new MemoryStore(), new ValueCipher(randomBytes(32)));
  let offset = 0;
  const now = () => new Date(Date.now() + offset);
  const app = buildFrontDoor({
    accountId: ACCOUNT,
    credentials: new Map([['test', 'test']]),
    lookupKey: (id, token, at) => iam.tokens.authenticate(ACCOUNT, id, token, at),
    services: [stsService(iam.tokens), iamService(iam)],
    logger: pino({ level: 'silent' }),
    bodyLimit: DEFAULT_BODY_LIMIT,
    // A moved clock would make the SDKs' fresh signatures look skewed; the window is widened.
    maxSkewMs: 48 * 3600_000,
    now,
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { endpoint: `http://127.0.0.1:${port}`, iam, advance: (ms) => (offset += ms), close: () => app.close() };
}
