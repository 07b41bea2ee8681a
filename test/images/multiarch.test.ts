/**
 * Multi-platform images: an OCI index and a Docker manifest list, pushed to a real registry; the
 * pull takes the manifest of the host's platform (or the one the store is told to use).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImagePullError, ImageStore } from '../../src/agent/images/index.js';
import { hostPlatform } from '../../src/agent/images/platform.js';
import { startDistributionRegistry, type DistributionRegistry } from '../support/distribution-registry.js';
import { buildMultiArchImage, pushImageLayout, type MultiArchImage } from '../support/oci-image.js';

let registry: DistributionRegistry;
let root: string;
const images: MultiArchImage[] = [];

beforeAll(async () => {
  registry = await startDistributionRegistry();
  root = await mkdtemp(join(tmpdir(), 'minato-images-'));
});

afterAll(async () => {
  await Promise.all(images.map((image) => image.cleanup()));
  await registry?.stop();
  await rm(root, { recursive: true, force: true });
});

const variants = [
  { platform: { os: 'linux', architecture: 'arm64', variant: 'v8' }, files: { '/arch': 'arm64' } },
  { platform: { os: 'linux', architecture: 'amd64' }, files: { '/arch': 'amd64' } },
  { platform: { os: 'linux', architecture: 's390x' }, files: { '/arch': 's390x' } },
];

describe.each(['oci', 'docker'] as const)('a %s multi-platform image', (format) => {
  let index: MultiArchImage;

  beforeAll(async () => {
    index = await buildMultiArchImage(variants, { format });
    images.push(index);
    await pushImageLayout(index.dir, `${registry.host}/multi-${format}:1`);
  });

  it('resolves to the manifest of the host platform', async () => {
    const image = await new ImageStore(root).pull(`${registry.host}/multi-${format}:1`);
    const host = hostPlatform();
    const expected = index.manifests.find((m) => m.platform!.architecture === host.architecture)!;
    expect(image.manifestDigest).toBe(index.descriptor.digest);
    expect(image.platformManifestDigest).toBe(expected.digest);
    expect(image.platform.architecture).toBe(host.architecture);
    expect(await readFile(join(image.layerDirs[0]!, 'arch'), 'utf8')).toBe(host.architecture);
  });

  it('resolves another platform when the store is told to', async () => {
    const image = await new ImageStore(root, { platform: { os: 'linux', architecture: 's390x' } }).pull(`${registry.host}/multi-${format}@${index.descriptor.digest}`);
    expect(await readFile(join(image.layerDirs[0]!, 'arch'), 'utf8')).toBe('s390x');
  });

  it('fails as ECS does when no manifest matches', async () => {
    const err = await new ImageStore(root, { platform: { os: 'linux', architecture: 'riscv64' } }).pull(`${registry.host}/multi-${format}:1`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImagePullError);
    expect((err as Error).message).toBe("CannotPullContainerError: pull image manifest has been retried 1 time(s): image Manifest does not contain descriptor matching platform 'linux/riscv64'");
  });
});
