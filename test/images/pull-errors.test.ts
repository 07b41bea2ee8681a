/**
 * Pull failures against a real registry, and a proxy in front of it that corrupts content: each
 * ends in an ImagePullError worded like ECS's CannotPullContainerError reasons, and leaves
 * nothing in the store.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImagePullError, ImageStore, PullErrorKind } from '../../src/agent/images/index.js';
import { freeLoopbackPort, startDistributionRegistry, type DistributionRegistry } from '../support/distribution-registry.js';
import { MediaTypes, buildImage, pushImageLayout, writeBlob, type BuiltImage } from '../support/oci-image.js';
import { startRegistryProxy } from './registry-proxy.js';

let registry: DistributionRegistry;
let image: BuiltImage;
const roots: string[] = [];

beforeAll(async () => {
  registry = await startDistributionRegistry();
  image = await buildImage({ files: { '/a.txt': 'a' }, layers: [{ files: { '/b.txt': 'b' } }] });
  await pushImageLayout(image.dir, `${registry.host}/team/app:1`);
});

afterAll(async () => {
  await image?.cleanup();
  await registry?.stop();
  await Promise.all(roots.map((root) => rm(root, { recursive: true, force: true })));
});

async function store(options: ConstructorParameters<typeof ImageStore>[1] = {}): Promise<{ store: ImageStore; root: string }> {
  const root = await mkdtemp(join(tmpdir(), 'minato-images-'));
  roots.push(root);
  return { store: new ImageStore(root, { retryDelayMs: 10, ...options }), root };
}

async function pullError(pull: Promise<unknown>): Promise<ImagePullError> {
  const err = await pull.catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ImagePullError);
  return err as ImagePullError;
}

/** Every file under `dir`, relative. */
async function files(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => !e.isDirectory()).map((e) => join(e.parentPath ?? e.path, e.name).slice(dir.length + 1));
}

