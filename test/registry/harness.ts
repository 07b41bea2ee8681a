/**
 * A registry for one test file: a Registry on a temp data dir and SQLite store, served by a real
 * front door with the ECR API and the `/v2/` routes, plus clients for both.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ECRClient } from '@aws-sdk/client-ecr';
import { afterAll, beforeAll } from 'vitest';
import { ecrService } from '../../src/api/ecr/ecr-service.js';
import { basicAuth } from '../../src/registry/auth/registry-auth.js';
import { DOWNLOAD_TOKEN_PARAM, registryRoutes } from '../../src/registry/http/routes.js';
import { Registry, type RegistryOptions } from '../../src/registry/registry.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { startFrontDoor, type TestFrontDoor } from '../support/front-door.js';

/** The account of the test front door. */
export const ACCOUNT = '000000000000';

/** A running registry behind a front door. */
export interface TestRegistry {
  registry: Registry;
  endpoint: string;
  /** `127.0.0.1:<port>`: the registry part of image references. */
  host: string;
  dataDir: string;
  /** An ECR client of the real SDK (test/test credentials) in `region`. */
  ecr(region?: string): ECRClient;
  /** `Basic` Authorization header for the access key credentials. */
  basic: string;
  close(): Promise<void>;
}

/** Starts a registry; `options` override the registry's (clock, TTLs). */
export async function startTestRegistry(options: Partial<Omit<RegistryOptions, 'store' | 'dataDir' | 'accountId'>> = {}): Promise<TestRegistry> {
  const dataDir = mkdtempSync(join(tmpdir(), 'minato-registry-test-'));
  const store = new SqliteStore(join(dataDir, 'minato.db'));
  const registry = await Registry.open({ dataDir, store, accountId: ACCOUNT, ...options });
  let endpoint = '';
  const auth = basicAuth({ tokens: registry.tokens, accountId: ACCOUNT, credentials: new Map([['test', 'test']]) });
  let door: TestFrontDoor;
  try {
    door = await startFrontDoor(
      [ecrService(registry, { endpoint: () => endpoint, downloadTokenParam: DOWNLOAD_TOKEN_PARAM })],
      [registryRoutes(registry, auth)],
    );
  } catch (err) {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  endpoint = door.endpoint;
  const clients: ECRClient[] = [];
  return {
    registry,
    endpoint,
    host: endpoint.replace(/^http:\/\//, ''),
    dataDir,
    basic: `Basic ${Buffer.from('test:test').toString('base64')}`,
    ecr(region = 'us-east-1') {
      const client = new ECRClient({ endpoint, region, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
      clients.push(client);
      return client;
    },
    async close() {
      for (const c of clients) c.destroy();
      await door.close();
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Starts one registry for the calling test file (beforeAll) and closes it (afterAll). */
export function useTestRegistry(options: Parameters<typeof startTestRegistry>[0] = {}): () => TestRegistry {
  let running: TestRegistry | undefined;
  beforeAll(async () => {
    running = await startTestRegistry(options);
  });
  afterAll(async () => {
    await running?.close();
  });
  return () => running!;
}
