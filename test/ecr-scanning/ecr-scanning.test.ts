/**
 * ECR image scanning as clients see it: images built here (busybox with crafted package databases)
 * pushed with skopeo to a registry behind a real front door, advisories imported with `minato
 * advisories import` as a separate process, findings read with the AWS CLI (its `wait
 * image-scan-complete` waiter included) and SDK v3. The sections run in order and share the
 * registry: the registry scanning configuration of the later ones changes what the earlier saw.
 */
import { existsSync, mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BatchGetRepositoryScanningConfigurationCommand,
  CreateRepositoryCommand,
  DescribeImageScanFindingsCommand,
  DescribeImagesCommand,
  GetAuthorizationTokenCommand,
  GetRegistryScanningConfigurationCommand,
  PutImageScanningConfigurationCommand,
  PutRegistryScanningConfigurationCommand,
  StartImageScanCommand,
  waitUntilImageScanComplete,
  type DescribeImageScanFindingsCommandOutput,
  type ECRClient,
} from '@aws-sdk/client-ecr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEBIAN_TRACKER, OSV_LODASH } from '../../src/scanning/advisories/published-advisories.fixtures.js';
import { startTestRegistry, type TestRegistry } from '../registry/harness.js';
import { aws, skopeo, skopeoWithInput } from '../registry/tools.js';
import { pushImageLayout, type BuiltImage } from '../support/oci-image.js';
import { busyboxImage, corruptImage, debianImage, importAdvisories, unknownOsImage } from './scan-images.js';

let reg: TestRegistry;
let ecr: ECRClient;
let work: string;
let stopScans: () => Promise<void>;
let password: string;
const images: BuiltImage[] = [];
let vulnerable: BuiltImage;
let fixed: BuiltImage;

beforeAll(async () => {
  reg = await startTestRegistry();
  work = mkdtempSync(join(tmpdir(), 'minato-ecr-scanning-'));
  // A short poll, so that a test sees an import within a second.
  stopScans = reg.registry.scans.startBackground(200);
  ecr = reg.ecr();
  importAdvisories(reg.dataDir, work, { 'debian.json': DEBIAN_TRACKER });
  vulnerable = await debianImage();
  fixed = await debianImage(true);
  images.push(vulnerable, fixed);
  const token = (await ecr.send(new GetAuthorizationTokenCommand({}))).authorizationData![0]!.authorizationToken!;
  password = Buffer.from(token, 'base64').toString('utf8').slice('AWS:'.length);
  const login = await skopeoWithInput(work, password, 'login', '--tls-verify=false', '--username', 'AWS', '--password-stdin', reg.host);
  if (login.code !== 0) throw new Error(`skopeo login failed: ${login.stderr}`);
}, 60_000);

afterAll(async () => {
  await stopScans?.();
  reg?.registry.close();
  await reg?.close();
  for (const image of images) await image.cleanup();
  if (work) rmSync(work, { recursive: true, force: true });
});

async function push(image: BuiltImage, target: string): Promise<void> {
  const r = await skopeo(work, 'copy', '--dest-tls-verify=false', `oci:${image.dir}:latest`, `docker://${reg.host}/${target}`);
  if (r.code !== 0) throw new Error(`skopeo copy failed: ${r.stderr}`);
}

const cli = (...args: string[]) => aws(work, reg.endpoint, 'ecr', ...args);
const names = (out: DescribeImageScanFindingsCommandOutput): string[] => (out.imageScanFindings?.findings ?? []).map((f) => `${f.name} ${f.attributes?.find((a) => a.key === 'package_name')?.value}`).sort();
const waitScan = (repositoryName: string, imageDigest: string) =>
  waitUntilImageScanComplete({ client: ecr, maxWaitTime: 60, minDelay: 1, maxDelay: 1 }, { repositoryName, imageId: { imageDigest } });