describe('pull failures', () => {
  it.each([
    ['team/missing:latest', 'team/missing:latest'],
    ['team/app:no-such-tag', 'team/app:no-such-tag'],
  ])('%s → not found', async (name, canonical) => {
    const { store: s } = await store();
    const err = await pullError(s.pull(`${registry.host}/${name}`));
    expect(err.kind).toBe(PullErrorKind.NotFound);
    expect(err.message).toBe(`CannotPullContainerError: pull image manifest has been retried 1 time(s): failed to resolve ref ${registry.host}/${canonical}: not found`);
  });

  it('an invalid reference', async () => {
    const { store: s } = await store();
    const err = await pullError(s.pull(`${registry.host}/Team/App:1`));
    expect(err.kind).toBe(PullErrorKind.InvalidReference);
    expect(err.message).toBe('CannotPullContainerError: invalid reference format: repository name must be lowercase');
  });

  it('an unreachable registry, retried', async () => {
    const port = await freeLoopbackPort();
    const { store: s } = await store({ maxAttempts: 2 });
    const err = await pullError(s.pull(`127.0.0.1:${port}/team/app:1`));
    expect(err.kind).toBe(PullErrorKind.Network);
    expect(err.message).toBe(
      `CannotPullContainerError: pull image manifest has been retried 2 time(s): failed to resolve ref 127.0.0.1:${port}/team/app:1: failed to do request: Head "http://127.0.0.1:${port}/v2/team/app/manifests/1": connect ECONNREFUSED 127.0.0.1:${port}`,
    );
  });

  it('a corrupted layer blob: digest error, nothing kept', async () => {
    const victim = image.layers[1]!.digest;
    const proxy = await startRegistryProxy({
      upstream: registry.url,
      rewrite: (path, body) => {
        if (!path.endsWith(`/blobs/${victim}`)) return undefined;
        const corrupted = Buffer.from(body);
        corrupted[corrupted.length - 5]! ^= 0xff;
        return corrupted;
      },
    });
    try {
      const { store: s, root } = await store();
      const err = await pullError(s.pull(`${proxy.host}/team/app:1`));
      expect(err.kind).toBe(PullErrorKind.Integrity);
      expect(err.message).toMatch(new RegExp(`^CannotPullContainerError: ref pull has been retried 1 time\\(s\\): failed commit on ref "layer-${victim}": unexpected commit digest sha256:[a-f0-9]{64}, expected ${victim}: failed precondition$`));
      // A corrupted blob is not retried, and no partial layer or download remains.
      expect(proxy.requests.filter((r) => r.endsWith(victim))).toHaveLength(1);
      expect((await files(join(root, 'layers'))).filter((f) => f.startsWith(`sha256/${image.diffIds[1]!.slice(7)}`))).toEqual([]);
      expect(await readdir(join(root, 'tmp'))).toEqual([]);
    } finally {
      await proxy.close();
    }
  });

  it('a layer whose content is not its diffID: nothing kept', async () => {
    // The manifest's digests are right, but the config lies about the uncompressed content.
    const liar = await buildImage({ files: { '/x': 'x' } });
    try {
      const configPath = join(liar.dir, 'blobs/sha256', liar.configDigest.slice(7));
      const config = JSON.parse(await readFile(configPath, 'utf8')) as { rootfs: { diff_ids: string[] } };
      config.rootfs.diff_ids = [`sha256:${'0'.repeat(64)}`];
      const bytes = Buffer.from(JSON.stringify(config));
      const configDescriptor = await writeBlob(liar.dir, bytes, MediaTypes.ociConfig);
      const manifest = { schemaVersion: 2, mediaType: MediaTypes.ociManifest, config: configDescriptor, layers: liar.layers };
      const manifestDescriptor = await writeBlob(liar.dir, Buffer.from(JSON.stringify(manifest)), MediaTypes.ociManifest);
      await writeFile(join(liar.dir, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: [manifestDescriptor] }));
      await pushImageLayout(liar.dir, `${registry.host}/team/liar:1`);
      const { store: s, root } = await store();
      const err = await pullError(s.pull(`${registry.host}/team/liar:1`));
      expect(err.message).toMatch(/^CannotPullContainerError: ref pull has been retried 1 time\(s\): failed to extract layer sha256:0{64}: failed commit on ref "diff-sha256:0{64}": unexpected commit digest/);
      expect(await files(join(root, 'layers'))).toEqual([]);
    } finally {
      await liar.cleanup();
    }
  });

  it('a zstd layer: refused before download', async () => {
    const zstd = await buildImage({ layers: [{ files: { '/z': 'z' }, mediaType: MediaTypes.ociLayerZstd }] });
    try {
      await pushImageLayout(zstd.dir, `${registry.host}/team/zstd:1`);
      const { store: s } = await store();
      const err = await pullError(s.pull(`${registry.host}/team/zstd:1`));
      expect(err.kind).toBe(PullErrorKind.Unsupported);
      expect(err.message).toBe(`CannotPullContainerError: ref pull has been retried 1 time(s): failed to extract layer ${zstd.layers[0]!.digest}: unsupported media type ${MediaTypes.ociLayerZstd}`);
    } finally {
      await zstd.cleanup();
    }
  });

  it('an aborted pull: context canceled, once the work under way has stopped', async () => {
    const controller = new AbortController();
    // Blob requests hang until aborted; the abort comes as soon as the first one is made.
    const { store: s, root } = await store({
      fetch: (input, init) => {
        if (!String(input).includes('/blobs/sha256:') || String(input).includes(image.configDigest)) return fetch(input, init);
        setImmediate(() => controller.abort());
        return new Promise((_resolve, reject) => {
          const signal = init!.signal!;
          if (signal.aborted) reject(signal.reason);
          signal.addEventListener('abort', () => reject(signal.reason));
        });
      },
    });
    const err = await pullError(s.pull(`${registry.host}/team/app:1`, { signal: controller.signal }));
    expect(err.kind).toBe(PullErrorKind.Aborted);
    expect(err.message).toBe('CannotPullContainerError: ref pull has been retried 1 time(s): context canceled');
    expect(await files(join(root, 'layers'))).toEqual([]);
    expect(await readdir(join(root, 'tmp'))).toEqual([]);
  });

  it('a layer with a path traversal entry: refused, nothing written', async () => {
    const hostile = await buildImage({ layers: [{ files: { '/ok.txt': 'ok' }, raw: [{ header: { name: '../../escaped.txt', type: 'file', size: 4 }, content: 'evil' }] }] });
    try {
      await pushImageLayout(hostile.dir, `${registry.host}/team/hostile:1`);
      const { store: s, root } = await store();
      const err = await pullError(s.pull(`${registry.host}/team/hostile:1`));
      expect(err.kind).toBe(PullErrorKind.InvalidContent);
      expect(err.message).toBe(`CannotPullContainerError: ref pull has been retried 1 time(s): failed to extract layer ${hostile.diffIds[0]}: path traversal in layer entry "../../escaped.txt"`);
      expect(await files(join(root, 'layers'))).toEqual([]);
      expect(await readdir(join(root, 'tmp'))).toEqual([]);
      // The entry would have landed two levels above the work dir's rootfs: inside the store's tmp.
      expect((await files(root)).filter((f) => f.endsWith('escaped.txt'))).toEqual([]);
    } finally {
      await hostile.cleanup();
    }
  });
});
