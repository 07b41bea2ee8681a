import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ECSClient } from '@aws-sdk/client-ecs';
import { pino } from 'pino';
import { afterAll, beforeAll } from 'vitest';
import { DEFAULT_CONFIG, type PlatformConfig } from '../../src/cli/config.js';
import { startPlatform, type Platform, type PlatformOptions } from '../../src/cli/platform.js';
import { removeTaskBridge } from './task-bridge.js';

/** A platform started for one test file, listening on a free loopback port, with its own data dir. */
export interface TestPlatform extends Platform {
  config: PlatformConfig;
  /** An ECS client of the real AWS SDK pointed at this platform. */
  ecs(region?: string, credentials?: { accessKeyId: string; secretAccessKey: string }): ECSClient;
  /** Closes the platform and removes its data dir. */
  dispose(): Promise<void>;
}

/** Starts a platform in this process; the HTTP traffic is real and goes over loopback. */
export async function startTestPlatform(overrides: Partial<PlatformConfig> = {}, options: PlatformOptions = {}): Promise<TestPlatform> {
  const dataDir = overrides.dataDir ?? mkdtempSync(join(tmpdir(), 'minato-test-'));
  // Each test platform gets its own bridge and /24, so test files running side by side never
  // share address leases; the metadata endpoint takes a free port.
  const n = 1 + Math.floor(Math.random() * 250);
  const bridge = `mnt${process.pid % 10000}x${n}`;
  const config: PlatformConfig = {
    ...DEFAULT_CONFIG,
    port: 0,
    dataDir,
    taskBridge: bridge,
    taskSubnet: `10.214.${n}.0/24`,
    // Load balancers' addresses too, so two platforms' listeners on port 80 never meet.
    lbSubnet: `127.77.${n}.0/24`,
    ...overrides,
  };
  // The tasks' DNS server answers Cloud Map names and forwards nothing: test traffic stays on this host.
  const platform = await startPlatform(config, pino({ level: 'silent' }), { metadataPort: 0, dnsUpstreams: async () => [], ...options }).catch((err: unknown) => {
    // A platform that refused to start leaves nothing of its own behind either.
    if (!overrides.dataDir) rmSync(dataDir, { recursive: true, force: true });
    throw err;
  });
  return {
    ...platform,
    config,
    ecs: (region = 'us-east-1', credentials = { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey }) =>
      new ECSClient({ endpoint: platform.endpoint, region, credentials, maxAttempts: 1 }),
    async dispose() {
      await platform.stopAllTasks();
      await platform.close();
      await removeTaskBridge(config.taskBridge);
      if (!overrides.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export { removeTaskBridge } from './task-bridge.js';

/**
 * Starts one platform for the calling test file (beforeAll) and disposes of it (afterAll).
 * Returns accessors, since the platform exists only once the hook has run.
 */
export function usePlatform(overrides: Partial<PlatformConfig> = {}): { platform(): TestPlatform; ecs(): ECSClient } {
  let platform: TestPlatform | undefined;
  let client: ECSClient | undefined;
  beforeAll(async () => {
    platform = await startTestPlatform(overrides);
    client = platform.ecs();
  });
  afterAll(async () => {
    client?.destroy();
    await platform?.dispose();
  });
  return { platform: () => platform!, ecs: () => client! };
}
