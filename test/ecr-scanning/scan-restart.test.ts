/**
 * Scanning across a restart of the registry on one data dir: a push acknowledged while its scan
 * could not run is scanned when the registry opens again, and advisories imported while it was
 * down are applied at start to the images of CONTINUOUS_SCAN repositories.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateRepositoryCommand, DescribeImageScanFindingsCommand, ECRClient, GetAuthorizationTokenCommand, PutRegistryScanningConfigurationCommand } from '@aws-sdk/client-ecr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ecrService } from '../../src/api/ecr/ecr-service.js';
import { basicAuth } from '../../src/registry/auth/registry-auth.js';
import { DOWNLOAD_TOKEN_PARAM, registryRoutes } from '../../src/registry/http/routes.js';
import { Registry } from '../../src/registry/registry.js';
import { DEBIAN_TRACKER, OSV_LODASH } from '../../src/scanning/advisories/published-advisories.fixtures.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { startFrontDoor } from '../support/front-door.js';
import { pushImageLayout, type BuiltImage } from '../support/oci-image.js';
import { debianImage, importAdvisories } from './scan-images.js';

const ACCOUNT = '000000000000';
let dir: string;
let dataDir: string;
let image: BuiltImage;

/** The registry on `dataDir` behind a front door, its background scans started or not. */
async function open(scanning: boolean) {
  const store = new SqliteStore(join(dataDir, 'minato.db'));
  const registry = await Registry.open({ dataDir, store, accountId: ACCOUNT });
  const stopScans = registry.scans.startBackground(200);
  // A registry whose scans are stopped still takes pushes: their scans stay recorded IN_PROGRESS.
  if (!scanning) await stopScans();
  let endpoint = '';
  const door = await startFrontDoor(
    [ecrService(registry, { endpoint: () => endpoint, downloadTokenParam: DOWNLOAD_TOKEN_PARAM })],
    [registryRoutes(registry, basicAuth({ tokens: registry.tokens, accountId: ACCOUNT, credentials: new Map([['test', 'test']]) }))],
  );
  endpoint = door.endpoint;
  const ecr = new ECRClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
  const token = (await ecr.send(new GetAuthorizationTokenCommand({}))).authorizationData![0]!.authorizationToken!;
  const password = Buffer.from(token, 'base64').toString('utf8').slice('AWS:'.length);
  return {
    ecr,
    push: (target: string) => pushImageLayout(image.dir, `${endpoint.replace(/^http:\/\//, '')}/${target}`, { auth: { username: 'AWS', password } }),
    async close() {
      ecr.destroy();
      await door.close();
      await stopScans();
      registry.close();
      await store.close();
    },
  };
}

async function until<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const vulnerabilityIds = (o: { imageScanFindings?: { enhancedFindings?: { packageVulnerabilityDetails?: { vulnerabilityId?: string } }[] } }): string[] =>
  (o.imageScanFindings?.enhancedFindings ?? []).map((f) => f.packageVulnerabilityDetails!.vulnerabilityId!).sort();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'minato-scan-restart-'));
  dataDir = join(dir, 'data');
  importAdvisories(dataDir, dir, { 'debian.json': DEBIAN_TRACKER });
  image = await debianImage();
}, 30_000);
afterAll(async () => {
  await image?.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

describe('scans across a restart', () => {
  it('scans a push acknowledged before the restart, and applies advisories imported while the registry was down', async () => {
    const first = await open(true);
    try {
      await first.ecr.send(
        new PutRegistryScanningConfigurationCommand({
          scanType: 'ENHANCED',
          rules: [
            { scanFrequency: 'CONTINUOUS_SCAN', repositoryFilters: [{ filter: 'cont/*', filterType: 'WILDCARD' }] },
            { scanFrequency: 'SCAN_ON_PUSH', repositoryFilters: [{ filter: 'push/*', filterType: 'WILDCARD' }] },
          ],
        }),
      );
      for (const name of ['cont/app', 'push/app']) await first.ecr.send(new CreateRepositoryCommand({ repositoryName: name }));
      await first.push('cont/app:v1');
      const scanned = await until('the first scan', () => first.ecr.send(new DescribeImageScanFindingsCommand({ repositoryName: 'cont/app', imageId: { imageTag: 'v1' } })), (o) => o.imageScanStatus?.status === 'ACTIVE');
      expect(vulnerabilityIds(scanned)).toEqual(['CVE-2023-5363', 'CVE-2024-6387']);
    } finally {
      await first.close();
    }

    const stopped = await open(false);
    try {
      await stopped.push('push/app:v1');
      const pending = await stopped.ecr.send(new DescribeImageScanFindingsCommand({ repositoryName: 'push/app', imageId: { imageTag: 'v1' } }));
      expect(pending.imageScanStatus?.status).toBe('IN_PROGRESS');
      expect(pending.imageScanFindings).toBeUndefined();
    } finally {
      await stopped.close();
    }

    importAdvisories(dataDir, dir, { 'lodash.json': OSV_LODASH });

    const second = await open(true);
    try {
      const resumed = await until('the resumed scan', () => second.ecr.send(new DescribeImageScanFindingsCommand({ repositoryName: 'push/app', imageId: { imageTag: 'v1' } })), (o) => o.imageScanStatus?.status !== 'IN_PROGRESS');
      expect(resumed.imageScanStatus?.status).toBe('COMPLETE');
      expect(vulnerabilityIds(resumed)).toEqual(['CVE-2023-5363', 'CVE-2024-6387', 'GHSA-jf85-cpcp-j695']);
      const continuous = await until(
        'the re-evaluation',
        () => second.ecr.send(new DescribeImageScanFindingsCommand({ repositoryName: 'cont/app', imageId: { imageTag: 'v1' } })),
        (o) => vulnerabilityIds(o).length === 3,
      );
      expect(vulnerabilityIds(continuous)).toEqual(['CVE-2023-5363', 'CVE-2024-6387', 'GHSA-jf85-cpcp-j695']);
    } finally {
      await second.close();
    }
  }, 60_000);
});
