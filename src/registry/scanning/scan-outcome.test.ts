import { describe, expect, it } from 'vitest';
import type { Finding } from '../../scanning/advisories/match.js';
import type { InstalledPackage } from '../../scanning/inventory/types.js';
import type { ScanResult } from '../../scanning/scan.js';
import { carryFirstObserved, failedOutcome, findingSeverity, scanOutcome, UNSUPPORTED_IMAGE } from './scan-outcome.js';

const libssl: InstalledPackage = { type: 'dpkg', name: 'libssl3', version: '3.0.11-1~deb12u1', sourceName: 'openssl', path: 'var/lib/dpkg/status' };
const lodash: InstalledPackage = { type: 'npm', name: 'lodash', version: '4.17.11', path: 'app/node_modules/lodash/package.json' };
const osFinding: Finding = { vulnerabilityId: 'CVE-2023-5363', package: libssl, fixedVersion: '3.0.11-1~deb12u2', source: 'debian-security-tracker' };
const npmFinding: Finding = { vulnerabilityId: 'GHSA-jf85-cpcp-j695', package: lodash, fixedVersion: '4.17.12', severity: 'CRITICAL', summary: 'Prototype Pollution in lodash', aliases: ['CVE-2019-10744'], source: 'osv:npm' };
const result = (packages: InstalledPackage[], findings: Finding[], extra: Partial<ScanResult> = {}): ScanResult => ({
  inventory: { os: { id: 'debian', versionCodename: 'bookworm' }, packages, problems: [] },
  findings,
  cachedLayers: 0,
  advisoriesUpdatedAt: '2024-07-03T00:00:00.000Z',
  ...extra,
});
const options = { continuous: false, now: 1000, revision: 'r1' };

describe('scanOutcome', () => {
  it('basic scanning keeps OS findings only; enhanced keeps all; counts by ECR severity', () => {
    const basic = scanOutcome(result([libssl, lodash], [osFinding, npmFinding]), { ...options, scanType: 'BASIC' });
    expect(basic).toMatchObject({ status: 'COMPLETE', scanType: 'BASIC', severityCounts: { UNDEFINED: 1 }, vulnerabilitySourceUpdatedAt: '2024-07-03T00:00:00.000Z', advisoriesRevision: 'r1' });
    expect(basic.findings.map((f) => f.vulnerabilityId)).toEqual(['CVE-2023-5363']);
    const enhanced = scanOutcome(result([libssl, lodash], [osFinding, npmFinding]), { ...options, scanType: 'ENHANCED', continuous: true });
    expect(enhanced).toMatchObject({ status: 'ACTIVE', severityCounts: { UNDEFINED: 1, CRITICAL: 1 } });
    expect(enhanced.findings[1]).toEqual({
      vulnerabilityId: 'GHSA-jf85-cpcp-j695',
      packageType: 'npm',
      packageName: 'lodash',
      packageVersion: '4.17.11',
      path: 'app/node_modules/lodash/package.json',
      fixedVersion: '4.17.12',
      severity: 'CRITICAL',
      vendorSeverity: 'CRITICAL',
      description: 'Prototype Pollution in lodash',
      aliases: ['CVE-2019-10744'],
      source: 'osv:npm',
      firstObservedAt: 1000,
    });
  });

  it('keeps when a finding was first observed across scans; the digest tells whether the findings changed', () => {
    const first = scanOutcome(result([libssl], [osFinding]), { ...options, scanType: 'ENHANCED' });
    const same = scanOutcome(result([libssl], [osFinding]), { ...options, scanType: 'ENHANCED', now: 3000, revision: 'r2' });
    expect(same.findingsDigest).toBe(first.findingsDigest);
    const again = scanOutcome(result([libssl, lodash], [osFinding, npmFinding]), { ...options, scanType: 'ENHANCED', now: 5000 });
    expect(again.findingsDigest).not.toBe(first.findingsDigest);
    expect(carryFirstObserved(again.findings, first.findings).map((f) => f.firstObservedAt)).toEqual([1000, 5000]);
  });

  it('fails basic scanning of an image without OS packages or with an OS it cannot judge, with ECR’s reason', () => {
    expect(scanOutcome(result([], [], { inventory: { packages: [], problems: [] } }), { ...options, scanType: 'BASIC' })).toMatchObject({ status: 'FAILED', failure: 'unsupported', description: UNSUPPORTED_IMAGE, findings: [] });
    const ubuntu = scanOutcome(result([libssl], [], { osNotMatched: 'no advisories are imported for ubuntu' }), { ...options, scanType: 'BASIC' });
    expect(ubuntu.description).toBe(`${UNSUPPORTED_IMAGE} (no advisories are imported for ubuntu)`);
    // Enhanced scanning still judges the language packages.
    expect(scanOutcome(result([lodash], [npmFinding], { osNotMatched: 'the image has no os-release' }), { ...options, scanType: 'ENHANCED' }).status).toBe('COMPLETE');
  });

  it('keeps a finding’s CVSS score, and rates by it when the advisory gives no word (Inspector’s bands)', () => {
    const cvss = { version: '3.0' as const, vector: 'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:N/A:N', baseScore: 8.6 };
    const jinja2: InstalledPackage = { type: 'python', name: 'jinja2', version: '2.10', path: 'usr/lib/python3/dist-packages/Jinja2-2.10.dist-info/METADATA' };
    const scored = (f: Partial<Finding>) => scanOutcome(result([jinja2], [{ vulnerabilityId: 'GHSA-462w-v97r-4m45', package: jinja2, source: 'osv:PyPI', ...f }]), { ...options, scanType: 'ENHANCED' }).findings[0]!;
    expect(scored({ cvss })).toMatchObject({ severity: 'HIGH', cvss });
    // The vector stands as the vendor's word when the record has no other; it rates nothing by itself.
    expect(scored({ cvss, severity: cvss.vector })).toMatchObject({ severity: 'HIGH', vendorSeverity: cvss.vector });
    expect(scored({ cvss, severity: 'MODERATE' }).severity).toBe('MEDIUM');
    expect(scored({ cvss: { ...cvss, baseScore: 0 } }).severity).toBe('INFORMATIONAL');
    expect(scored({}).severity).toBe('UNDEFINED');
    // A score of its own changes what the findings say.
    const digest = (f: Partial<Finding>) => scanOutcome(result([jinja2], [{ vulnerabilityId: 'GHSA-462w-v97r-4m45', package: jinja2, source: 'osv:PyPI', severity: 'HIGH', ...f }]), { ...options, scanType: 'ENHANCED' }).findingsDigest;
    expect(digest({ cvss })).not.toBe(digest({}));
  });

  it('says why a scan could not run', () => {
    expect(failedOutcome(new Error('layer sha256:ab could not be read: unexpected end of file'), 'BASIC', 7)).toMatchObject({
      scanType: 'BASIC',
      status: 'FAILED',
      failure: 'error',
      description: 'ScanError: layer sha256:ab could not be read: unexpected end of file',
      findings: [],
      findingCount: 0,
      severityCounts: {},
      completedAt: 7,
    });
  });
});

describe('findingSeverity', () => {
  it('maps Debian urgencies and GitHub severities to ECR’s, the rest to UNDEFINED', () => {
    expect(['unimportant', 'low', 'medium', 'MODERATE', 'high', 'CRITICAL', 'CVSS:3.1/AV:N', undefined].map(findingSeverity)).toEqual(['INFORMATIONAL', 'LOW', 'MEDIUM', 'MEDIUM', 'HIGH', 'CRITICAL', 'UNDEFINED', 'UNDEFINED']);
  });
});
