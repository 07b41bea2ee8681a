/**
 * The file system objects Node cannot create: device nodes and fifos (no mknod), and extended
 * attributes (no setxattr). Overlayfs needs two of them in every layer that deletes something:
 * a whiteout is a character device 0:0, an opaque directory carries `trusted.overlay.opaque=y`.
 *
 * They are made by GNU tar (Debian's essential `tar` package, so always present): the unpacker
 * collects them, and this module streams a small tar of exactly those entries (generated here,
 * with paths already checked) to `tar --extract --xattrs`. One process per layer that needs it.
 */
import { spawn } from 'node:child_process';
import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import { pack } from 'tar-stream';
import { PullErrorKind, RegistryError } from './pull-error.js';

/** The xattr that makes a directory opaque to overlayfs (lower layers' content hidden). */
export const OPAQUE_XATTR = 'trusted.overlay.opaque';
/** GNU tar; `tar` on PATH. */
export const TAR_BIN = 'tar';

/** A node to create, by its path relative to the layer root (parents already exist). */
export interface SpecialNode {
  path: string;
  type: 'character-device' | 'block-device' | 'fifo' | 'opaque-directory';
  mode: number;
  uid: number;
  gid: number;
  mtime: Date;
  devmajor?: number;
  devminor?: number;
}

/** A whiteout: a 0:0 character device hiding `path` of the layers below. */
export const whiteoutNode = (path: string, mtime: Date): SpecialNode => ({ path, type: 'character-device', mode: 0o600, uid: 0, gid: 0, mtime, devmajor: 0, devminor: 0 });

/**
 * True when every parent of `path` is still a real directory: a later entry of the layer may have
 * replaced one by a symlink, which tar would follow, or by a file. Such nodes are dropped: in tar
 * semantics the replacement removed them.
 */
async function parentsAreDirectories(root: string, path: string): Promise<boolean> {
  const components = path.split('/');
  for (let i = 1; i < components.length; i++) {
    const stats = await lstat(join(root, ...components.slice(0, i))).catch(() => null);
    if (!stats?.isDirectory()) return false;
  }
  return true;
}

/** Creates the nodes under `root` with GNU tar; resolves once tar has exited successfully. */
export async function createSpecialNodes(root: string, nodes: readonly SpecialNode[], signal?: AbortSignal): Promise<void> {
  const kept: SpecialNode[] = [];
  for (const node of nodes) if (await parentsAreDirectories(root, node.path)) kept.push(node);
  if (kept.length === 0) return;

  const args = ['--extract', '--file=-', `--directory=${root}`, '--numeric-owner', '--same-owner', '--same-permissions', '--xattrs', `--xattrs-include=${OPAQUE_XATTR}`];
  const child = spawn(TAR_BIN, args, { stdio: ['pipe', 'ignore', 'pipe'], signal });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve, reject) => {
    child.on('error', (err) => reject(signal?.aborted ? err : new RegistryError(PullErrorKind.Internal, `cannot run ${TAR_BIN} to create overlay whiteouts: ${err.message}`)));
    child.on('close', (code) => (code === 0 ? resolve() : reject(new RegistryError(PullErrorKind.Internal, `${TAR_BIN} failed creating overlay whiteouts (exit ${code}): ${stderr.trim()}`))));
  });
  // EPIPE if tar dies early is reported by its exit status instead.
  child.stdin.on('error', () => undefined);

  const archive = pack();
  archive.pipe(child.stdin);
  for (const node of kept) {
    const base = { name: node.path, mode: node.mode, uid: node.uid, gid: node.gid, mtime: node.mtime };
    if (node.type === 'opaque-directory') archive.entry({ ...base, type: 'directory', pax: { [`SCHILY.xattr.${OPAQUE_XATTR}`]: 'y' } } as Parameters<typeof archive.entry>[0]);
    else archive.entry({ ...base, type: node.type, devmajor: node.devmajor ?? 0, devminor: node.devminor ?? 0 });
  }
  archive.finalize();
  await exited;
}
