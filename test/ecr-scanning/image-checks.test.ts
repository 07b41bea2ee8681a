/**
 * The image checks as ECR clients see them: busybox-based Debian images without vulnerable
 * packages, one carelessly built and one well kept, pushed with skopeo to a repository scanned on
 * push, their findings read with `aws ecr describe-image-scan-findings`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateRepositoryCommand, GetAuthorizationTokenCommand, type ECRClient } from '@aws-sdk/client-ecr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEBIAN_TRACKER } from '../../src/scanning/advisories/published-advisories.fixtures.js';
import { startTestRegistry, type TestRegistry } from '../registry/harness.js';
import { aws, skopeo, skopeoWithInput } from '../registry/tools.js';
import type { BuiltImage } from '../support/oci-image.js';
import { checkedImage, importAdvisories } from './scan-images.js';

let reg: TestRegistry;
let ecr: ECRClient;
let work: string;
let stopScans: () => Promise<void>;
const images: BuiltImage[] = [];

beforeAll(async () => {
  reg = await startTestRegistry();
  work = mkdtempSync(join(tmpdir(), 'minato-image-checks-'));
  stopScans = reg.registry.scans.startBackground(200);
  ecr = reg.ecr();
  importAdvisories(reg.dataDir, work, { 'debian.json': DEBIAN_TRACKER });
  const token = (await ecr.send(new GetAuthorizationTokenCommand({}))).authorizationData![0]!.authorizationToken!;
  const password = Buffer.from(token, 'base64').toString('utf8').slice('AWS:'.length);
  const login = await skopeoWithInput(work, password, 'login', '--tls-verify=false', '--username', 'AWS', '--password-stdin', reg.host);
  if (login.code !== 0) throw new Error(`skopeo login failed: ${login.stderr}`);
  await ecr.send(new CreateRepositoryCommand({ repositoryName: 'checks/app', imageScanningConfiguration: { scanOnPush: true } }));
}, 60_000);

afterAll(async () => {
  await stopScans?.();
  reg?.registry.close();
  await reg?.close();
  for (const image of images) await image.cleanup();
  if (work) rmSync(work, { recursive: true, force: true });
});

interface Findings {
  imageScanStatus: { status: string };
  imageScanFindings: { findings: { name: string; description?: string; uri?: string; severity: string; attributes: { key: string; value: string }[] }[]; findingSeverityCounts: Record<string, number> };
}

/** Pushes an image under a tag and reads its findings once the scan on push is done. */
async function pushAndDescribe(image: BuiltImage, tag: string): Promise<Findings> {
  const copy = await skopeo(work, 'copy', '--dest-tls-verify=false', `oci:${image.dir}:latest`, `docker://${reg.host}/checks/app:${tag}`);
  if (copy.code !== 0) throw new Error(`skopeo copy failed: ${copy.stderr}`);
  const waited = await aws(work, reg.endpoint, 'ecr', 'wait', 'image-scan-complete', '--repository-name', 'checks/app', '--image-id', `imageTag=${tag}`);
  expect(waited.stderr).toBe('');
  const r = await aws(work, reg.endpoint, 'ecr', 'describe-image-scan-findings', '--repository-name', 'checks/app', '--image-id', `imageTag=${tag}`);
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Findings;
}

describe('image checks on push', () => {
  it('report a setuid file, an empty password, a secret in ENV, root and the latest tag under dockle’s codes', async () => {
    const careless = await checkedImage(true);
    images.push(careless);
    const out = await pushAndDescribe(careless, 'latest');
    expect(out.imageScanStatus.status).toBe('COMPLETE');
    const findings = out.imageScanFindings.findings;
    expect(findings.map((f) => `${f.name} ${f.severity}`)).toEqual([
      'CIS-DI-0010 HIGH',
      'DKL-LI-0001 HIGH',
      'CIS-DI-0001 MEDIUM',
      'DKL-DI-0006 MEDIUM',
      'CIS-DI-0006 INFORMATIONAL',
      'CIS-DI-0008 INFORMATIONAL',
    ]);
    const alerts = (name: string) => findings.find((f) => f.name === name)?.attributes.find((a) => a.key === 'alerts')?.value;
    expect(alerts('CIS-DI-0008')).toBe('setuid file: -rwsr-xr-x /usr/bin/mount');
    // The top layer's shadow replaced the base's, where root was locked.
    expect(alerts('DKL-LI-0001')).toBe('No password user found! username : root');
    expect(alerts('CIS-DI-0010')).toBe('Suspicious ENV key found : API_TOKEN');
    expect(alerts('CIS-DI-0001')).toBe('Last user should not be root');
    expect(findings.find((f) => f.name === 'CIS-DI-0001')).toMatchObject({
      description: 'Create a user for the container',
      uri: 'https://github.com/goodwithtech/dockle/blob/master/CHECKPOINT.md',
      attributes: [{ key: 'dockle_level', value: 'WARN' }, expect.anything()],
    });
    expect(out.imageScanFindings.findingSeverityCounts).toEqual({ HIGH: 2, MEDIUM: 2, INFORMATIONAL: 2 });
    // Pages of four: the CLI follows nextToken and gets the same list.
    const paged = await aws(work, reg.endpoint, 'ecr', 'describe-image-scan-findings', '--repository-name', 'checks/app', '--image-id', 'imageTag=latest', '--page-size', '4');
    expect((JSON.parse(paged.stdout) as Findings).imageScanFindings.findings).toEqual(findings);
  }, 90_000);

  it('report nothing for a well-kept image', async () => {
    const kept = await checkedImage(false);
    images.push(kept);
    const out = await pushAndDescribe(kept, 'v1');
    expect(out.imageScanStatus.status).toBe('COMPLETE');
    expect(out.imageScanFindings.findings).toEqual([]);
    expect(out.imageScanFindings.findingSeverityCounts).toEqual({});
  }, 90_000);
});
