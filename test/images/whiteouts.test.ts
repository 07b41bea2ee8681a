/**
 * OCI whiteouts become overlayfs whiteouts: a two-layer image that deletes a file and replaces a
 * directory, pulled from a real registry and mounted with overlayfs, shows neither.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ImageStore } from '../../src/agent/images/image-store.js';
import { startDistributionRegistry, type DistributionRegistry } from '../support/distribution-registry.js';
import { buildImage, pushImageLayout } from '../support/oci-image.js';
import { mountOverlay } from './overlay-mount.js';

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

it('hides deleted files and the old content of replaced directories', async () => {
  const image = await buildImage({
    busybox: true,
    layers: [
      { files: { '/data/old.txt': 'old', '/data/kept.txt': 'kept', '/conf/a.conf': 'a', '/conf/sub/b.conf': 'b', '/gone': { dir: true }, '/gone/inner': 'x' } },
      { files: { '/data/old.txt': { whiteout: true }, '/gone': { whiteout: true }, '/conf': { opaque: true }, '/conf/c.conf': 'c' } },
    ],
  });
  try {
    await pushImageLayout(image.dir, `${registry.host}/whiteouts:1`);
    const pulled = await new ImageStore(root).pull(`${registry.host}/whiteouts:1`);
    expect(pulled.layerDirs).toHaveLength(3);
    const mount = await mountOverlay(pulled.layerDirs);
    try {
      expect(mount.sh('ls /data; echo ---; ls -R /conf; echo ---; ls -d /gone 2>&1 || true')).toBe(
        'kept.txt\n---\n/conf:\nc.conf\n---\nls: /gone: No such file or directory\n',
      );
      // The layers below are intact: only the view hides them.
      const lower = await mountOverlay(pulled.layerDirs.slice(0, 2));
      try {
        expect(lower.sh('ls /data /conf')).toBe('/conf:\na.conf\nsub\n\n/data:\nkept.txt\nold.txt\n');
      } finally {
        await lower.unmount();
      }
    } finally {
      await mount.unmount();
    }
  } finally {
    await image.cleanup();
  }
});
