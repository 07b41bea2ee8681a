/**
 * The images and advisories of the ECR scanning tests: busybox images with crafted package
 * databases (Debian bookworm's dpkg status, an npm package), language packages (jars, an npm
 * tree, Python dist-info, a Go binary's build info), a busybox without any, one of an OS minato has
 * no advisories for, and an image whose layer is a truncated gzip stream. The advisories are the
 * published ones of `published-advisories.fixtures.ts`.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildGoBuildInfo } from '../../src/scanning/inventory/go-buildinfo.js';
import { buildZip } from '../../src/scanning/inventory/layer.fixtures.js';
import { buildImage, MediaTypes, readBlob, writeBlob, type BuiltImage } from '../support/oci-image.js';
import { MINATO_BIN } from '../support/minato-process.js';

const BOOKWORM = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\nID=debian\n';
const dpkg = (...pkgs: [name: string, source: string, version: string][]): string =>
  pkgs.map(([name, source, version]) => `Package: ${name}\nStatus: install ok installed\nSource: ${source}\nVersion: ${version}\nArchitecture: amd64\n`).join('\n');

/** What a well-kept image says of itself: a user other than root and a health check. */
const WELL_KEPT = { User: 'nobody', Healthcheck: { Test: ['CMD', 'true'] } };

/**
 * A Debian bookworm image: openssl and openssh as shipped before DSA-5532-1 and DSA-5724-1 (both
 * vulnerable), glibc with DSA-5514-1's fix (not vulnerable), and lodash 4.17.11 in an app layer.
 * `fixed` has the versions of the fixes.
 */
export function debianImage(fixed = false): Promise<BuiltImage> {
  return buildImage({
    busybox: true,
    files: {
      '/etc/os-release': BOOKWORM,
      '/var/lib/dpkg/status': dpkg(
        ['libc6', 'glibc', '2.36-9+deb12u3'],
        ['libssl3', 'openssl', fixed ? '3.0.11-1~deb12u2' : '3.0.11-1~deb12u1'],
        ['openssh-client', 'openssh', fixed ? '1:9.2p1-2+deb12u3' : '1:9.2p1-2+deb12u2'],
      ),
    },
    layers: [{ files: { '/app/node_modules/lodash/package.json': JSON.stringify({ name: 'lodash', version: '4.17.11' }) } }],
    // Nothing for the image checks to report: the findings are the vulnerabilities alone.
    config: WELL_KEPT,
  });
}

/**
 * Debian bookworm images without vulnerable packages, for the image checks. `careless` has a
 * setuid binary, a root without a password in /etc/shadow (in a layer of its own, over the base's
 * locked one), a token in its environment, and runs as root without a health check; the other
 * has the same setuid-free files, a locked root, a user and a health check.
 */
export function checkedImage(careless: boolean): Promise<BuiltImage> {
  return buildImage({
    busybox: true,
    files: {
      '/etc/os-release': BOOKWORM,
      '/var/lib/dpkg/status': dpkg(['libc6', 'glibc', '2.36-9+deb12u3']),
      '/etc/shadow': { content: 'root:*:19000:0:99999:7:::\nnobody:*:19000:0:99999:7:::\n', mode: 0o640 },
      '/usr/bin/mount': { content: 'not really mount', mode: careless ? 0o4755 : 0o755 },
    },
    layers: careless ? [{ files: { '/etc/shadow': { content: 'root::19000:0:99999:7:::\nnobody:*:19000:0:99999:7:::\n', mode: 0o640 } } }] : [],
    config: careless ? { Env: ['PATH=/bin', 'API_TOKEN=s3cr3t'] } : { ...WELL_KEPT, Env: ['PATH=/bin'] },
  });
}

const pom = (group: string, artifact: string, version: string): string => `#Created by Apache Maven 3.8.4\ngroupId=${group}\nartifactId=${artifact}\nversion=${version}\n`;
const npmPackage = (name: string, version: string): string => JSON.stringify({ name, version, main: 'index.js' });
const pythonMetadata = (name: string, version: string): string => `Metadata-Version: 2.1\nName: ${name}\nVersion: ${version}\nSummary: x\n\nlong description\n`;

/**
 * An ELF executable as far as the scanner reads one: the ELF identification, then, 16-byte
 * aligned as the linker places its section, the `.go.buildinfo` blob of a Go ≥ 1.18 build (the
 * `\xff Go buildinf:` header with pointer size 8 and the inline-strings flag, the toolchain version,
 * the module info between its sentinels). No Go toolchain is at hand to build a real one.
 */
function goBinary(goVersion: string, modules: string[]): Buffer {
  const elf = Buffer.alloc(4096);
  Buffer.from('7f454c46020101', 'hex').copy(elf);
  return Buffer.concat([elf, buildGoBuildInfo(goVersion, ['path\texample.com/srv', 'mod\texample.com/srv\t(devel)\t', ...modules, 'build\tGOOS=linux']), Buffer.alloc(1024)]);
}

/**
 * A Debian bookworm image whose vulnerabilities are all in language packages: a Spring Boot style
 * jar whose nested log4j-core 2.14.1 has Log4Shell (next to a jar with 2.12.2, the backported fix);
 * lodash 4.17.11 deep in an npm tree (next to 4.17.12, the fix); Jinja2 2.10 as Python dist-info;
 * a Go binary built with go1.21.1 (rapid reset; golang.org/x/net v0.17.0 has the fix); and express
 * 4.18.2, for an advisory without a fix.
 * `fixed` has the fixed versions everywhere.
 */
