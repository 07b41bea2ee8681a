import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdvisoryDb, MemoizedAdvisories } from './advisories/advisory-db.js';
import { importAdvisoryFile } from './advisories/import-file.js';
import { ALPINE_SECDB_3_19_MAIN, DEBIAN_TRACKER, OSV_GO_RAPID_RESET, OSV_JINJA2, OSV_LODASH, OSV_LOG4SHELL } from './advisories/published-advisories.fixtures.js';
import { buildGoBuildInfo } from './inventory/go-buildinfo.js';
import { SqliteLayerInventoryCache } from './inventory/layer-cache.js';
import { buildLayer, buildZip, type FixtureEntry } from './inventory/layer.fixtures.js';
import { scanImage, type ImageLayer } from './scan.js';
import { openScanningDatabase } from './scanning-database.js';

let dir: string;
let db: Database.Database;
let advisories: AdvisoryDb;

const BOOKWORM = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\nID=debian\n';
const BULLSEYE = 'PRETTY_NAME="Debian GNU/Linux 11 (bullseye)"\nVERSION_ID="11"\nVERSION_CODENAME=bullseye\nID=debian\n';
const dpkg = (...pkgs: [name: string, source: string, version: string][]): string =>
  pkgs.map(([name, source, version]) => `Package: ${name}\nStatus: install ok installed\nSource: ${source}\nVersion: ${version}\nArchitecture: amd64\n`).join('\n');
const pom = (g: string, a: string, v: string): string => `groupId=${g}\nartifactId=${a}\nversion=${v}\n`;

