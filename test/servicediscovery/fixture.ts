import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServiceDiscoveryClient } from '@aws-sdk/client-servicediscovery';
import { serviceDiscoveryService } from '../../src/api/servicediscovery/servicediscovery-service.js';
import { createDiscovery, type Discovery } from '../../src/discovery/discovery.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { startFrontDoor, type TestFrontDoor } from '../support/front-door.js';
import { awsCli, type CliResult } from '../support/aws-cli.js';

/** A front door serving Cloud Map over a SQLite store in its own data dir. */
export interface DiscoveryFixture {
  dataDir: string;
  endpoint: string;
  discovery: Discovery;
  store: SqliteStore;
  /**
   * An SDK v3 client. DiscoverInstances carries the `data-` host prefix; with a custom endpoint the
   * prefix is switched off (disableHostPrefix), so every call goes to the one endpoint.
   */
  client(region?: string): ServiceDiscoveryClient;
  /** Stops the front door and closes the store; removes the data dir unless `keep`. */
  close(options?: { keep?: boolean }): Promise<void>;
}

/** Starts the fixture over `dataDir` (a new one by default); the caller closes it. */
export async function startDiscoveryFixture(dataDir = mkdtempSync(join(tmpdir(), 'minato-sd-'))): Promise<DiscoveryFixture> {
  const store = new SqliteStore(join(dataDir, 'minato.db'));
  const discovery = createDiscovery(store);
  let door: TestFrontDoor;
  try {
    door = await startFrontDoor([serviceDiscoveryService(discovery)]);
  } catch (err) {
    await store.close();
    throw err;
  }
  const clients: ServiceDiscoveryClient[] = [];
  return {
    dataDir,
    endpoint: door.endpoint,
    discovery,
    store,
    client(region = 'us-east-1') {
      const c = new ServiceDiscoveryClient({
        endpoint: door.endpoint,
        region,
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
        maxAttempts: 1,
        disableHostPrefix: true,
      });
      clients.push(c);
      return c;
    },
    async close(options = {}) {
      for (const c of clients) c.destroy();
      await door.close();
      await store.close();
      if (!options.keep) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * The AWS CLI with host prefix injection off (AWS_DISABLE_HOST_PREFIX_INJECTION, botocore's switch),
 * as `aws servicediscovery discover-instances` needs against a single endpoint.
 */
export function sdCli(endpoint: string, home: string, args: readonly string[]): Promise<CliResult> {
  return awsCli(endpoint, home, ['servicediscovery', ...args], { AWS_DISABLE_HOST_PREFIX_INJECTION: 'true' });
}

/** The rejection of `promise`; fails when it resolves. */
export async function failure(promise: Promise<unknown>): Promise<Error & { name: string }> {
  const result = await promise.then(
    () => undefined,
    (err: Error) => err,
  );
  if (!result) throw new Error('expected the call to fail');
  return result;
}
