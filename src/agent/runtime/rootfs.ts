import { lstat, mkdir, open, readFile, readlink, rm, stat, symlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DomainError, ErrorKind } from '../../lib/errors.js';
import { commandError, mustRun, runCommand } from './command.js';

/** At most this many symlinks are followed resolving one path, as the kernel's ELOOP limit. */
const MAX_LINKS = 40;

/**
 * The host path of `path` inside the directory tree `root`, following symlinks as if `root` were
 * `/`: an image's `/etc/passwd -> /etc/shadow` or `../../../..` can never lead outside it. Missing
 * components are kept as written.
 */
export async function resolveInRoot(root: string, path: string): Promise<string> {
  const pending = path.split('/').filter((p) => p !== '' && p !== '.');
  const done: string[] = [];
  let links = 0;
  while (pending.length > 0) {
    const part = pending.shift()!;
    if (part === '..') {
      done.pop();
      continue;
    }
    const candidate = join(root, ...done, part);
    const st = await lstat(candidate).catch(() => undefined);
    if (st?.isSymbolicLink()) {
      if (++links > MAX_LINKS) throw new DomainError(ErrorKind.InvalidArgument, `too many symlinks resolving ${path}`, 'image');
      const target = await readlink(candidate);
      if (target.startsWith('/')) done.length = 0;
      pending.unshift(...target.split('/').filter((p) => p !== '' && p !== '.'));
      continue;
    }
    done.push(part);
  }
  return join(root, ...done);
}

/** A regular file of the image (at most maxBytes), or undefined when it is missing or not a file. */
export async function readFileInRoot(root: string, path: string, maxBytes = 1 << 20): Promise<string | undefined> {
  const host = await resolveInRoot(root, path);
  const st = await lstat(host).catch(() => undefined);
  if (!st?.isFile()) return undefined;
  if (st.size <= maxBytes) return readFile(host, 'utf8');
  const fh = await open(host, 'r');
  try {
    const buf = Buffer.alloc(maxBytes);
    const { bytesRead } = await fh.read(buf, 0, maxBytes, 0);
    return buf.subarray(0, bytesRead).toString('utf8');
  } finally {
    await fh.close();
  }
}

/** The overlay directories of one container, all under its own directory. */
export interface OverlayDirs {
  /** The container's directory; the mount runs from here so that paths stay short. */
  base: string;
  /** Relative to base: the writable upper dir, overlay's work dir, and the mount point. */
  upper: string;
  work: string;
  target: string;
}

/**
 * Mounts the layers (bottom to top) as an overlay with the container's upper dir. The kernel takes
 * the options in one page, so each layer is reached through a short symlink `l/<n>` relative to
 * the container directory, as containers/storage does, and many long layer paths still fit.
 */
export async function mountOverlay(dirs: OverlayDirs, layerDirs: readonly string[]): Promise<void> {
  if (layerDirs.length === 0) throw new DomainError(ErrorKind.InvalidArgument, 'a container needs at least one layer', 'parameter');
  await mkdir(join(dirs.base, 'l'), { recursive: true });
  for (const [i, layer] of layerDirs.entries()) {
    await rm(join(dirs.base, 'l', String(i)), { force: true });
    await symlink(layer, join(dirs.base, 'l', String(i)));
  }
  // overlayfs lists lowerdirs top first.
  const lower = layerDirs.map((_, i) => `l/${i}`).reverse().join(':');
  await mustRun('mount', ['-t', 'overlay', 'overlay', '-o', `lowerdir=${lower},upperdir=${dirs.upper},workdir=${dirs.work}`, dirs.target], {
    cwd: dirs.base,
  });
}

/**
 * Whether `path` is on another device than its parent directory: true at every overlay mount
 * point (each overlay is its own device), found without reading mountinfo.
 */
async function onOwnDevice(path: string): Promise<boolean> {
  const [self, parent] = await Promise.all([stat(path).catch(() => undefined), stat(dirname(path)).catch(() => undefined)]);
  return self !== undefined && parent !== undefined && self.dev !== parent.dev;
}

/** Whether something is mounted exactly at `path` in this mount namespace. */
export async function isMountPoint(path: string): Promise<boolean> {
  // mountinfo grows with every container's mounts: read it only when the device does not tell
  // (a bind mount within one file system).
  if (await onOwnDevice(path)) return true;
  const info = await readFile('/proc/self/mountinfo', 'utf8');
  return info.split('\n').some((line) => unescapeMountPath(line.split(' ')[4] ?? '') === path);
}

function unescapeMountPath(p: string): string {
  return p.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

/**
 * Unmounts `path` if mounted. A mount still busy after a few tries (a process of ours holding a
 * file, which ends soon after the container) is detached lazily: it goes once unused.
 */
export async function unmount(path: string): Promise<void> {
  if (!(await isMountPoint(path))) return;
  for (let attempt = 0; attempt < 5; attempt++) {
    const r = await runCommand('umount', [path]);
    if (r.code === 0) {
      // What this unmounts are overlays, each its own device: still another device means another
      // mount stacked on the same point.
      if (!(await onOwnDevice(path))) return;
      continue;
    }
    if (/not mounted/i.test(r.stderr)) return;
    if (!/busy/i.test(r.stderr)) throw commandError('umount', [path], r);
    await sleep(100 * (attempt + 1));
  }
  if (await isMountPoint(path)) await mustRun('umount', ['-l', path]);
}
