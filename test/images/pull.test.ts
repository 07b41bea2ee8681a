/**
 * Pulls from a real registry (Debian's docker-registry): images built by the test helpers, pushed
 * over HTTP, pulled by tag and by digest, mounted with overlayfs and run with chroot.
 */
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageStore } from '../../src/agent/images/image-store.js';
import type { FetchLike } from '../../src/agent/images/registry-auth.js';
import { startDistributionRegistry, type DistributionRegistry } from '../support/distribution-registry.js';
import { buildImage, pushImageLayout, type BuiltImage } from '../support/oci-image.js';
import { mountOverlay } from './overlay-mount.js';

let registry: DistributionRegistry;
let app: BuiltImage;
let appDigest: string;
const roots: string[] = [];

beforeAll(async () => {
  registry = await startDistributionRegistry();
  app = await buildImage({
    busybox: true,
    files: { '/app/hello.txt': 'hello from the image\n', '/app/run.sh': { content: '#!/bin/sh\necho "args: $*"\n', mode: 0o755 } },
    config: { Entrypoint: ['/app/run.sh'], Cmd: ['one'], Env: ['PATH=/bin', 'GREETING=hi'], WorkingDir: '/app', User: 'nobody', ExposedPorts: { '8080/tcp': {} }, Labels: { team: 'a' }, StopSignal: 'SIGINT' },
  });
  appDigest = (await pushImageLayout(app.dir, `${registry.host}/team/app:1`)).digest;
});

afterAll(async () => {
  await app?.cleanup();
  await registry?.stop();
  await Promise.all(roots.map((root) => rm(root, { recursive: true, force: true })));
});

async function storeRoot(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'minato-images-'));
  roots.push(root);
  return root;
}

/** A fetch that records `METHOD path` of every request. */
function countingFetch(): { fetch: FetchLike; requests: string[] } {
  const requests: string[] = [];
  return {
    requests,
    fetch: (input, init) => {
      requests.push(`${init?.method ?? 'GET'} ${new URL(String(input)).pathname}`);
      return fetch(input, init);
    },
  };
}

describe('ImageStore.pull from docker-registry', () => {
  it('pulls by tag: config, platform and runnable layers', async () => {
    const root = await storeRoot();
    const store = new ImageStore(root);
    const before = new Date();
    const image = await store.pull(`${registry.host}/team/app:1`);
    expect(image.manifestDigest).toBe(appDigest);
    expect(image.platformManifestDigest).toBe(appDigest);
    expect(image.configDigest).toBe(app.configDigest);
    expect(image.config).toEqual({ Entrypoint: ['/app/run.sh'], Cmd: ['one'], Env: ['PATH=/bin', 'GREETING=hi'], WorkingDir: '/app', User: 'nobody', ExposedPorts: { '8080/tcp': {} }, Labels: { team: 'a' }, StopSignal: 'SIGINT' });
    expect(image.platform).toEqual({ os: 'linux', architecture: process.arch === 'x64' ? 'amd64' : process.arch });
    expect(image.pullStartedAt.getTime()).toBeGreaterThanOrEqual(before.getTime());
    expect(image.pullStoppedAt.getTime()).toBeGreaterThanOrEqual(image.pullStartedAt.getTime());
    expect(image.layerDirs).toEqual(app.diffIds.map((d) => join(root, 'layers', 'sha256', d.slice('sha256:'.length))));
    expect((await stat(join(image.layerDirs[0]!, 'bin/busybox'))).mode & 0o777).toBe(0o755);
    expect(await readFile(join(image.layerDirs[1]!, 'app/hello.txt'), 'utf8')).toBe('hello from the image\n');
    // Nothing left behind but the store's content.
    expect((await readdir(root)).sort()).toEqual(['configs', 'layers', 'manifests', 'tmp']);
    expect(await readdir(join(root, 'tmp'))).toEqual([]);

    const mount = await mountOverlay(image.layerDirs);
    try {
      expect(mount.sh('cat /app/hello.txt && /app/run.sh two && ls /bin/sh && echo $((6 * 7))')).toBe('hello from the image\nargs: two\n/bin/sh\n42\n');
    } finally {
      await mount.unmount();
    }
  });

  it('pulls by digest without asking for the tag, and by tag and digest (the digest wins)', async () => {
    const counting = countingFetch();
    const store = new ImageStore(await storeRoot(), { fetch: counting.fetch });
    const image = await store.pull(`${registry.host}/team/app@${appDigest}`);
    expect(image.manifestDigest).toBe(appDigest);
    expect(counting.requests[0]).toBe(`GET /v2/team/app/manifests/${appDigest}`);
    expect(counting.requests.some((r) => r.startsWith('HEAD'))).toBe(false);

    const both = await new ImageStore(await storeRoot()).pull(`${registry.host}/team/app:no-such-tag@${appDigest}`);
    expect(both.manifestDigest).toBe(appDigest);
  });

  it('downloads nothing already present: a second pull by tag costs one HEAD request', async () => {
    const root = await storeRoot();
    const first = countingFetch();
    const firstImage = await new ImageStore(root, { fetch: first.fetch }).pull(`${registry.host}/team/app:1`);
    expect(first.requests.filter((r) => r.includes('/blobs/'))).toHaveLength(1 + app.layers.length);

    const second = countingFetch();
    const again = await new ImageStore(root, { fetch: second.fetch }).pull(`${registry.host}/team/app:1`);
    expect(second.requests).toEqual(['HEAD /v2/team/app/manifests/1']);
    expect(again.layerDirs).toEqual(firstImage.layerDirs);

    const byDigest = countingFetch();
    await new ImageStore(root, { fetch: byDigest.fetch }).pull(`${registry.host}/team/app@${appDigest}`);
    expect(byDigest.requests).toEqual([]);
  });

  it('shares layers between images and between concurrent pulls', async () => {
    const other = await buildImage({ busybox: true, files: { '/other.txt': 'other' } });
    try {
      await pushImageLayout(other.dir, `${registry.host}/team/other:1`);
      const counting = countingFetch();
      const store = new ImageStore(await storeRoot(), { fetch: counting.fetch });
      const [a, b, c] = await Promise.all([store.pull(`${registry.host}/team/app:1`), store.pull(`${registry.host}/team/app:1`), store.pull(`${registry.host}/team/other:1`)]);
      expect(a.layerDirs).toEqual(b.layerDirs);
      expect(c.layerDirs[0]).toBe(a.layerDirs[0]);
      const busyboxLayer = app.layers[0]!.digest;
      const busyboxFetches = counting.requests.filter((r) => r.endsWith(`/blobs/${busyboxLayer}`));
      expect(busyboxFetches).toHaveLength(1);
    } finally {
      await other.cleanup();
    }
  });

  it('pulls Docker schema 2 images and uncompressed layers', async () => {
    const docker = await buildImage({ format: 'docker', busybox: true, layers: [{ files: { '/plain.txt': 'not compressed' }, compression: 'none' }] });
    try {
      await pushImageLayout(docker.dir, `${registry.host}/docker/app:2`);
      const image = await new ImageStore(await storeRoot()).pull(`${registry.host}/docker/app:2`);
      expect(image.manifestDigest).toBe(docker.manifestDigest);
      expect(await readFile(join(image.layerDirs[1]!, 'plain.txt'), 'utf8')).toBe('not compressed');
    } finally {
      await docker.cleanup();
    }
  });
});
