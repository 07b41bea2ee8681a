import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildLayerTar } from '../../../test/support/oci-image.js';
import { digestOf } from './digest.js';
import { LayerStore, type BlobDownloader } from './layer-store.js';
import { RegistryError } from './pull-error.js';

let root: string;
let tar: Buffer;
let diffId: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'minato-layers-'));
  tar = await buildLayerTar({ files: { '/etc/hostname': 'layer\n' } });
  diffId = digestOf(tar);
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A downloader writing `bytes`, counting its calls. */
function downloader(bytes: Buffer): BlobDownloader & { calls: number } {
  const download = Object.assign(
    async (path: string) => {
      download.calls++;
      await new Promise((resolve) => setTimeout(resolve, 5));
      await writeFile(path, bytes);
    },
    { calls: 0 },
  );
  return download;
}

describe('LayerStore', () => {
  it('unpacks a layer once, also for concurrent callers, under its diffID', async () => {
    const store = new LayerStore(root);
    const download = downloader(gzipSync(tar));
    const results = await Promise.all([store.ensure(diffId, 'gzip', download), store.ensure(diffId, 'gzip', download)]);
    expect(download.calls).toBe(1);
    const dir = join(root, 'layers', 'sha256', diffId.slice('sha256:'.length));
    expect(results.map((r) => r.dir)).toEqual([dir, dir]);
    expect(await readFile(join(dir, 'etc/hostname'), 'utf8')).toBe('layer\n');
    expect(await store.ensure(diffId, 'gzip', download)).toEqual({ dir, fetched: false });
    expect(download.calls).toBe(1);
    expect(await readdir(join(root, 'tmp'))).toEqual([]);
  });

  it('unpacks uncompressed layers', async () => {
    const { dir } = await new LayerStore(root).ensure(diffId, 'none', downloader(tar));
    expect(await readFile(join(dir, 'etc/hostname'), 'utf8')).toBe('layer\n');
  });

  it('keeps nothing when the content is not the diffID', async () => {
    const store = new LayerStore(root);
    const other = await buildLayerTar({ files: { '/etc/hostname': 'other\n' } });
    const err = await store.ensure(diffId, 'none', downloader(other)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RegistryError);
    expect((err as Error).message).toMatch(new RegExp(`^failed to extract layer ${diffId}: failed commit on ref "diff-${diffId}": unexpected commit digest`));
    expect(await store.has(diffId)).toBe(false);
    expect(await readdir(join(root, 'tmp'))).toEqual([]);
  });

  it('keeps nothing when the download fails', async () => {
    const store = new LayerStore(root);
    const failing: BlobDownloader = async (path) => {
      await writeFile(path, 'partial');
      throw new Error('connection reset');
    };
    await expect(store.ensure(diffId, 'gzip', failing)).rejects.toThrow('connection reset');
    expect(await store.has(diffId)).toBe(false);
    expect(await readdir(join(root, 'tmp'))).toEqual([]);
  });

  it('removes the work dirs of dead processes, not those of live ones', async () => {
    const dead = spawnSync('true').pid;
    await mkdir(join(root, 'tmp', `${dead}-abc`, 'rootfs'), { recursive: true });
    await mkdir(join(root, 'tmp', `${process.ppid}-def`), { recursive: true });
    await mkdir(join(root, 'tmp', 'unrelated'), { recursive: true });
    const work = await new LayerStore(root).workDir();
    expect((await readdir(join(root, 'tmp'))).sort()).toEqual([`${process.ppid}-def`, work.slice(join(root, 'tmp').length + 1), 'unrelated'].sort());
  });
});