export function languageImage(fixed = false): Promise<BuiltImage> {
  const log4j = fixed ? '2.15.0' : '2.14.1';
  const innerJar = buildZip([
    { name: 'META-INF/MANIFEST.MF', content: 'Manifest-Version: 1.0\n' },
    { name: `META-INF/maven/org.apache.logging.log4j/log4j-core/pom.properties`, content: pom('org.apache.logging.log4j', 'log4j-core', log4j) },
  ]);
  const appJar = buildZip([
    { name: 'META-INF/MANIFEST.MF', content: 'Manifest-Version: 1.0\nMain-Class: org.springframework.boot.loader.JarLauncher\n' },
    { name: 'META-INF/maven/com.example/app/pom.properties', content: pom('com.example', 'app', '1.0.0') },
    // Spring Boot stores nested jars uncompressed.
    { name: `BOOT-INF/lib/log4j-core-${log4j}.jar`, content: innerJar, stored: true },
  ]);
  const legacyJar = buildZip([{ name: 'META-INF/maven/org.apache.logging.log4j/log4j-core/pom.properties', content: pom('org.apache.logging.log4j', 'log4j-core', '2.12.2') }]);
  return buildImage({
    busybox: true,
    files: { '/etc/os-release': BOOKWORM, '/var/lib/dpkg/status': dpkg(['libc6', 'glibc', '2.36-9+deb12u3']) },
    layers: [
      {
        files: {
          '/opt/app/app.jar': { content: appJar },
          '/opt/legacy/legacy.jar': { content: legacyJar },
          '/srv/web/node_modules/lodash/package.json': npmPackage('lodash', '4.17.12'),
          '/srv/web/node_modules/express/package.json': npmPackage('express', fixed ? '4.19.2' : '4.18.2'),
          '/srv/web/node_modules/express/node_modules/body-parser/node_modules/lodash/package.json': npmPackage('lodash', fixed ? '4.17.21' : '4.17.11'),
          [`/usr/lib/python3/dist-packages/Jinja2-${fixed ? '2.10.1' : '2.10'}.dist-info/METADATA`]: pythonMetadata('Jinja2', fixed ? '2.10.1' : '2.10'),
          '/usr/local/bin/srv': { content: goBinary(fixed ? 'go1.21.3' : 'go1.21.1', ['dep\tgolang.org/x/net\tv0.17.0\th1:pGzDzFzDYa8Q/EoB3pS43tUqYyZ/u4Rm7qe7VfY4EJ8=']), mode: 0o755 },
        },
      },
    ],
    config: WELL_KEPT,
  });
}

/** An image of an OS minato imports no advisories for, with a package database it reads. */
export function unknownOsImage(): Promise<BuiltImage> {
  return buildImage({
    busybox: true,
    files: {
      '/etc/os-release': 'NAME="Plan 9 from Bell Labs"\nID=plan9\nVERSION_ID="4"\n',
      '/var/lib/dpkg/status': dpkg(['libssl3', 'openssl', '3.0.11-1~deb12u1']),
    },
  });
}

/** Busybox alone: no os-release, no package database. */
export function busyboxImage(): Promise<BuiltImage> {
  return buildImage({ busybox: true, files: { '/app/hello.txt': 'hello' } });
}

/** A Debian image whose package layer is cut short: its blob is what was pushed, its gzip stream is broken. */
export async function corruptImage(): Promise<BuiltImage> {
  const image = await buildImage({ files: { '/etc/os-release': BOOKWORM, '/var/lib/dpkg/status': dpkg(['libssl3', 'openssl', '3.0.11-1~deb12u1']), '/pad': 'x'.repeat(4096) } });
  const whole = await readBlob(image.dir, image.layers[0]!.digest);
  const layer = await writeBlob(image.dir, whole.subarray(0, whole.length - 64), MediaTypes.ociLayerGzip);
  const manifest = JSON.parse((await readBlob(image.dir, image.manifestDigest)).toString('utf8')) as { layers: unknown[] };
  manifest.layers = [layer];
  const descriptor = await writeBlob(image.dir, Buffer.from(JSON.stringify(manifest)), MediaTypes.ociManifest);
  const index = JSON.parse(readFileSync(join(image.dir, 'index.json'), 'utf8')) as { manifests: { digest: string; size: number }[] };
  index.manifests[0] = { ...index.manifests[0]!, digest: descriptor.digest, size: descriptor.size };
  writeFileSync(join(image.dir, 'index.json'), JSON.stringify(index));
  return { ...image, descriptor, manifestDigest: descriptor.digest, layers: [layer] };
}

/** `minato advisories import` as its own process, as an operator runs it next to `minato up`. */
export function importAdvisories(dataDir: string, dir: string, files: Record<string, unknown>): void {
  const paths = Object.entries(files).map(([name, doc]) => {
    writeFileSync(join(dir, name), JSON.stringify(doc));
    return join(dir, name);
  });
  const r = spawnSync(process.execPath, [MINATO_BIN, 'advisories', 'import', ...paths, '--data-dir', dataDir], { encoding: 'utf8', timeout: 30_000 });
  if (r.status !== 0) throw new Error(`minato advisories import failed: ${r.stderr}`);
}
