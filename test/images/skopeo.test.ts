/**
 * The layouts the test helpers write are valid for real tools: skopeo copies one (single and
 * multi-platform) into a real registry, and the image store pulls what skopeo pushed.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ImageStore } from '../../src/agent/images/index.js';
import { startDistributionRegistry, type DistributionRegistry } from '../support/distribution-registry.js';
import { buildImage, buildMultiArchImage, hostPlatform } from '../support/oci-image.js';

const run = promisify(execFile);
let registry: DistributionRegistry;
let root: string;

beforeAll(async () => {
  registry = await startDistributionRegistry();
  root = await mkdtemp(join(tmpdir(), 'minato-images-'));
});

afterAll(async () => {
  await registry?.stop();
  await rm(root, { recursive: true, force: true });
});

it('pulls an image skopeo copied from a built layout', async () => {
  const image = await buildImage({ busybox: true, files: { '/hello.txt': 'via skopeo' }, config: { Cmd: ['cat', '/hello.txt'] } });
  try {
    await run('skopeo', ['copy', '--quiet', `oci:${image.dir}:latest`, `docker://${registry.host}/x:y`, '--dest-tls-verify=false'], { timeout: 20_000 });
    const pulled = await new ImageStore(root).pull(`${registry.host}/x:y`);
    // skopeo keeps OCI manifests as they are: same digest as built.
    expect(pulled.manifestDigest).toBe(image.manifestDigest);
    expect(pulled.config.Cmd).toEqual(['cat', '/hello.txt']);
    expect(await readFile(join(pulled.layerDirs[1]!, 'hello.txt'), 'utf8')).toBe('via skopeo');
  } finally {
    await image.cleanup();
  }
});

it('pulls a multi-platform image skopeo copied with --all', async () => {
  const host = hostPlatform();
  const other = host.architecture === 'arm64' ? { os: 'linux', architecture: 'amd64' } : { os: 'linux', architecture: 'arm64', variant: 'v8' };
  const image = await buildMultiArchImage([
    { platform: other, files: { '/arch': other.architecture } },
    { platform: host, files: { '/arch': host.architecture } },
  ]);
  try {
    await run('skopeo', ['copy', '--quiet', '--all', `oci:${image.dir}`, `docker://${registry.host}/multi:1`, '--dest-tls-verify=false'], { timeout: 20_000 });
    const pulled = await new ImageStore(root).pull(`${registry.host}/multi:1`);
    expect(pulled.manifestDigest).toBe(image.descriptor.digest);
    expect(await readFile(join(pulled.layerDirs[0]!, 'arch'), 'utf8')).toBe(host.architecture);
  } finally {
    await image.cleanup();
  }
});
