import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openScanningDatabase } from '../scanning-database.js';
import { AdvisoryDb } from './advisory-db.js';
import { importAlpineSecDb } from './import-alpine.js';
import { importDebianTracker } from './import-debian.js';
import { importOsvRecords } from './import-osv.js';
import { OSV_GO_RAPID_RESET, OSV_LODASH } from './published-advisories.fixtures.js';

let db: Database.Database;
beforeEach(() => {
  db = openScanningDatabase(':memory:');
});
afterEach(() => db.close());

describe('importing advisories', () => {
  it('keeps the newer of two OSV records and drops a withdrawn one', () => {
    const advisories = new AdvisoryDb(db);
    importOsvRecords(db, [OSV_LODASH], 'a.json', '2024-01-01T00:00:00Z');
    const older = { ...OSV_LODASH, modified: '2019-01-01T00:00:00Z', affected: [{ ...OSV_LODASH.affected[0]!, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '9.9.9' }] }] }] };
    const summary = importOsvRecords(db, [older], 'b.json', '2024-01-02T00:00:00Z');
    expect(summary.skipped).toEqual({ 'older than the stored record': 1 });
    expect(advisories.osvAffected('npm', 'lodash')[0]!.ranges).toEqual(OSV_LODASH.affected[0]!.ranges);
    importOsvRecords(db, [{ ...OSV_LODASH, modified: '2025-01-01T00:00:00Z', withdrawn: '2025-01-01T00:00:00Z' }], 'c.json', '2024-01-03T00:00:00Z');
    expect(advisories.osvAffected('npm', 'lodash')).toEqual([]);
  });

  it('skips OSV records of ecosystems the scanner does not match, and normalises PyPI names', () => {
    const summary = importOsvRecords(
      db,
      [
        { id: 'DSA-0000-1', modified: '2024-01-01T00:00:00Z', affected: [{ package: { ecosystem: 'Debian:12', name: 'x' } }] },
        { id: 'PYSEC-0000-1', modified: '2024-01-01T00:00:00Z', affected: [{ package: { ecosystem: 'PyPI', name: 'Some_Package' }, ranges: [] }] },
        { not: 'a record' },
      ],
      'x.json',
      '2024-01-01T00:00:00Z',
    );
    expect(summary.skipped).toEqual({ 'no affected package of a matched ecosystem': 1, 'not an OSV record': 1 });
    expect(new AdvisoryDb(db).osvAffected('PyPI', 'some-package')).toHaveLength(1);
  });

  it('ignores secdb entries under the pseudo-version 0 and splits entries naming several ids', () => {
    // Shape-only example (not a real advisory): the two rules of secdb's format.
    importAlpineSecDb(db, { distroversion: 'v3.20', reponame: 'main', packages: [{ pkg: { name: 'p', secfixes: { '0': ['CVE-0000-0001'], '1.0-r1': ['CVE-0000-0002 GHSA-xxxx-xxxx-xxxx'] } } }] }, 'main.json', '2024-01-01T00:00:00Z', '2024-01-02T00:00:00Z');
    expect(new AdvisoryDb(db).osAdvisories('alpine', 'v3.20', 'p').map((a) => [a.vulnId, a.fixedVersion])).toEqual([
      ['CVE-0000-0002', '1.0-r1'],
      ['GHSA-xxxx-xxxx-xxxx', '1.0-r1'],
    ]);
  });

  it('replaces the previous Debian import whole, keeping open issues without a fix', () => {
    const advisories = new AdvisoryDb(db);
    const tracker = (status: string, fixed?: string): unknown => ({ zlib: { 'CVE-0000-0003': { releases: { bookworm: { status, ...(fixed && { fixed_version: fixed }), urgency: 'low' } } } } });
    importDebianTracker(db, tracker('open'), 'json', '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z');
    expect(advisories.osAdvisories('debian', 'bookworm', 'zlib')).toEqual([{ vulnId: 'CVE-0000-0003', severity: 'low', source: 'debian-security-tracker' }]);
    importDebianTracker(db, tracker('resolved', '0'), 'json', '2024-01-02T00:00:00Z', '2024-01-02T00:00:00Z');
    expect(advisories.osAdvisories('debian', 'bookworm', 'zlib')).toEqual([]);
    expect(() => importDebianTracker(db, { nope: 1 }, 'json', '', '')).toThrow(/not the Debian security tracker/);
  });

  it('keeps an OSV record’s CVSS vectors, of every version, and none for a record without', () => {
    // Shape-only example (not a real advisory): a record giving a v3.1 and a v4.0 vector.
    const v4 = 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N';
    const record = { id: 'GHSA-0000-0000-0001', modified: '2024-01-01T00:00:00Z', severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }, { type: 'CVSS_V4', score: v4 }, { type: 'Ubuntu', score: 'high' }], affected: [{ package: { ecosystem: 'npm', name: 'p' }, ranges: [] }] };
    importOsvRecords(db, [record, OSV_GO_RAPID_RESET], 'x.json', '2024-01-01T00:00:00Z');
    const advisories = new AdvisoryDb(db);
    expect(advisories.osvAffected('npm', 'p')[0]!.cvss).toEqual([{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }, { type: 'CVSS_V4', score: v4 }]);
    expect(advisories.osvAffected('Go', 'stdlib')[0]!.cvss).toEqual([]);
  });
});

describe('a scanning database made before CVSS vectors were kept', () => {
  it('gains the column when opened, its records without vectors until imported again', () => {
    const dir = mkdtempSync(join(tmpdir(), 'minato-scanning-db-'));
    try {
      const file = join(dir, 'scanning.db');
      const old = new Database(file);
      old.exec('CREATE TABLE osv_vulnerabilities (id TEXT PRIMARY KEY, source TEXT NOT NULL, modified TEXT NOT NULL, summary TEXT, aliases TEXT NOT NULL, severity TEXT)');
      old.exec('CREATE TABLE osv_affected (vuln_id TEXT NOT NULL, ecosystem TEXT NOT NULL, package TEXT NOT NULL, ranges TEXT NOT NULL, versions TEXT NOT NULL)');
      old.prepare("INSERT INTO osv_vulnerabilities VALUES ('GHSA-jf85-cpcp-j695', 'osv:npm', '2024-02-16T08:19:41Z', NULL, '[]', 'CRITICAL')").run();
      old.prepare("INSERT INTO osv_affected VALUES ('GHSA-jf85-cpcp-j695', 'npm', 'lodash', '[]', '[]')").run();
      old.close();
      const reopened = openScanningDatabase(file);
      try {
        expect(new AdvisoryDb(reopened).osvAffected('npm', 'lodash')[0]!.cvss).toEqual([]);
        importOsvRecords(reopened, [OSV_LODASH], 'lodash.json', '2024-03-01T00:00:00Z');
        expect(new AdvisoryDb(reopened).osvAffected('npm', 'lodash')[0]!.cvss).toEqual(OSV_LODASH.severity);
      } finally {
        reopened.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