async function until<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('scan on push off: StartImageScan, the AWS CLI and its waiter', () => {
  it('does not scan a push, and says so with ScanNotFoundException', async () => {
    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'scan/manual' }));
    await push(vulnerable, 'scan/manual:v1');
    const [detail] = (await ecr.send(new DescribeImagesCommand({ repositoryName: 'scan/manual' }))).imageDetails!;
    expect(detail!.imageScanStatus).toBeUndefined();
    expect(detail!.imageScanFindingsSummary).toBeUndefined();
    const r = await cli('describe-image-scan-findings', '--repository-name', 'scan/manual', '--image-id', 'imageTag=v1');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/\(ScanNotFoundException\).*Image scan does not exist for the image with '\{imageDigest:'sha256:[0-9a-f]{64}', imageTag:'v1'\}' in the repository with name 'scan\/manual'/);
  });

  it('scans on StartImageScan; the waiter sees COMPLETE; basic findings name the vulnerable OS packages only', async () => {
    const started = JSON.parse((await cli('start-image-scan', '--repository-name', 'scan/manual', '--image-id', 'imageTag=v1')).stdout) as { imageScanStatus: { status: string }; imageId: { imageDigest: string } };
    expect(started.imageScanStatus.status).toBe('IN_PROGRESS');
    expect(started.imageId.imageDigest).toBe(vulnerable.manifestDigest);
    const waited = await cli('wait', 'image-scan-complete', '--repository-name', 'scan/manual', '--image-id', 'imageTag=v1');
    expect(waited.stderr).toBe('');
    expect(waited.code).toBe(0);
    const r = await cli('describe-image-scan-findings', '--repository-name', 'scan/manual', '--image-id', 'imageTag=v1');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { imageScanStatus: { status: string }; imageScanFindings: { findings: { name: string; uri: string; severity: string; attributes: { key: string; value: string }[] }[]; findingSeverityCounts: Record<string, number>; vulnerabilitySourceUpdatedAt: number; imageScanCompletedAt: number } };
    expect(out.imageScanStatus.status).toBe('COMPLETE');
    const findings = out.imageScanFindings.findings;
    // glibc has DSA-5514-1's fix; lodash is a language package, which basic scanning does not judge.
    expect(findings.map((f) => f.name).sort()).toEqual(['CVE-2023-5363', 'CVE-2024-6387']);
    expect(findings.find((f) => f.name === 'CVE-2023-5363')).toEqual({
      name: 'CVE-2023-5363',
      uri: 'https://security-tracker.debian.org/tracker/CVE-2023-5363',
      severity: 'UNDEFINED',
      attributes: [
        { key: 'package_version', value: '3.0.11-1~deb12u1' },
        { key: 'package_name', value: 'libssl3' },
      ],
    });
    expect(out.imageScanFindings.findingSeverityCounts).toEqual({ UNDEFINED: 2 });
    expect(out.imageScanFindings.vulnerabilitySourceUpdatedAt).toBeGreaterThan(0);

    const [detail] = (await ecr.send(new DescribeImagesCommand({ repositoryName: 'scan/manual', imageIds: [{ imageTag: 'v1' }] }))).imageDetails!;
    expect(detail!.imageScanStatus?.status).toBe('COMPLETE');
    expect(detail!.imageScanFindingsSummary?.findingSeverityCounts).toEqual({ UNDEFINED: 2 });
    expect(detail!.imageScanFindingsSummary?.imageScanCompletedAt).toBeInstanceOf(Date);
  }, 60_000);

  it('refuses a second scan of the same image within 24 hours (LimitExceededException)', async () => {
    const r = await cli('start-image-scan', '--repository-name', 'scan/manual', '--image-id', `imageDigest=${vulnerable.manifestDigest}`);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/\(LimitExceededException\).*The scan quota per image has been exceeded/);
  });
});

