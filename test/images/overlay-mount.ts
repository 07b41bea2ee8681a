/**
 * Mounts pulled layers as overlayfs does for a container (the layers read-only below a fresh upper
 * dir) so that tests see what a container would see, and can run its programs with chroot.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A mounted root file system. */
export interface OverlayMount {
  /** The merged view: the container's `/`. */
  merged: string;
  /** Runs `sh -c script` chrooted into the merged view; returns stdout. */
  sh(script: string): string;
  /** Unmounts and removes the mount's directories. */
  unmount(): Promise<void>;
}

/** Mounts `layerDirs` (bottom to top, as `PulledImage.layerDirs`) with a temporary upper dir. */
export async function mountOverlay(layerDirs: readonly string[]): Promise<OverlayMount> {
  const dir = await mkdtemp(join(tmpdir(), 'minato-overlay-'));
  const [upper, work, merged] = ['upper', 'work', 'merged'].map((name) => join(dir, name)) as [string, string, string];
  await Promise.all([mkdir(upper), mkdir(work), mkdir(merged)]);
  // overlayfs lists lowerdirs top first.
  const lowerdir = [...layerDirs].reverse().join(':');
  try {
    execFileSync('mount', ['-t', 'overlay', 'overlay', '-o', `lowerdir=${lowerdir},upperdir=${upper},workdir=${work}`, merged]);
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  let unmounted: Promise<void> | undefined;
  return {
    merged,
    sh: (script) => execFileSync('chroot', [merged, '/bin/sh', '-c', script], { env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' }, timeout: 10_000 }).toString(),
    unmount: () =>
      (unmounted ??= (async () => {
        execFileSync('umount', [merged]);
        await rm(dir, { recursive: true, force: true });
      })()),
  };
}
