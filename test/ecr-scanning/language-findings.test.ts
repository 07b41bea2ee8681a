/**
 * Enhanced scanning of language packages as clients see it: an image built here with a Spring Boot
 * style jar (log4j-core nested in it), an npm tree, Python dist-info and a Go binary's build info,
 * pushed with skopeo to an ENHANCED SCAN_ON_PUSH repository, its findings read with the AWS CLI
 * (its `wait image-scan-complete` waiter included): each vulnerable package found by its OSV
 * advisory with Inspector's score and fix (or its words for none), none of the packages at a fixed version.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateRepositoryCommand, GetAuthorizationTokenCommand, PutRegistryScanningConfigurationCommand, type ECRClient } from '@aws-sdk/client-ecr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEBIAN_TRACKER, OSV_GO_RAPID_RESET, OSV_JINJA2, OSV_LODASH, OSV_LOG4SHELL } from '../../src/scanning/advisories/published-advisories.fixtures.js';
import { startTestRegistry, type TestRegistry } from '../registry/harness.js';
import { aws, skopeo, skopeoWithInput } from '../registry/tools.js';
import type { BuiltImage } from '../support/oci-image.js';
import { importAdvisories, languageImage } from './scan-images.js';

/**
 * Jinja2's record without GitHub's word on its severity (as PyPA's records come), carrying NVD's
 * vector for CVE-2019-10906 instead (base score 8.6): the finding is rated by the score alone.
 */
const JINJA2_SCORED_ONLY = {
  ...OSV_JINJA2,
  database_specific: { github_reviewed: true },
  severity: [{ type: 'CVSS_V3', score: 'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:N/A:N' }],
};

/** Shape-only example (not a real advisory): one version of express affected, and no fix. */
const EXPRESS_UNFIXED = {
  id: 'GHSA-0000-0000-0001',
  modified: '2024-01-01T00:00:00Z',
  summary: 'Shape-only example without a fix',
  affected: [{ package: { ecosystem: 'npm', name: 'express' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '4.18.2' }, { last_affected: '4.18.2' }] }] }],
  database_specific: { severity: 'LOW' },
};

let reg: TestRegistry;
let ecr: ECRClient;
let work: string;
let stopScans: () => Promise<void>;
const images: BuiltImage[] = [];