describe('scan on push on', () => {
  it('scans each pushed image: the vulnerable version is found, the fixed one is not; findings page', async () => {
    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'scan/push', imageScanningConfiguration: { scanOnPush: true } }));
    await push(vulnerable, 'scan/push:old');
    await push(fixed, 'scan/push:new');
    // The push is acknowledged before the scan: the record exists at once.
    expect((await waitScan('scan/push', vulnerable.manifestDigest)).state).toBe('SUCCESS');
    expect((await waitScan('scan/push', fixed.manifestDigest)).state).toBe('SUCCESS');
    const old = await ecr.send(new DescribeImageScanFindingsCommand({ repositoryName: 'scan/push', imageId: { imageTag: 'old' } }));
    expect(names(old)).toEqual(['CVE-2023-5363 libssl3', 'CVE-2024-6387 openssh-client']);
    const now = await ecr.send(new DescribeImageScanFindingsCommand({ repositoryName: 'scan/push', imageId: { imageTag: 'new' } }));
    expect(now.imageScanStatus?.status).toBe('COMPLETE');
    expect(now.imageScanFindings?.findings).toEqual([]);
    expect(now.imageScanFindings?.findingSeverityCounts).toEqual({});

    const first = await ecr.send(new DescribeImageScanFindingsCommand({ repositoryName: 'scan/push', imageId: { imageTag: 'old' }, maxResults: 1 }));
    expect(first.imageScanFindings?.findings).toHaveLength(1);
    expect(first.nextToken).toBeDefined();
    const second = await ecr.send(new DescribeImageScanFindingsCommand({ repositoryName: 'scan/push', imageId: { imageTag: 'old' }, maxResults: 1, nextToken: first.nextToken }));
    expect(second.nextToken).toBeUndefined();
    expect([...names(first), ...names(second)].sort()).toEqual(names(old));
    // Counts are the image's, not the page's.
    expect(first.imageScanFindings?.findingSeverityCounts).toEqual({ UNDEFINED: 2 });
  }, 60_000);

  it('turning scanOnPush on for a repository scans its next push', async () => {
    await ecr.send(new PutImageScanningConfigurationCommand({ repositoryName: 'scan/manual', imageScanningConfiguration: { scanOnPush: true } }));
    await push(fixed, 'scan/manual:v2');
    expect((await waitScan('scan/manual', fixed.manifestDigest)).state).toBe('SUCCESS');
  }, 60_000);

  it('fails the scan of an image without a supported OS, and of a corrupt layer, with a reason', async () => {
    const plain = await busyboxImage();
    const corrupt = await corruptImage();
    images.push(plain, corrupt);
    await push(plain, 'scan/push:busybox');
    await pushImageLayout(corrupt.dir, `${reg.host}/scan/push:corrupt`, { auth: { username: 'AWS', password } });
    const waited = await cli('wait', 'image-scan-complete', '--repository-name', 'scan/push', '--image-id', 'imageTag=busybox');
    expect(waited.code).not.toBe(0);
    expect(waited.stderr).toMatch(/terminal failure state/);
    const unsupported = await ecr.send(new DescribeImageScanFindingsCommand({ repositoryName: 'scan/push', imageId: { imageTag: 'busybox' } }));
    expect(unsupported.imageScanStatus).toEqual({ status: 'FAILED', description: 'UnsupportedImageError: The operating system and/or package manager are not supported.' });
    expect(unsupported.imageScanFindings).toBeUndefined();
    const broken = await until('the corrupt image scan', () => ecr.send(new DescribeImageScanFindingsCommand({ repositoryName: 'scan/push', imageId: { imageTag: 'corrupt' } })), (o) => o.imageScanStatus?.status !== 'IN_PROGRESS');
    expect(broken.imageScanStatus?.status).toBe('FAILED');
    expect(broken.imageScanStatus?.description).toMatch(new RegExp(`^ScanError: layer ${corrupt.layers[0]!.digest} could not be read`));
    // The registry still serves the rest.
    const details = (await ecr.send(new DescribeImagesCommand({ repositoryName: 'scan/push' }))).imageDetails!;
    expect(details.map((d) => [d.imageTags?.[0], d.imageScanStatus?.status]).sort()).toEqual([
      ['busybox', 'FAILED'],
      ['corrupt', 'FAILED'],
      ['new', 'COMPLETE'],
      ['old', 'COMPLETE'],
    ]);
  }, 60_000);
});

