import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { parseApkInstalled } from './apk.js';
import { parseDpkgStatus } from './dpkg.js';
import { buildGoBuildInfo, parseGoBinary } from './go-buildinfo.js';
import { parseJavaArchive } from './java.js';
import { buildZip } from './layer.fixtures.js';
import { parseOsRelease } from './os-release.js';
import { parsePythonMetadata } from './python.js';
import { buildRpmHeader, TAG } from './rpm-header.js';
import { parseRpmdbSqlite, sourceRpmName } from './rpmdb.js';

describe('os-release', () => {
  it('reads quoted and bare values', () => {
    expect(parseOsRelease('PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\nID=debian\n')).toEqual({
      id: 'debian',
      versionId: '12',
      versionCodename: 'bookworm',
      prettyName: 'Debian GNU/Linux 12 (bookworm)',
    });
    expect(parseOsRelease('NAME=nothing\n')).toBeUndefined();
  });
});

describe('dpkg status', () => {
  const STATUS = [
    'Package: libc6',
    'Status: install ok installed',
    'Architecture: amd64',
    'Source: glibc',
    'Version: 2.36-9+deb12u4',
    'Description: GNU C Library',
    ' continued description',
    '',
    'Package: libssl3',
    'Status: install ok installed',
    'Source: openssl (3.0.11-1~deb12u2)',
    'Version: 3.0.11-1~deb12u2+b1',
    '',
    'Package: oldpkg',
    'Status: deinstall ok config-files',
    'Version: 1.0',
    '',
  ].join('\n');
  it('keeps installed packages with their source package and version', () => {
    expect(parseDpkgStatus(STATUS, 'var/lib/dpkg/status')).toEqual([
      { type: 'dpkg', name: 'libc6', version: '2.36-9+deb12u4', arch: 'amd64', sourceName: 'glibc', sourceVersion: '2.36-9+deb12u4', path: 'var/lib/dpkg/status' },
      { type: 'dpkg', name: 'libssl3', version: '3.0.11-1~deb12u2+b1', sourceName: 'openssl', sourceVersion: '3.0.11-1~deb12u2', path: 'var/lib/dpkg/status' },
    ]);
  });
  it('reads a distroless status.d file (no Status field)', () => {
    expect(parseDpkgStatus('Package: tzdata\nVersion: 2024a-0+deb12u1\nArchitecture: all\n', 'var/lib/dpkg/status.d/tzdata')).toHaveLength(1);
  });
});

describe('apk installed', () => {
  it('reads name, version, origin', () => {
    const db = 'C:Q1abc=\nP:libcrypto3\nV:3.1.4-r5\nA:x86_64\no:openssl\n\nP:busybox\nV:1.36.1-r15\no:busybox\n';
    expect(parseApkInstalled(db, 'lib/apk/db/installed').map((p) => [p.name, p.version, p.sourceName])).toEqual([
      ['libcrypto3', '3.1.4-r5', 'openssl'],
      ['busybox', '1.36.1-r15', 'busybox'],
    ]);
  });
});

describe('rpmdb.sqlite', () => {
  it('reads headers from the Packages table, epoch and source rpm included', () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL)');
    const insert = db.prepare('INSERT INTO Packages (blob) VALUES (?)');
    insert.run(buildRpmHeader([[TAG.NAME, 'openssl-libs'], [TAG.VERSION, '3.0.7'], [TAG.RELEASE, '27.el9'], [TAG.EPOCH, 1], [TAG.ARCH, 'x86_64'], [TAG.SOURCERPM, 'openssl-3.0.7-27.el9.src.rpm']]));
    insert.run(buildRpmHeader([[TAG.NAME, 'bash'], [TAG.VERSION, '5.1.8'], [TAG.RELEASE, '9.el9'], [TAG.SOURCERPM, 'bash-5.1.8-9.el9.src.rpm']]));
    insert.run(buildRpmHeader([[TAG.NAME, 'gpg-pubkey'], [TAG.VERSION, 'fd431d51'], [TAG.RELEASE, '4ae0493b']]));
    db.pragma('journal_mode = DELETE');
    const file = db.serialize();
    db.close();
    expect(parseRpmdbSqlite(file, 'var/lib/rpm/rpmdb.sqlite')).toEqual([
      { type: 'rpm', name: 'openssl-libs', version: '1:3.0.7-27.el9', sourceName: 'openssl', sourceVersion: '1:3.0.7-27.el9', arch: 'x86_64', path: 'var/lib/rpm/rpmdb.sqlite' },
      { type: 'rpm', name: 'bash', version: '5.1.8-9.el9', sourceName: 'bash', sourceVersion: '5.1.8-9.el9', path: 'var/lib/rpm/rpmdb.sqlite' },
    ]);
  });
  it('names source packages', () => {
    expect(sourceRpmName('python3.11-3.11.5-1.el9_3.src.rpm')).toBe('python3.11');
    expect(sourceRpmName('garbage')).toBeUndefined();
  });
});