let layerCount = 0;
async function layer(entries: FixtureEntry[]): Promise<ImageLayer & { opens: number }> {
  const blob = await buildLayer(entries);
  const l = { digest: `sha256:${String(++layerCount).padStart(64, '0')}`, opens: 0, open: () => (l.opens++, Readable.from([blob])) };
  return l;
}
const ids = (findings: { vulnerabilityId: string; package: { name: string; version: string } }[]): string[] =>
  findings.map((f) => `${f.vulnerabilityId} ${f.package.name}@${f.package.version}`).sort();

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'minato-scan-'));
  db = openScanningDatabase(join(dir, 'scanning.db'));
  const files: [string, unknown][] = [
    ['debian.json', DEBIAN_TRACKER],
    ['main.json', ALPINE_SECDB_3_19_MAIN],
    ['lodash.json', OSV_LODASH],
    ['osv-array.json', [OSV_LOG4SHELL, OSV_JINJA2]],
  ];
  for (const [name, doc] of files) {
    writeFileSync(join(dir, name), JSON.stringify(doc));
    utimesSync(join(dir, name), new Date('2024-07-02T00:00:00Z'), new Date('2024-07-02T00:00:00Z'));
    importAdvisoryFile(db, join(dir, name), new Date('2024-07-03T00:00:00Z'));
  }
  writeFileSync(join(dir, 'go.zip'), buildZip([{ name: 'GO-2023-2102.json', content: JSON.stringify(OSV_GO_RAPID_RESET) }]));
  importAdvisoryFile(db, join(dir, 'go.zip'), new Date('2024-07-04T00:00:00Z'));
  advisories = new AdvisoryDb(db);
});
afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('scanImage', () => {
  it('finds vulnerable OS and language packages of a Debian image, honouring backports, epochs and ~', async () => {
    const jar = buildZip([
      { name: 'META-INF/maven/com.example/app/pom.properties', content: pom('com.example', 'app', '1.0') },
      { name: 'lib/log4j-core-2.14.1.jar', content: buildZip([{ name: 'META-INF/maven/org.apache.logging.log4j/log4j-core/pom.properties', content: pom('org.apache.logging.log4j', 'log4j-core', '2.14.1') }]) },
    ]);
    const backportedLog4j = buildZip([{ name: 'META-INF/maven/org.apache.logging.log4j/log4j-core/pom.properties', content: pom('org.apache.logging.log4j', 'log4j-core', '2.12.2') }]);
    const goBinary = Buffer.concat([Buffer.alloc(8192), buildGoBuildInfo('go1.21.1', ['path\tex.com/srv', 'mod\tex.com/srv\t(devel)\t', 'dep\tgolang.org/x/net\tv0.17.0\th1:x='])]);
    const base = await layer([
      { name: 'etc/os-release', content: BOOKWORM },
      {
        name: 'var/lib/dpkg/status',
        content: dpkg(['libc6', 'glibc', '2.36-9+deb12u3'], ['libssl3', 'openssl', '3.0.11-1~deb12u1'], ['openssh-client', 'openssh', '1:9.2p1-2+deb12u2']),
      },
      { name: 'app/node_modules/lodash/package.json', content: JSON.stringify({ name: 'lodash', version: '4.17.11' }) },
      { name: 'app/node_modules/other/node_modules/lodash/package.json', content: JSON.stringify({ name: 'lodash', version: '4.17.12' }) },
      { name: 'opt/app.jar', content: jar },
      { name: 'opt/old.jar', content: backportedLog4j },
      { name: 'usr/lib/python3/dist-packages/Jinja2-2.10.1.dist-info/METADATA', content: 'Metadata-Version: 2.1\nName: Jinja2\nVersion: 2.10.1\n' },
      { name: 'usr/local/bin/srv', content: goBinary, mode: 0o755 },
    ]);
    const before = await scanImage([base], advisories);
    expect(ids(before.findings)).toEqual([
      'CVE-2023-5363 libssl3@3.0.11-1~deb12u1',
      'CVE-2024-6387 openssh-client@1:9.2p1-2+deb12u2',
      'GHSA-jf85-cpcp-j695 lodash@4.17.11',
      'GHSA-jfh8-c2jp-5v3q org.apache.logging.log4j:log4j-core@2.14.1',
      'GO-2023-2102 stdlib@v1.21.1',
    ]);
    expect(before.findings.find((f) => f.vulnerabilityId === 'CVE-2023-5363')).toMatchObject({ fixedVersion: '3.0.11-1~deb12u2', source: 'debian-security-tracker' });
    expect(before.findings.find((f) => f.vulnerabilityId === 'GHSA-jf85-cpcp-j695')).toMatchObject({ fixedVersion: '4.17.12', severity: 'CRITICAL', aliases: ['CVE-2019-10744'], source: 'osv:npm' });
    expect(before.findings.find((f) => f.vulnerabilityId === 'GO-2023-2102')).toMatchObject({ fixedVersion: '1.21.3' });
    // OSV's CVSS vectors come with their base scores; the Go database and Debian's tracker give none.
    expect(before.findings.find((f) => f.vulnerabilityId === 'GHSA-jf85-cpcp-j695')?.cvss).toEqual({ version: '3.1', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:H', baseScore: 9.1 });
    expect(before.findings.find((f) => f.vulnerabilityId === 'GHSA-jfh8-c2jp-5v3q')?.cvss?.baseScore).toBe(10);
    expect(before.findings.filter((f) => f.cvss === undefined).map((f) => f.vulnerabilityId)).toEqual(['CVE-2023-5363', 'CVE-2024-6387', 'GO-2023-2102']);
    expect(before.osNotMatched).toBeUndefined();
    expect(before.advisoriesUpdatedAt).toBe('2024-07-04T00:00:00.000Z');

    // An upgrade layer fixes openssh and openssl (the `~` version of the fix itself, and sid's, which sorts above it).
    const upgrade = await layer([
      { name: 'var/lib/dpkg/status', content: dpkg(['libc6', 'glibc', '2.36-9+deb12u3'], ['libssl3', 'openssl', '3.0.11-1'], ['openssh-client', 'openssh', '1:9.2p1-2+deb12u3']) },
      { name: 'app/node_modules/.wh.lodash' },
    ]);
    const after = await scanImage([base, upgrade], advisories);
    expect(ids(after.findings)).toEqual(['GHSA-jfh8-c2jp-5v3q org.apache.logging.log4j:log4j-core@2.14.1', 'GO-2023-2102 stdlib@v1.21.1']);
  });

  it('judges Debian packages by their own release: a version fixed in bullseye, or never affected there, is not reported', async () => {
    const image = [await layer([{ name: 'etc/os-release', content: BULLSEYE }, { name: 'var/lib/dpkg/status', content: dpkg(['libc6', 'glibc', '2.31-13+deb11u7'], ['openssh-client', 'openssh', '1:8.4p1-5+deb11u1'], ['libc-bin', 'glibc', '2.31-13+deb11u6']) }])];
    expect(ids((await scanImage(image, advisories)).findings)).toEqual(['CVE-2023-4911 libc-bin@2.31-13+deb11u6']);
  });

  it('a pass sharing lookups matches a shared package layer under each image’s own release', async () => {
    const packages = await layer([{ name: 'var/lib/dpkg/status', content: dpkg(['libc6', 'glibc', '2.31-13+deb11u6'], ['openssh-client', 'openssh', '1:9.2p1-2+deb12u2']) }]);
    const bookworm = [await layer([{ name: 'etc/os-release', content: BOOKWORM }]), packages];
    const bullseye = [await layer([{ name: 'etc/os-release', content: BULLSEYE }]), packages];
    const cache = new SqliteLayerInventoryCache(db);
    const alone = [ids((await scanImage(bookworm, advisories, cache)).findings), ids((await scanImage(bullseye, advisories, cache)).findings)];
    expect(alone[0]).not.toEqual(alone[1]);
    const pass = new MemoizedAdvisories(advisories);
    for (let round = 0; round < 2; round++) {
      expect(ids((await scanImage(bookworm, pass, cache)).findings)).toEqual(alone[0]);
      expect(ids((await scanImage(bullseye, pass, cache)).findings)).toEqual(alone[1]);
    }
  });

  it('matches Alpine packages by origin against the secdb of their release', async () => {
    const image = [
      await layer([
        { name: 'etc/os-release', content: 'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.19.1\n' },
        { name: 'lib/apk/db/installed', content: 'P:libcrypto3\nV:3.1.4-r4\no:openssl\n\nP:busybox\nV:1.36.1-r15\no:busybox\n' },
      ]),
    ];
    const result = await scanImage(image, advisories);
    expect(ids(result.findings)).toEqual(['CVE-2024-0727 libcrypto3@3.1.4-r4']);
    expect(result.findings[0]).toMatchObject({ fixedVersion: '3.1.4-r5', source: 'alpine-secdb:v3.19:main' });
  });

  it('says why OS packages were not matched, and still matches language packages', async () => {
    const image = [
      await layer([
        { name: 'etc/os-release', content: 'ID=ubuntu\nVERSION_ID="22.04"\nVERSION_CODENAME=jammy\n' },
        { name: 'var/lib/dpkg/status', content: dpkg(['libc6', 'glibc', '2.35-0ubuntu3']) },
        { name: 'node_modules/lodash/package.json', content: JSON.stringify({ name: 'lodash', version: '4.17.4' }) },
      ]),
    ];
    const result = await scanImage(image, advisories);
    expect(result.osNotMatched).toMatch(/ubuntu/);
    expect(ids(result.findings)).toEqual(['GHSA-jf85-cpcp-j695 lodash@4.17.4']);
  });

  it('reads each layer once: later scans take its inventory from the cache by digest', async () => {
    const cache = new SqliteLayerInventoryCache(db);
    const l = await layer([{ name: 'etc/os-release', content: BOOKWORM }, { name: 'node_modules/lodash/package.json', content: JSON.stringify({ name: 'lodash', version: '4.17.11' }) }]);
    const first = await scanImage([l], advisories, cache);
    const second = await scanImage([l], advisories, cache);
    expect(l.opens).toBe(1);
    expect([first.cachedLayers, second.cachedLayers]).toEqual([0, 1]);
    expect(second.findings).toEqual(first.findings);
  });

  it('fails with the layer named when a layer is corrupt', async () => {
    const blob = await buildLayer([{ name: 'node_modules/a/package.json', content: '{}' }]);
    const broken: ImageLayer = { digest: 'sha256:broken', open: () => Readable.from([blob.subarray(0, blob.length - 20)]) };
    await expect(scanImage([broken], advisories)).rejects.toThrow(/layer sha256:broken could not be read/);
  });
});

describe('advisory sources', () => {
  it('keeps each source with its date', () => {
    expect(advisories.sources().map((s) => [s.id, s.sourceDate, s.records])).toEqual([
      ['alpine-secdb:v3.19:main', '2024-07-02T00:00:00.000Z', 2],
      ['debian-security-tracker', '2024-07-02T00:00:00.000Z', 5],
      ['osv:Go', '2024-05-20T16:03:47Z', 1],
      ['osv:Maven', '2024-03-27T19:26:06Z', 1],
      ['osv:PyPI', '2024-09-26T15:12:35Z', 1],
      ['osv:npm', '2024-02-16T08:19:41Z', 1],
    ]);
  });
});
