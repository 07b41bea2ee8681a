import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readFileInRoot, resolveInRoot } from './rootfs.js';

const outside = mkdtempSync(join(tmpdir(), 'minato-rootfs-outside-'));
const root = mkdtempSync(join(tmpdir(), 'minato-rootfs-'));
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

writeFileSync(join(outside, 'secret'), 'host secret');
mkdirSync(join(root, 'etc'));
mkdirSync(join(root, 'real'));
writeFileSync(join(root, 'real', 'passwd'), 'root:x:0:0::/root:/bin/sh\n');
writeFileSync(join(root, 'secret'), 'image file');
symlinkSync('/real/passwd', join(root, 'etc', 'passwd'));
symlinkSync('../../../../../../secret', join(root, 'etc', 'escape'));
symlinkSync(join(outside, 'secret'), join(root, 'etc', 'absolute'));
symlinkSync('loop2', join(root, 'loop1'));
symlinkSync('loop1', join(root, 'loop2'));
symlinkSync('/real', join(root, 'linkdir'));

describe('resolveInRoot', () => {
  it('follows absolute and relative symlinks inside the root', async () => {
    expect(await resolveInRoot(root, '/etc/passwd')).toBe(join(root, 'real', 'passwd'));
    expect(await resolveInRoot(root, 'linkdir/passwd')).toBe(join(root, 'real', 'passwd'));
    expect(await resolveInRoot(root, '/etc/../real/./passwd')).toBe(join(root, 'real', 'passwd'));
    expect(await resolveInRoot(root, '/missing/file')).toBe(join(root, 'missing', 'file'));
  });

  it('never leaves the root', async () => {
    expect(await resolveInRoot(root, '/etc/escape')).toBe(join(root, 'secret'));
    expect(await resolveInRoot(root, '/../../etc/passwd')).toBe(join(root, 'real', 'passwd'));
    expect(await readFileInRoot(root, '/etc/escape')).toBe('image file');
    // An absolute host path in a link is read as a path of the image, which does not have it.
    expect(await readFileInRoot(root, '/etc/absolute')).toBeUndefined();
  });

  it('stops at symlink loops', async () => {
    await expect(resolveInRoot(root, '/loop1')).rejects.toThrow(/too many symlinks/);
  });

  it('reads regular files only, up to a size', async () => {
    expect(await readFileInRoot(root, '/etc/passwd')).toContain('root:x:0:0');
    expect(await readFileInRoot(root, '/etc')).toBeUndefined();
    expect(await readFileInRoot(root, '/etc/passwd', 4)).toBe('root');
  });
});
