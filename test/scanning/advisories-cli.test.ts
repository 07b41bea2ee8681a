/**
 * `minato advisories import` and `status` as separate processes (the built CLI), against a data
 * dir that another process owns as `minato up` does: it holds the data dir lock and has the
 * scanning database open. The import must work all the same, and the owner must see the new
 * advisories on its open connection, re-evaluating an image it inventoried before without
 * reading its layers again.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { DataDirLock } from '../../src/cli/data-dir-lock.js';
import { AdvisoryDb } from '../../src/scanning/advisories/advisory-db.js';
import { DEBIAN_TRACKER, OSV_JINJA2, OSV_LODASH } from '../../src/scanning/advisories/published-advisories.fixtures.js';
import { SqliteLayerInventoryCache } from '../../src/scanning/inventory/layer-cache.js';
import { buildLayer, buildZip } from '../../src/scanning/inventory/layer.fixtures.js';
import { scanImage, type ImageLayer } from '../../src/scanning/scan.js';
import { openScanningDatabase, SCANNING_DB_FILE } from '../../src/scanning/scanning-database.js';
import { MINATO_BIN } from '../support/minato-process.js';

const dir = mkdtempSync(join(tmpdir(), 'minato-advisories-'));
const dataDir = join(dir, 'data');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const minato = (...args: string[]) => spawnSync(process.execPath, [MINATO_BIN, ...args], { encoding: 'utf8', timeout: 30_000 });
const write = (name: string, content: string | Buffer): string => {
  writeFileSync(join(dir, name), content);
  return join(dir, name);
};

describe('minato advisories', () => {
  it('says nothing is imported in a fresh data dir', () => {
    const r = minato('advisories', 'status', '--data-dir', join(dir, 'empty'));
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('no advisories imported\n');
  });

  it('imports while another process owns the data dir, which then sees the advisories without re-reading layers', async () => {
    // The owner: the data dir lock and an open scanning database, as a running `minato up` would have.
    const { mkdirSync } = await import('node:fs');
    mkdirSync(dataDir, { mode: 0o700 });
    const lock = DataDirLock.acquire(dataDir, 'up');
    const db = openScanningDatabase(join(dataDir, SCANNING_DB_FILE));
    try {
      const cache = new SqliteLayerInventoryCache(db);
      const blob = await buildLayer([
        { name: 'etc/os-release', content: 'ID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\n' },
        { name: 'var/lib/dpkg/status', content: 'Package: libc6\nStatus: install ok installed\nSource: glibc\nVersion: 2.36-9+deb12u1\n' },
        { name: 'app/node_modules/lodash/package.json', content: JSON.stringify({ name: 'lodash', version: '4.17.11' }) },
      ]);
      let opens = 0;
      const image: ImageLayer[] = [{ digest: 'sha256:aa', open: () => (opens++, Readable.from([blob])) }];
      const before = await scanImage(image, new AdvisoryDb(db), cache);
      expect(before.findings).toEqual([]);
      expect(before.osNotMatched).toMatch(/no advisories are imported for debian bookworm/);

      const files = [write('json', JSON.stringify(DEBIAN_TRACKER)), write('npm-all.zip', buildZip([{ name: 'GHSA-jf85-cpcp-j695.json', content: JSON.stringify(OSV_LODASH) }])), write('jinja2.json', JSON.stringify(OSV_JINJA2))];
      const imported = minato('advisories', 'import', ...files, '--data-dir', dataDir);
      expect(imported.stderr).toBe('');
      expect(imported.status).toBe(0);
      expect(imported.stdout).toMatch(/\/json: debian-security-tracker \(5 records, dated [^)]+\); skipped 2 not affected\n.*\/npm-all\.zip: osv:npm \(1 record, dated 2024-02-16T08:19:41Z\)\n.*\/jinja2\.json: osv:PyPI/);

      const after = await scanImage(image, new AdvisoryDb(db), cache);
      expect(after.findings.map((f) => `${f.vulnerabilityId} ${f.package.name}`).sort()).toEqual(['CVE-2023-4911 libc6', 'GHSA-jf85-cpcp-j695 lodash']);
      expect(after.cachedLayers).toBe(1);
      expect(opens).toBe(1);

      const status = minato('advisories', 'status', '--data-dir', dataDir, '--json');
      expect(status.status).toBe(0);
      const doc = JSON.parse(status.stdout) as { sources: { id: string; records: number; sourceDate: string }[]; updatedAt: string };
      expect(doc.sources.map((s) => [s.id, s.records])).toEqual([['debian-security-tracker', 5], ['osv:PyPI', 1], ['osv:npm', 1]]);
      expect(doc.updatedAt).toBe(after.advisoriesUpdatedAt);
      expect(minato('advisories', 'status', '--data-dir', dataDir).stdout).toMatch(/^SOURCE\s+RECORDS\s+SOURCE DATE\s+IMPORTED\s+FILE\ndebian-security-tracker\s+5\s/);
    } finally {
      db.close();
      lock.release();
    }
  });

  it('refuses a file that is no advisory format, naming it', () => {
    const r = minato('advisories', 'import', write('other.json', '{"hello":"world"}'), '--data-dir', dataDir);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/other\.json: not an advisory format/);
  });
});
