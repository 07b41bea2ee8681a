import { describe, expect, it } from 'vitest';
import { fileKind } from './file-kinds.js';

describe('fileKind', () => {
  it.each([
    ['etc/os-release', 0o644, 'os-release'],
    ['usr/lib/os-release', 0o644, 'os-release'],
    ['var/lib/dpkg/status', 0o644, 'dpkg'],
    ['var/lib/dpkg/status.d/libc6', 0o644, 'dpkg'],
    ['var/lib/dpkg/status.d/libc6.md5sums', 0o644, undefined],
    ['var/lib/dpkg/status-old', 0o644, undefined],
    ['lib/apk/db/installed', 0o644, 'apk'],
    ['var/lib/rpm/rpmdb.sqlite', 0o644, 'rpmdb'],
    ['usr/lib/sysimage/rpm/rpmdb.sqlite', 0o644, 'rpmdb'],
    ['app/node_modules/@scope/name/package.json', 0o644, 'npm'],
    ['app/node_modules/a/node_modules/b/package.json', 0o644, 'npm'],
    ['app/node_modules/a/test/package.json', 0o644, undefined],
    ['app/node_modules/.package-lock.json', 0o644, undefined],
    ['app/package.json', 0o644, undefined],
    ['usr/lib/python3/site-packages/requests-2.31.0.dist-info/METADATA', 0o644, 'python'],
    ['usr/lib/python3/site-packages/six-1.16.0.egg-info/PKG-INFO', 0o644, 'python'],
    ['opt/app/app.jar', 0o644, 'java'],
    ['usr/local/bin/server', 0o755, 'executable'],
    ['usr/local/bin/script.sh', 0o644, undefined],
  ])('%s (%o) → %s', (path, mode, kind) => {
    expect(fileKind(path, mode, 10_000)).toBe(kind);
  });

  it('does not read a tiny executable', () => {
    expect(fileKind('bin/true', 0o755, 100)).toBeUndefined();
  });
});
