import { execFileSync } from 'node:child_process';
import { lstat, mkdir, mkdtemp, readFile, readdir, readlink, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { extract } from 'tar-stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildLayerTar, type LayerSpec } from '../../../test/support/oci-image.js';
import { unpackLayer } from './layer-unpack.js';
import { RegistryError } from './pull-error.js';

let base: string;
let root: string;

beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'minato-unpack-'));
  root = join(base, 'rootfs');
  await mkdir(root);
});
afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

const unpack = async (spec: LayerSpec) => unpackLayer(Readable.from([await buildLayerTar(spec)]), root);

/** The value of an xattr, read through GNU tar's pax records (Node has no getxattr); undefined when absent. */
async function xattr(path: string, name: string): Promise<string | undefined> {
  const archive = execFileSync('tar', ['--create', '--xattrs', `--xattrs-include=${name}`, '--no-recursion', '--file=-', `--directory=${path}`, '.']);
  for await (const entry of extract().end(archive) as AsyncIterable<{ header: { pax?: Record<string, string> | null }; resume(): void }>) {
    entry.resume();
    return entry.header.pax?.[`SCHILY.xattr.${name}`];
  }
  return undefined;
}

describe('unpackLayer', () => {
  it('writes files, directories, symlinks and hardlinks with modes, owners and mtimes', async () => {
    const stats = await unpack({
      files: {
        '/usr/bin/tool': { content: '#!/bin/sh\necho hi\n', mode: 0o4755, uid: 1000, gid: 1001 },
        '/usr/bin/tool-link': { hardlink: '/usr/bin/tool' },
        '/usr/share/doc': { dir: true, mode: 0o700, uid: 12, gid: 34 },
        '/bin': { symlink: 'usr/bin' },
        '/etc/motd': 'hello',
        '/tmp': { dir: true, mode: 0o1777 },
      },
    });
    expect(stats.files).toBe(2);
    const tool = await stat(join(root, 'usr/bin/tool'));
    expect(tool.mode & 0o7777).toBe(0o4755);
    expect([tool.uid, tool.gid]).toEqual([1000, 1001]);
    expect(tool.mtime.toISOString()).toBe('2024-01-01T00:00:00.000Z');
    expect((await stat(join(root, 'usr/bin/tool-link'))).ino).toBe(tool.ino);
    const doc = await stat(join(root, 'usr/share/doc'));
    expect([doc.mode & 0o7777, doc.uid, doc.gid]).toEqual([0o700, 12, 34]);
    expect(doc.mtime.toISOString()).toBe('2024-01-01T00:00:00.000Z');
    expect(await readlink(join(root, 'bin'))).toBe('usr/bin');
    expect(await readFile(join(root, 'etc/motd'), 'utf8')).toBe('hello');
    expect((await stat(join(root, 'tmp'))).mode & 0o7777).toBe(0o1777);
  });

  it('turns whiteouts into 0:0 character devices and opaque markers into the overlay xattr', async () => {
    const stats = await unpack({ files: { '/etc/old.conf': { whiteout: true }, '/var/cache': { opaque: true }, '/var/cache/new': 'n', '/srv': { dir: true } } });
    expect([stats.whiteouts, stats.opaqueDirs]).toEqual([1, 1]);
    const whiteout = await lstat(join(root, 'etc/old.conf'));
    expect(whiteout.isCharacterDevice()).toBe(true);
    expect(whiteout.rdev).toBe(0);
    expect(await xattr(join(root, 'var/cache'), 'trusted.overlay.opaque')).toBe('y');
    expect(await xattr(join(root, 'srv'), 'trusted.overlay.opaque')).toBeUndefined();
    expect(await readFile(join(root, 'var/cache/new'), 'utf8')).toBe('n');
    expect(await readdir(join(root, 'etc'))).toEqual(['old.conf']);
  });

  it('marks the layer root opaque', async () => {
    await unpack({ files: { '/only.txt': 'only' }, raw: [{ header: { name: './.wh..wh..opq', type: 'file', size: 0 }, content: '' }] });
    expect(await xattr(root, 'trusted.overlay.opaque')).toBe('y');
    expect(await readdir(root)).toEqual(['only.txt']);
  });

  it('keeps a path the same layer provides despite its whiteout, and ignores AUFS metadata', async () => {
    await unpack({
      files: { '/data/kept': 'mine' },
      raw: [
        { header: { name: 'data/.wh.kept', type: 'file', size: 0 }, content: '' },
        { header: { name: '.wh..wh.plnk/123', type: 'file', size: 0 }, content: '' },
      ],
    });
    expect(await readFile(join(root, 'data/kept'), 'utf8')).toBe('mine');
    expect(await readdir(root)).toEqual(['data']);
  });

  it('creates fifos and device nodes', async () => {
    await unpack({ raw: [{ header: { name: 'run/fifo', type: 'fifo', mode: 0o600 } }, { header: { name: 'dev/null', type: 'character-device', devmajor: 1, devminor: 3, mode: 0o666 } }] });
    expect((await lstat(join(root, 'run/fifo'))).isFIFO()).toBe(true);
    const dev = await lstat(join(root, 'dev/null'));
    expect(dev.isCharacterDevice()).toBe(true);
    expect(dev.rdev).toBe((1 << 8) | 3);
  });

  it('replaces earlier entries as tar does', async () => {
    await unpack({
      files: { '/a/file': 'first' },
      raw: [
        { header: { name: 'a', type: 'symlink', linkname: 'b' } },
        { header: { name: 'x', type: 'file', size: 1 }, content: '1' },
        { header: { name: 'x', type: 'file', size: 1 }, content: '2' },
      ],
    });
    expect(await readlink(join(root, 'a'))).toBe('b');
    expect(await readFile(join(root, 'x'), 'utf8')).toBe('2');
  });

  it.each([
    ['../escape', /path traversal/],
    ['a/../../escape', /path traversal/],
    ['/etc/escape', /absolute path/],
  ])('refuses the entry name %s', async (name, reason) => {
    const err = await unpack({ raw: [{ header: { name, type: 'file', size: 1 }, content: 'x' }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RegistryError);
    expect((err as Error).message).toMatch(reason);
    expect(await readdir(base)).toEqual(['rootfs']);
  });

  it('refuses hard links that leave the layer', async () => {
    await writeFile(join(base, 'secret'), 'host file');
    const err = await unpack({ raw: [{ header: { name: 'stolen', type: 'link', linkname: '../secret' } }] }).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/path traversal/);
    expect(await readdir(root)).toEqual([]);
  });

  it('writes through symlinks only inside the root', async () => {
    await mkdir(join(base, 'outside'));
    await unpack({
      raw: [
        { header: { name: 'rel', type: 'symlink', linkname: '../../outside' } },
        { header: { name: 'rel/a', type: 'file', size: 1 }, content: 'a' },
        { header: { name: 'abs', type: 'symlink', linkname: `${base}/outside` } },
        { header: { name: 'abs/b', type: 'file', size: 1 }, content: 'b' },
        { header: { name: 'hl', type: 'link', linkname: 'rel/a' } },
      ],
    });
    expect(await readdir(join(base, 'outside'))).toEqual([]);
    // `../../outside` stops at the root: it names <root>/outside, as inside the container.
    expect(await readFile(join(root, 'outside/a'), 'utf8')).toBe('a');
    expect(await readFile(join(root, base.slice(1), 'outside/b'), 'utf8')).toBe('b');
    expect((await stat(join(root, 'hl'))).ino).toBe((await stat(join(root, 'outside/a'))).ino);
  });

  it('refuses symlink loops', async () => {
    const err = await unpack({
      raw: [
        { header: { name: 'loop', type: 'symlink', linkname: 'loop' } },
        { header: { name: 'loop/x', type: 'file', size: 1 }, content: 'x' },
      ],
    }).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/too many levels of symbolic links/);
  });

  it('fails on a truncated tar', async () => {
    const tar = await buildLayerTar({ files: { big: 'x'.repeat(5000) } });
    await expect(unpackLayer(Readable.from([tar.subarray(0, 2048)]), root)).rejects.toThrow(/Unexpected end of data/);
  });
});
