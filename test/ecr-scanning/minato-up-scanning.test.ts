/**
 * Continuous scanning in `minato up` itself: an image pushed to a CONTINUOUS_SCAN repository is
 * scanned in the background, and `minato advisories import` run next to the running platform
 * makes a new finding appear on it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateRepositoryCommand, DescribeImageScanFindingsCommand, ECRClient, GetAuthorizationTokenCommand, PutRegistryScanningConfigurationCommand } from '@aws-sdk/client-ecr';
import { afterAll, describe, expect, it } from 'vitest';
import { DEBIAN_TRACKER, OSV_LODASH } from '../../src/scanning/advisories/published-advisories.fixtures.js';
import { spawnMinato, type MinatoProcess } from '../support/minato-process.js';
import { pushImageLayout, type BuiltImage } from '../support/oci-image.js';
import { debianImage, importAdvisories } from './scan-images.js';

const dir = mkdtempSync(join(tmpdir(), 'minato-up-scanning-'));
let minato: MinatoProcess | undefined;
let image: BuiltImage | undefined;
afterAll(async () => {
  await minato?.stop();
  await image?.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

const ids = (o: { imageScanFindings?: { enhancedFindings?: { packageVulnerabilityDetails?: { vulnerabilityId?: string } }[] } }): string[] =>
  (o.imageScanFindings?.enhancedFindings ?? []).map((f) => f.packageVulnerabilityDetails!.vulnerabilityId!).sort();

async function until<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('minato up scans', () => {
  it('re-evaluates a pushed image when advisories are imported while it runs', async () => {
    const dataDir = join(dir, 'data');
    importAdvisories(dataDir, dir, { 'debian.json': DEBIAN_TRACKER });
    minato = await spawnMinato(['--port', '0', '--data-dir', dataDir]);
    const ecr = new ECRClient({ endpoint: minato.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
    try {
      await ecr.send(new PutRegistryScanningConfigurationCommand({ scanType: 'ENHANCED', rules: [{ scanFrequency: 'CONTINUOUS_SCAN', repositoryFilters: [{ filter: '*', filterType: 'WILDCARD' }] }] }));
      await ecr.send(new CreateRepositoryCommand({ repositoryName: 'app' }));
      const token = (await ecr.send(new GetAuthorizationTokenCommand({}))).authorizationData![0]!.authorizationToken!;
      image = await debianImage();
      await pushImageLayout(image.dir, `${minato.endpoint.replace(/^http:\/\//, '')}/app:v1`, { auth: { username: 'AWS', password: Buffer.from(token, 'base64').toString('utf8').slice(4) } });
      const read = () => ecr.send(new DescribeImageScanFindingsCommand({ repositoryName: 'app', imageId: { imageTag: 'v1' } }));
      const first = await until('the scan on push', read, (o) => o.imageScanStatus?.status !== 'IN_PROGRESS');
      expect(first.imageScanStatus?.status).toBe('ACTIVE');
      expect(ids(first)).toEqual(['CVE-2023-5363', 'CVE-2024-6387']);
      importAdvisories(dataDir, dir, { 'lodash.json': OSV_LODASH });
      const after = await until('the re-evaluation', read, (o) => ids(o).length === 3);
      expect(ids(after)).toEqual(['CVE-2023-5363', 'CVE-2024-6387', 'GHSA-jf85-cpcp-j695']);
    } finally {
      ecr.destroy();
    }
  }, 90_000);
});
