import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../scanning/advisories/match.js';
import type { InstalledPackage } from '../../scanning/inventory/types.js';
import { CHECK_SEVERITY, imageChecks, parseImageConfig } from './image-checks.js';
import { scanOutcome } from './scan-outcome.js';

const rootImage = { config: { Env: ['PATH=/bin', 'DB_PASSWORD=hunter2'] } };
const cleanImage = { config: { User: 'app', Env: ['PATH=/bin'], Healthcheck: { Test: ['CMD', 'true'] } } };
const files = [
  { path: 'bin/su', mode: 0o4755 },
  { path: 'etc/shadow', mode: 0o640, content: 'root::19000:0:99999:7:::\napp:!:19000::::::\n' },
  { path: 'etc/passwd', mode: 0o644, content: 'root:x:0:0::/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n' },
];

describe('imageChecks', () => {
  it('reports what dockle would, with ECR severities for its levels', () => {
    const checks = imageChecks(rootImage, files, ['v1']);
    expect(checks.map((c) => [c.code, c.level, c.severity])).toEqual([
      ['CIS-DI-0010', 'FATAL', 'HIGH'],
      ['DKL-LI-0001', 'FATAL', 'HIGH'],
      ['CIS-DI-0001', 'WARN', 'MEDIUM'],
      ['CIS-DI-0006', 'INFO', 'INFORMATIONAL'],
      ['CIS-DI-0008', 'INFO', 'INFORMATIONAL'],
    ]);
    expect(checks.find((c) => c.code === 'CIS-DI-0008')?.alerts).toEqual(['setuid file: -rwsr-xr-x /bin/su']);
    expect(checks.find((c) => c.code === 'DKL-LI-0001')?.alerts).toEqual(['No password user found! username : root']);
    expect(checks.find((c) => c.code === 'CIS-DI-0010')?.alerts).toEqual(['Suspicious ENV key found : DB_PASSWORD']);
  });

  it('finds nothing in a clean image; `latest` among the tags is DKL-DI-0006', () => {
    const clean = [files[2]!];
    expect(imageChecks(cleanImage, clean, ['v1', 'stable'])).toEqual([]);
    expect(imageChecks(cleanImage, clean, ['v1', 'latest']).map((c) => c.code)).toEqual(['DKL-DI-0006']);
  });

  it('maps every level to a severity ECR has', () => {
    fc.assert(
      fc.property(fc.constantFrom(...(Object.keys(CHECK_SEVERITY) as (keyof typeof CHECK_SEVERITY)[])), (level) => {
        expect(['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL']).toContain(CHECK_SEVERITY[level]);
      }),
    );
  });

  it('reads an unparsable config as an empty one', () => {
    expect(parseImageConfig(Buffer.from('{not json'))).toEqual({});
    expect(parseImageConfig(Buffer.from('null'))).toEqual({});
    expect(parseImageConfig(Buffer.from(JSON.stringify(cleanImage)))).toEqual(cleanImage);
  });
});

describe('image checks in the scan outcome', () => {
  const libssl: InstalledPackage = { type: 'dpkg', name: 'libssl3', version: '3.0.11-1~deb12u1', sourceName: 'openssl', path: 'var/lib/dpkg/status' };
  const finding: Finding = { vulnerabilityId: 'CVE-2023-5363', package: libssl, source: 'debian-security-tracker' };
  const result = { inventory: { os: { id: 'debian' }, packages: [libssl], problems: [] }, findings: [finding], cachedLayers: 0 };
  const options = { continuous: false, now: 1000, revision: 'r1' };
  const checks = imageChecks(rootImage, files, ['v1']);

  it('count among a basic scan’s findings, leave the vulnerabilities as they were, and change the digest', () => {
    const without = scanOutcome(result, { ...options, scanType: 'BASIC' });
    const withChecks = scanOutcome(result, { ...options, scanType: 'BASIC', checks });
    expect(withChecks.findings).toEqual(without.findings);
    expect(withChecks.checks).toEqual(checks);
    expect(withChecks.findingCount).toBe(1 + checks.length);
    expect(withChecks.severityCounts).toEqual({ UNDEFINED: 1, HIGH: 2, MEDIUM: 1, INFORMATIONAL: 2 });
    expect(withChecks.findingsDigest).not.toBe(without.findingsDigest);
    expect(scanOutcome(result, { ...options, scanType: 'BASIC', checks: [] }).findingsDigest).toBe(without.findingsDigest);
  });

  it('are left out of enhanced scans, and of a failed basic scan', () => {
    const enhanced = scanOutcome(result, { ...options, scanType: 'ENHANCED', checks });
    expect(enhanced.checks).toEqual([]);
    expect(enhanced.severityCounts).toEqual({ UNDEFINED: 1 });
    const unsupported = scanOutcome({ ...result, inventory: { packages: [], problems: [] }, findings: [] }, { ...options, scanType: 'BASIC', checks });
    expect(unsupported).toMatchObject({ status: 'FAILED', checks: [], findingCount: 0 });
  });
});