describe('scanning an OS without advisories', () => {
  it('fails with ECR’s UnsupportedImageError, naming the OS, and keeps serving the image', async () => {
    const plan9 = await unknownOsImage();
    images.push(plan9);
    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'scan/other-os', imageScanningConfiguration: { scanOnPush: true } }));
    await push(plan9, 'scan/other-os:v1');
    const waited = await cli('wait', 'image-scan-complete', '--repository-name', 'scan/other-os', '--image-id', 'imageTag=v1');
    expect(waited.code).not.toBe(0);
    expect(waited.stderr).toMatch(/terminal failure state/);
    const out = await ecr.send(new DescribeImageScanFindingsCommand({ repositoryName: 'scan/other-os', imageId: { imageTag: 'v1' } }));
    expect(out.imageScanStatus).toEqual({
      status: 'FAILED',
      description: "UnsupportedImageError: The operating system and/or package manager are not supported. (no advisories are imported for plan9 (minato imports Debian's and Alpine's))",
    });
    expect(out.imageScanFindings).toBeUndefined();
    const [detail] = (await ecr.send(new DescribeImagesCommand({ repositoryName: 'scan/other-os' }))).imageDetails!;
    expect(detail!.imageDigest).toBe(plan9.manifestDigest);
    expect(detail!.imageScanStatus?.status).toBe('FAILED');
  }, 60_000);
});

describe("ECR's errors for bad requests, with nothing stored", () => {
  it('names the repository, image and scan that do not exist', async () => {
    const noRepo = await cli('start-image-scan', '--repository-name', 'scan/none', '--image-id', 'imageTag=v1');
    expect(noRepo.stderr).toMatch(/\(RepositoryNotFoundException\).*The repository with name 'scan\/none' does not exist/);
    const noImage = await cli('start-image-scan', '--repository-name', 'scan/push', '--image-id', 'imageTag=nope');
    expect(noImage.stderr).toMatch(/\(ImageNotFoundException\).*The image with imageId \{imageDigest:'null', imageTag:'nope'\} does not exist within the repository with name 'scan\/push'/);
    await expect(ecr.send(new DescribeImageScanFindingsCommand({ repositoryName: 'scan/none', imageId: { imageTag: 'v1' } }))).rejects.toMatchObject({ name: 'RepositoryNotFoundException' });
    await expect(ecr.send(new DescribeImageScanFindingsCommand({ repositoryName: 'scan/push', imageId: { imageTag: 'nope' } }))).rejects.toMatchObject({ name: 'ImageNotFoundException' });
    await expect(ecr.send(new DescribeImageScanFindingsCommand({ repositoryName: 'scan/push', imageId: { imageTag: 'old' }, maxResults: 1001 }))).rejects.toMatchObject({ name: 'InvalidParameterException' });
  });

  it('refuses a scanning configuration ECR refuses (ValidationException) and keeps the one before', async () => {
    const before = await ecr.send(new GetRegistryScanningConfigurationCommand({}));
    expect(before.scanningConfiguration).toEqual({ scanType: 'BASIC', rules: [] });
    await expect(
      ecr.send(new PutRegistryScanningConfigurationCommand({ scanType: 'BASIC', rules: [{ scanFrequency: 'CONTINUOUS_SCAN', repositoryFilters: [{ filter: '*', filterType: 'WILDCARD' }] }] })),
    ).rejects.toMatchObject({ name: 'ValidationException', message: expect.stringMatching(/CONTINUOUS_SCAN is not supported for scanType BASIC/) });
    expect((await ecr.send(new GetRegistryScanningConfigurationCommand({}))).scanningConfiguration).toEqual(before.scanningConfiguration);
  });

  it('refuses an image list (UnsupportedImageTypeException), recording no scan', async () => {
    // An index of the two images already in scan/push.
    const index = JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [vulnerable, fixed].map((i) => ({ mediaType: i.descriptor.mediaType, digest: i.manifestDigest, size: i.descriptor.size })),
    });
    const put = await fetch(`${reg.endpoint}/v2/scan/push/manifests/both`, { method: 'PUT', headers: { authorization: reg.basic, 'content-type': 'application/vnd.oci.image.index.v1+json' }, body: index });
    expect(put.status).toBe(201);
    await expect(ecr.send(new StartImageScanCommand({ repositoryName: 'scan/push', imageId: { imageTag: 'both' } }))).rejects.toMatchObject({ name: 'UnsupportedImageTypeException' });
    await expect(ecr.send(new DescribeImageScanFindingsCommand({ repositoryName: 'scan/push', imageId: { imageTag: 'both' } }))).rejects.toMatchObject({ name: 'ScanNotFoundException' });
  });
});

