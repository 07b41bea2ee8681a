import { parseApkInstalled } from './apk.js';
import { parseDpkgStatus } from './dpkg.js';
import { GO_BUILDINFO_MAGIC, parseGoBinary } from './go-buildinfo.js';
import { JAVA_ARCHIVE, parseJavaArchive } from './java.js';
import { NPM_MANIFEST, parseNpmManifest } from './npm.js';
import { parseOsRelease } from './os-release.js';
import { PYTHON_METADATA, parsePythonMetadata } from './python.js';
import { parseRpmdbSqlite } from './rpmdb.js';
import type { FileFindings } from './types.js';

/** The kinds of file the inventory reads. */
export type FileKind = 'os-release' | 'dpkg' | 'apk' | 'rpmdb' | 'npm' | 'python' | 'java' | 'executable';

/** Files larger than this are not read (an rpm database or a fat jar stays well below). */
export const MAX_FILE_SIZE = 512 * 1024 * 1024;
/** Executables smaller than this cannot hold a Go binary worth reading. */
const MIN_EXECUTABLE_SIZE = 4096;

/**
 * What kind of record a file of a layer is, from its path (relative, no leading `/` or `./`), mode
 * and size; undefined for a file the inventory does not need to read.
 */
export function fileKind(path: string, mode: number, size: number): FileKind | undefined {
  if (size > MAX_FILE_SIZE) return undefined;
  if (path === 'etc/os-release' || path === 'usr/lib/os-release') return 'os-release';
  if (path === 'var/lib/dpkg/status' || (path.startsWith('var/lib/dpkg/status.d/') && !path.endsWith('.md5sums') && !path.slice(22).includes('/'))) return 'dpkg';
  if (path === 'lib/apk/db/installed') return 'apk';
  if (path === 'var/lib/rpm/rpmdb.sqlite' || path === 'usr/lib/sysimage/rpm/rpmdb.sqlite') return 'rpmdb';
  if (NPM_MANIFEST.test(path)) return 'npm';
  if (PYTHON_METADATA.test(path)) return 'python';
  if (JAVA_ARCHIVE.test(path)) return 'java';
  if ((mode & 0o111) !== 0 && size >= MIN_EXECUTABLE_SIZE) return 'executable';
  return undefined;
}

/** Reads one file's records. Throws on a malformed file; the caller records that as a problem. */
export function readFileFindings(kind: FileKind, path: string, content: Buffer): FileFindings {
  switch (kind) {
    case 'os-release': {
      const os = parseOsRelease(content.toString('utf8'));
      return { path, packages: [], ...(os && { osRelease: os }) };
    }
    case 'dpkg':
      return { path, packages: parseDpkgStatus(content.toString('utf8'), path) };
    case 'apk':
      return { path, packages: parseApkInstalled(content.toString('utf8'), path) };
    case 'rpmdb':
      return { path, packages: parseRpmdbSqlite(content, path) };
    case 'npm':
      return { path, packages: parseNpmManifest(content.toString('utf8'), path) };
    case 'python':
      return { path, packages: parsePythonMetadata(content.toString('utf8'), path) };
    case 'java':
      return { path, packages: parseJavaArchive(content, path) };
    case 'executable':
      return { path, packages: content.includes(GO_BUILDINFO_MAGIC) ? parseGoBinary(content, path) : [] };
  }
}
