import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SSMClient } from '@aws-sdk/client-ssm';
import { secretsManagerService } from '../../src/api/secretsmanager/secretsmanager-service.js';
import { ssmService } from '../../src/api/ssm/ssm-service.js';
import { loadOrCreateMasterKey } from '../../src/secrets/crypto/master-key.js';
import { createSecretsDomain, type SecretsDomain } from '../../src/secrets/secrets-domain.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { startFrontDoor, type TestFrontDoor } from '../support/front-door.js';

/** A front door serving Secrets Manager and SSM over a SQLite store in its own data dir. */
export interface SecretsFixture {
  dataDir: string;
  endpoint: string;
  domain: SecretsDomain;
  store: SqliteStore;
  secretsManager(region?: string): SecretsManagerClient;
  ssm(region?: string): SSMClient;
  /** Stops the front door, closes the store and clients; removes the data dir unless `keep`. */
  close(options?: { keep?: boolean }): Promise<void>;
}

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

/** Starts the fixture; the caller closes it. */
export async function startSecretsFixture(): Promise<SecretsFixture> {
  const dataDir = mkdtempSync(join(tmpdir(), 'minato-secrets-'));
  const masterKey = loadOrCreateMasterKey(dataDir);
  const store = new SqliteStore(join(dataDir, 'minato.db'));
  const domain = createSecretsDomain(store, masterKey);
  let door: TestFrontDoor;
  try {
    door = await startFrontDoor([secretsManagerService(domain), ssmService(domain)]);
  } catch (err) {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  const clients: Array<{ destroy(): void }> = [];
  const track = <C extends { destroy(): void }>(c: C) => (clients.push(c), c);
  return {
    dataDir,
    endpoint: door.endpoint,
    domain,
    store,
    secretsManager: (region = 'us-east-1') =>
      track(new SecretsManagerClient({ endpoint: door.endpoint, region, credentials, maxAttempts: 1 })),
    ssm: (region = 'us-east-1') => track(new SSMClient({ endpoint: door.endpoint, region, credentials, maxAttempts: 1 })),
    async close(options = {}) {
      for (const c of clients) c.destroy();
      await door.close();
      await store.close();
      if (!options.keep) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The rejection of `promise`, to inspect its class, name and message; fails when it resolves. */
export async function failure(promise: Promise<unknown>): Promise<Error> {
  const result = await promise.then(
    () => undefined,
    (err: Error) => err,
  );
  if (!result) throw new Error('expected the call to fail');
  return result;
}