describe('registry scanning configuration', () => {
  it('scans on push what a BASIC SCAN_ON_PUSH rule matches, and reports each repository’s scanning', async () => {
    const put = await ecr.send(new PutRegistryScanningConfigurationCommand({ scanType: 'BASIC', rules: [{ scanFrequency: 'SCAN_ON_PUSH', repositoryFilters: [{ filter: 'team-*', filterType: 'WILDCARD' }] }] }));
    expect(put.registryScanningConfiguration?.rules?.[0]?.scanFrequency).toBe('SCAN_ON_PUSH');
    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'team-a/app' }));
    const batch = await ecr.send(new BatchGetRepositoryScanningConfigurationCommand({ repositoryNames: ['team-a/app', 'scan/push', 'scan/none'] }));
    expect(batch.scanningConfigurations?.map((c) => [c.repositoryName, c.scanFrequency, c.scanOnPush, c.appliedScanFilters?.map((f) => f.filter)])).toEqual([
      ['team-a/app', 'SCAN_ON_PUSH', true, ['team-*']],
      ['scan/push', 'SCAN_ON_PUSH', true, []],
    ]);
    expect(batch.failures).toEqual([{ repositoryName: 'scan/none', failureCode: 'REPOSITORY_NOT_FOUND', failureReason: 'REPOSITORY_NOT_FOUND' }]);
    await push(vulnerable, 'team-a/app:v1');
    expect((await waitScan('team-a/app', vulnerable.manifestDigest)).state).toBe('SUCCESS');
  }, 60_000);
});