beforeAll(async () => {
  reg = await startTestRegistry();
  work = mkdtempSync(join(tmpdir(), 'minato-ecr-language-'));
  stopScans = reg.registry.scans.startBackground(200);
  ecr = reg.ecr();
  importAdvisories(reg.dataDir, work, { 'debian.json': DEBIAN_TRACKER, 'npm.json': [OSV_LODASH, EXPRESS_UNFIXED], 'maven-pypi.json': [OSV_LOG4SHELL, JINJA2_SCORED_ONLY], 'go.json': OSV_GO_RAPID_RESET });
  await ecr.send(new PutRegistryScanningConfigurationCommand({ scanType: 'ENHANCED', rules: [{ scanFrequency: 'SCAN_ON_PUSH', repositoryFilters: [{ filter: 'lang/*', filterType: 'WILDCARD' }] }] }));
  const token = (await ecr.send(new GetAuthorizationTokenCommand({}))).authorizationData![0]!.authorizationToken!;
  const password = Buffer.from(token, 'base64').toString('utf8').slice('AWS:'.length);
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

interface CliFinding {
  severity: string;
  score?: number;
  scoreDetails?: { cvss: { score: number; scoreSource: string; scoringVector: string; version: string; adjustments: unknown[] } };
  fixAvailable: string;
  remediation: { recommendation: { text: string } };
  packageVulnerabilityDetails: {
    vulnerabilityId: string;
    vendorSeverity?: string;
    cvss?: { baseScore: number; scoringVector: string; source: string; version: string }[];
    vulnerablePackages: { name: string; version: string; filePath: string; packageManager: string; fixedInVersion: string }[];
  };
}

/** The image's enhanced findings through the AWS CLI, after its waiter has seen the scan complete. */
async function cliFindings(repository: string, tag: string): Promise<{ status: string; counts: Record<string, number>; findings: CliFinding[] }> {
  const cli = (...args: string[]) => aws(work, reg.endpoint, 'ecr', ...args);
  const waited = await cli('wait', 'image-scan-complete', '--repository-name', repository, '--image-id', `imageTag=${tag}`);
  expect(waited.stderr).toBe('');
  expect(waited.code).toBe(0);
  const r = await cli('describe-image-scan-findings', '--repository-name', repository, '--image-id', `imageTag=${tag}`);
  expect(r.code).toBe(0);
  const out = JSON.parse(r.stdout) as { imageScanStatus: { status: string }; imageScanFindings: { findingSeverityCounts: Record<string, number>; enhancedFindings: CliFinding[]; findings?: unknown } };
  expect(out.imageScanFindings.findings).toBeUndefined();
  return { status: out.imageScanStatus.status, counts: out.imageScanFindings.findingSeverityCounts, findings: out.imageScanFindings.enhancedFindings };
}

const byId = (findings: CliFinding[], id: string): CliFinding => findings.find((f) => f.packageVulnerabilityDetails.vulnerabilityId === id)!;

describe('enhanced scanning of language packages, scanned on push', () => {
  it('finds log4j-core in a nested jar, lodash deep in an npm tree, Jinja2 dist-info and a Go toolchain, each with its fix, and says when there is none', async () => {
    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'lang/app' }));
    const vulnerable = await languageImage();
    images.push(vulnerable);
    await push(vulnerable, 'lang/app:v1');
    const { status, counts, findings } = await cliFindings('lang/app', 'v1');
    expect(status).toBe('COMPLETE');
    // Not reported: log4j-core 2.12.2 (the backported fix), lodash 4.17.12, golang.org/x/net v0.17.0, glibc with DSA-5514-1's fix.
    expect(findings.map((f) => `${f.packageVulnerabilityDetails.vulnerabilityId} ${f.packageVulnerabilityDetails.vulnerablePackages[0]!.name}@${f.packageVulnerabilityDetails.vulnerablePackages[0]!.version}`).sort()).toEqual([
      'GHSA-0000-0000-0001 express@4.18.2',
      'GHSA-462w-v97r-4m45 jinja2@2.10',
      'GHSA-jf85-cpcp-j695 lodash@4.17.11',
      'GHSA-jfh8-c2jp-5v3q org.apache.logging.log4j:log4j-core@2.14.1',
      'GO-2023-2102 stdlib@v1.21.1',
    ]);

    // Log4Shell: GitHub's CRITICAL, and the record's vector scored 10.0.
    const log4shell = byId(findings, 'GHSA-jfh8-c2jp-5v3q');
    expect(log4shell).toMatchObject({
      severity: 'CRITICAL',
      score: 10,
      scoreDetails: { cvss: { score: 10, scoreSource: 'osv:Maven', scoringVector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H', version: '3.1', adjustments: [] } },
      fixAvailable: 'YES',
      remediation: { recommendation: { text: 'Upgrade org.apache.logging.log4j:log4j-core to version 2.15.0 or later.' } },
      packageVulnerabilityDetails: {
        vendorSeverity: 'CRITICAL',
        cvss: [{ baseScore: 10, scoringVector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H', source: 'osv:Maven', version: '3.1' }],
        vulnerablePackages: [{ packageManager: 'JAR', filePath: 'opt/app/app.jar!BOOT-INF/lib/log4j-core-2.14.1.jar', fixedInVersion: '2.15.0' }],
      },
    });
    // lodash: 9.1 from C:N/I:H/A:H.
    expect(byId(findings, 'GHSA-jf85-cpcp-j695')).toMatchObject({
      severity: 'CRITICAL',
      score: 9.1,
      fixAvailable: 'YES',
      packageVulnerabilityDetails: { vulnerablePackages: [{ packageManager: 'NODEPKG', filePath: 'srv/web/node_modules/express/node_modules/body-parser/node_modules/lodash/package.json', fixedInVersion: '4.17.12' }] },
    });
    // Jinja2: no word from the advisory, so the severity is the band of its 8.6.
    expect(byId(findings, 'GHSA-462w-v97r-4m45')).toMatchObject({
      severity: 'HIGH',
      score: 8.6,
      scoreDetails: { cvss: { score: 8.6, scoringVector: 'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:N/A:N', version: '3.0' } },
      packageVulnerabilityDetails: { vulnerablePackages: [{ name: 'jinja2', packageManager: 'PYTHONPKG', filePath: 'usr/lib/python3/dist-packages/Jinja2-2.10.dist-info/METADATA', fixedInVersion: '2.10.1' }] },
    });
    // The Go database rates nothing: no score, and Inspector's UNTRIAGED.
    const go = byId(findings, 'GO-2023-2102');
    expect(go).toMatchObject({ severity: 'UNTRIAGED', fixAvailable: 'YES', packageVulnerabilityDetails: { vulnerablePackages: [{ packageManager: 'GOBINARY', filePath: 'usr/local/bin/srv', fixedInVersion: '1.21.3' }] } });
    expect(go.score).toBeUndefined();
    expect(go.scoreDetails).toBeUndefined();
    expect(go.packageVulnerabilityDetails.cvss).toBeUndefined();
    // No fix: Inspector's words for it.
    expect(byId(findings, 'GHSA-0000-0000-0001')).toMatchObject({
      severity: 'LOW',
      fixAvailable: 'NO',
      remediation: { recommendation: { text: 'None Provided' } },
      packageVulnerabilityDetails: { vulnerablePackages: [{ name: 'express', filePath: 'srv/web/node_modules/express/package.json', fixedInVersion: 'NotAvailable' }] },
    });
    expect(counts).toEqual({ CRITICAL: 2, HIGH: 1, LOW: 1, UNTRIAGED: 1 });
  }, 90_000);

  it('reports nothing for the same image with every package at its fixed version', async () => {
    const fixed = await languageImage(true);
    images.push(fixed);
    await push(fixed, 'lang/app:v2');
    const { status, counts, findings } = await cliFindings('lang/app', 'v2');
    expect(status).toBe('COMPLETE');
    expect(findings).toEqual([]);
    expect(counts).toEqual({});
  }, 90_000);
});