describe('Go build info', () => {
  it('reads the toolchain, main module and dependencies, replacements applied', () => {
    const info = buildGoBuildInfo('go1.21.5', [
      'path\texample.com/app',
      'mod\texample.com/app\t(devel)\t',
      'dep\tgolang.org/x/net\tv0.17.0\th1:abc=',
      'dep\tgithub.com/old/mod\tv1.0.0\th1:def=',
      '=>\tgithub.com/new/mod\tv1.2.0\th1:ghi=',
      'build\t-compiler=gc',
    ]);
    const binary = Buffer.concat([Buffer.from('\x7fELF'), Buffer.alloc(5000, 0x90), info, Buffer.alloc(100)]);
    expect(parseGoBinary(binary, 'app').map((p) => `${p.name}@${p.version}`)).toEqual(['stdlib@v1.21.5', 'golang.org/x/net@v0.17.0', 'github.com/new/mod@v1.2.0']);
  });
  it('ignores binaries without build info', () => {
    expect(parseGoBinary(Buffer.alloc(10000, 1), 'x')).toEqual([]);
  });
});

describe('Java archives', () => {
  const pom = (g: string, a: string, v: string): string => `#Generated by Maven\ngroupId=${g}\nartifactId=${a}\nversion=${v}\n`;
  it('reads pom.properties, nested jars included, and falls back on the manifest', () => {
    const inner = buildZip([{ name: 'META-INF/maven/org.apache.logging.log4j/log4j-core/pom.properties', content: pom('org.apache.logging.log4j', 'log4j-core', '2.14.1') }]);
    const manifestOnly = buildZip([{ name: 'META-INF/MANIFEST.MF', content: 'Manifest-Version: 1.0\r\nImplementation-Title: commons-text\r\nImplementation-Vendor-Id: org.apache.commons\r\nImplementation-Version: 1.9\r\n\r\n' }]);
    const outer = buildZip([
      { name: 'META-INF/maven/com.example/app/pom.properties', content: pom('com.example', 'app', '1.0.0') },
      { name: 'BOOT-INF/lib/log4j-core-2.14.1.jar', content: inner, stored: true },
      { name: 'BOOT-INF/lib/commons-text-1.9.jar', content: manifestOnly },
    ]);
    expect(parseJavaArchive(outer, 'app.jar')).toEqual([
      { type: 'java', name: 'com.example:app', version: '1.0.0', path: 'app.jar' },
      { type: 'java', name: 'org.apache.logging.log4j:log4j-core', version: '2.14.1', path: 'app.jar!BOOT-INF/lib/log4j-core-2.14.1.jar' },
      { type: 'java', name: 'org.apache.commons:commons-text', version: '1.9', path: 'app.jar!BOOT-INF/lib/commons-text-1.9.jar' },
    ]);
  });
  it('refuses what is not a zip', () => {
    expect(() => parseJavaArchive(Buffer.from('not a zip at all, not even close....'), 'x.jar')).toThrow(/not a zip/);
  });
});

describe('Python metadata', () => {
  it('reads and normalises the name', () => {
    expect(parsePythonMetadata('Metadata-Version: 2.1\nName: Jinja2\nVersion: 2.10.1\n\nName: not-this\n', 'x')).toEqual([{ type: 'python', name: 'jinja2', version: '2.10.1', path: 'x' }]);
  });
});