describe('ENHANCED continuous scanning', () => {
  it('reports enhanced findings, and an advisory imported later appears on an image pushed earlier without its layers being read', async () => {
    await ecr.send(new PutRegistryScanningConfigurationCommand({ scanType: 'ENHANCED', rules: [{ scanFrequency: 'CONTINUOUS_SCAN', repositoryFilters: [{ filter: 'cont/*', filterType: 'WILDCARD' }] }] }));
    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'cont/app' }));
    await push(vulnerable, 'cont/app:v1');
    const read = () => ecr.send(new DescribeImageScanFindingsCommand({ repositoryName: 'cont/app', imageId: { imageTag: 'v1' } }));
    const before = await until('the enhanced scan', read, (o) => o.imageScanStatus?.status !== 'IN_PROGRESS');
    expect(before.imageScanStatus).toEqual({ status: 'ACTIVE', description: 'Continuous scan is selected for image.' });
    expect(before.imageScanFindings?.findings).toBeUndefined();
    const enhanced = before.imageScanFindings!.enhancedFindings!;
    expect(enhanced.map((f) => f.packageVulnerabilityDetails?.vulnerabilityId).sort()).toEqual(['CVE-2023-5363', 'CVE-2024-6387']);
    const ssl = enhanced.find((f) => f.packageVulnerabilityDetails?.vulnerabilityId === 'CVE-2023-5363')!;
    expect(ssl).toMatchObject({
      awsAccountId: '000000000000',
      fixAvailable: 'YES',
      status: 'ACTIVE',
      type: 'PACKAGE_VULNERABILITY',
      title: 'CVE-2023-5363 - libssl3',
      severity: 'UNTRIAGED',
      remediation: { recommendation: { text: 'Upgrade libssl3 to version 3.0.11-1~deb12u2 or later.' } },
      packageVulnerabilityDetails: {
        source: 'debian-security-tracker',
        sourceUrl: 'https://security-tracker.debian.org/tracker/CVE-2023-5363',
        vulnerablePackages: [{ name: 'libssl3', version: '3.0.11', release: '1~deb12u1', arch: 'amd64', packageManager: 'OS', filePath: 'var/lib/dpkg/status', fixedInVersion: '3.0.11-1~deb12u2' }],
      },
      resources: [{ type: 'AWS_ECR_CONTAINER_IMAGE', details: { awsEcrContainerImage: { imageHash: vulnerable.manifestDigest, repositoryName: 'cont/app', imageTags: ['v1'] } } }],
    });
    expect(ssl.findingArn).toMatch(/^arn:aws:inspector2:us-east-1:000000000000:finding\/[0-9a-f]{32}$/);
    expect(enhanced.find((f) => f.packageVulnerabilityDetails?.vulnerabilityId === 'CVE-2024-6387')?.packageVulnerabilityDetails?.vulnerablePackages?.[0]).toMatchObject({ epoch: 1, version: '9.2p1', release: '2+deb12u2' });

    // Re-evaluation must not read a layer: take the image's layer blobs away.
    for (const layer of vulnerable.layers) {
      const file = join(reg.dataDir, 'registry', 'blobs', 'sha256', layer.digest.slice(7, 9), layer.digest.slice(7));
      expect(existsSync(file)).toBe(true);
      unlinkSync(file);
    }
    await new Promise((r) => setTimeout(r, 1100)); // the import's time must differ from the first one's, to the second
    importAdvisories(reg.dataDir, work, { 'lodash.json': OSV_LODASH });
    const after = await until('the lodash advisory', read, (o) => (o.imageScanFindings?.enhancedFindings ?? []).length === 3);
    expect(after.imageScanStatus?.status).toBe('ACTIVE');
    const lodash = after.imageScanFindings!.enhancedFindings!.find((f) => f.packageVulnerabilityDetails?.vulnerabilityId === 'GHSA-jf85-cpcp-j695')!;
    expect(lodash).toMatchObject({
      severity: 'CRITICAL',
      fixAvailable: 'YES',
      description: 'Prototype Pollution in lodash',
      packageVulnerabilityDetails: { relatedVulnerabilities: ['CVE-2019-10744'], vulnerablePackages: [{ name: 'lodash', version: '4.17.11', packageManager: 'NODEPKG', filePath: 'app/node_modules/lodash/package.json', fixedInVersion: '4.17.12' }] },
    });
    expect(after.imageScanFindings?.vulnerabilitySourceUpdatedAt!.getTime()).toBeGreaterThan(before.imageScanFindings!.vulnerabilitySourceUpdatedAt!.getTime());
    expect(after.imageScanFindings?.findingSeverityCounts).toEqual({ UNTRIAGED: 2, CRITICAL: 1 });
    // A finding seen before keeps when it was first observed.
    const sslAfter = after.imageScanFindings!.enhancedFindings!.find((f) => f.packageVulnerabilityDetails?.vulnerabilityId === 'CVE-2023-5363')!;
    expect(sslAfter.firstObservedAt).toEqual(ssl.firstObservedAt);
    expect(sslAfter.findingArn).toBe(ssl.findingArn);
    // Images of repositories without continuous scanning keep the findings of their scan.
    const manual = await ecr.send(new DescribeImageScanFindingsCommand({ repositoryName: 'scan/manual', imageId: { imageTag: 'v1' } }));
    expect(manual.imageScanFindings?.vulnerabilitySourceUpdatedAt).toEqual(before.imageScanFindings?.vulnerabilitySourceUpdatedAt);
  }, 60_000);
});
