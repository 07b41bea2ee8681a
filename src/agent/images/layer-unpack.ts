/**
 * Unpacks one layer tar (already decompressed, streamed) into a directory usable as an overlayfs
 * lowerdir: files, directories, symlinks, hardlinks, devices and fifos with their modes, owners
 * and mtimes; OCI whiteouts turned into overlayfs whiteouts (`.wh.<name>` → a 0:0 character
 * device, `.wh..wh..opq` → `trusted.overlay.opaque=y`). Hostile entries are refused (see
 * safe-path.ts). Nothing is ever read into memory whole.
 */
import { createWriteStream } from 'node:fs';
import { chmod, lchown, link, lstat, lutimes, mkdir, rm, symlink, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { extract, type Header } from 'tar-stream';
import { createSpecialNodes, whiteoutNode, type SpecialNode } from './overlay-nodes.js';
import { PullErrorKind, RegistryError } from './pull-error.js';
import { InRootResolver, entryComponents } from './safe-path.js';

/** What an unpack did. */
export interface UnpackStats {
  entries: number;
  files: number;
  bytes: number;
  whiteouts: number;
  opaqueDirs: number;
}

const WHITEOUT_PREFIX = '.wh.';
const OPAQUE_MARKER = '.wh..wh..opq';

interface DirMetadata {
  path: string;
  mode: number;
  uid: number;
  gid: number;
  mtime: Date;
}

type PaxHeaders = Omit<Partial<Header>, 'pax'> & { name: string; pax?: Record<string, string> | null };

const refuse = (message: string) => new RegistryError(PullErrorKind.InvalidContent, message);

/** Owner and mtime, from pax records when present (they carry large ids and sub-second times). */
function metadata(header: PaxHeaders): { uid: number; gid: number; mtime: Date; mode: number } {
  const pax = header.pax ?? {};
  const uid = pax.uid !== undefined ? Number(pax.uid) : (header.uid ?? 0);
  const gid = pax.gid !== undefined ? Number(pax.gid) : (header.gid ?? 0);
  const mtime = pax.mtime !== undefined ? new Date(Number(pax.mtime) * 1000) : (header.mtime ?? new Date(0));
  return { uid, gid, mtime, mode: (header.mode ?? 0) & 0o7777 };
}

/** Removes whatever is at `path` (not following symlinks); directories only when `evenDirectory`. */
async function clear(path: string, evenDirectory: boolean): Promise<'none' | 'directory' | 'other'> {
  const stats = await lstat(path).catch(() => null);
  if (!stats) return 'none';
  if (stats.isDirectory()) {
    if (evenDirectory) await rm(path, { recursive: true, force: true });
    return 'directory';
  }
  await unlink(path);
  return 'other';
}

/**
 * Unpacks a tar into `root` (an existing, empty directory). `source` is the tar stream, or a
 * chain of streams producing it (file → gunzip → digest verifier), piped with error propagation.
 */
export async function unpackLayer(source: Readable | ReadonlyArray<NodeJS.ReadableStream | NodeJS.ReadWriteStream>, root: string, signal?: AbortSignal): Promise<UnpackStats> {
  const stats: UnpackStats = { entries: 0, files: 0, bytes: 0, whiteouts: 0, opaqueDirs: 0 };
  const resolver = new InRootResolver(root);
  const dirs = new Map<string, DirMetadata>();
  const specials = new Map<string, SpecialNode>();
  const whiteouts = new Map<string, Date>();

  const parser = extract();
  // tar-stream's streams are streamx streams; Node's pipeline drives them like its own.
  const feeding = pipeline([...(Array.isArray(source) ? source : [source]), parser as unknown as NodeJS.WritableStream], { signal });
  const consuming = (async () => {
    for await (const entry of parser) {
      const header = entry.header as PaxHeaders;
      stats.entries++;
      const components = entryComponents(header.name);
      const base = components.at(-1) ?? '';
      if (base.startsWith(WHITEOUT_PREFIX)) {
        const parent = await resolver.directory(components.slice(0, -1));
        if (base === OPAQUE_MARKER) {
          stats.opaqueDirs++;
          const key = parent.components.join('/');
          const dir = dirs.get(key);
          specials.set(key, { path: key || '.', type: 'opaque-directory', mode: dir?.mode ?? 0o755, uid: dir?.uid ?? 0, gid: dir?.gid ?? 0, mtime: dir?.mtime ?? new Date(0) });
        } else if (!base.startsWith(`${WHITEOUT_PREFIX}${WHITEOUT_PREFIX}`)) {
          // `.wh..wh.*` other than the opaque marker are AUFS bookkeeping: ignored, as by Docker.
          const name = base.slice(WHITEOUT_PREFIX.length);
          if (name === '' || name === '.' || name === '..') throw refuse(`invalid whiteout ${JSON.stringify(header.name)}`);
          stats.whiteouts++;
          whiteouts.set([...parent.components, name].join('/'), metadata(header).mtime);
        }
        entry.resume();
        continue;
      }
      await unpackEntry(entry as unknown as Readable, header, components);
    }
  })();

  async function unpackEntry(entry: Readable, header: PaxHeaders, components: string[]): Promise<void> {
    const meta = metadata(header);
    if (components.length === 0) {
      // The layer's root (`./`): only its metadata applies.
      if (header.type === 'directory') dirs.set('', { path: root, ...meta });
      entry.resume();
      return;
    }
    const parent = await resolver.directory(components.slice(0, -1));
    const name = components.at(-1)!;
    const relative = [...parent.components, name];
    const key = relative.join('/');
    const target = join(parent.path, name);
    specials.delete(key);
    switch (header.type) {
      case 'directory': {
        const existing = await lstat(target).catch(() => null);
        if (existing && !existing.isDirectory()) await unlink(target);
        if (!existing?.isDirectory()) await mkdir(target, { mode: 0o755 });
        dirs.set(key, { path: target, ...meta });
        entry.resume();
        return;
      }
      case 'file':
      case 'contiguous-file': {
        if ((await clear(target, true)) === 'directory') resolver.forget(relative);
        // `wx`: O_EXCL refuses to write through anything that appeared at the path meanwhile.
        await pipeline(entry, createWriteStream(target, { flags: 'wx', mode: 0o600 }));
        stats.files++;
        stats.bytes += header.size ?? 0;
        await lchown(target, meta.uid, meta.gid);
        await chmod(target, meta.mode);
        await lutimes(target, meta.mtime, meta.mtime);
        return;
      }
      case 'symlink': {
        if ((await clear(target, true)) === 'directory') resolver.forget(relative);
        await symlink(header.linkname ?? '', target);
        await lchown(target, meta.uid, meta.gid);
        await lutimes(target, meta.mtime, meta.mtime);
        entry.resume();
        return;
      }
      case 'link': {
        // A hard link names another entry of this layer; resolved inside the root like any path.
        const linkComponents = entryComponents(header.linkname ?? '');
        if (linkComponents.length === 0) throw refuse(`hard link ${JSON.stringify(header.name)} to the layer root`);
        const linkParent = await resolver.directory(linkComponents.slice(0, -1));
        const source = join(linkParent.path, linkComponents.at(-1)!);
        const sourceStats = await lstat(source).catch(() => null);
        if (!sourceStats || sourceStats.isDirectory()) throw refuse(`hard link ${JSON.stringify(header.name)} to missing or directory ${JSON.stringify(header.linkname)}`);
        if (source === target) {
          entry.resume();
          return;
        }
        if ((await clear(target, true)) === 'directory') resolver.forget(relative);
        await link(source, target);
        entry.resume();
        return;
      }
      case 'character-device':
      case 'block-device':
      case 'fifo': {
        if ((await clear(target, true)) === 'directory') resolver.forget(relative);
        specials.set(key, { path: key, type: header.type, ...meta, devmajor: header.devmajor ?? 0, devminor: header.devminor ?? 0 });
        entry.resume();
        return;
      }
      default:
        throw refuse(`unsupported tar entry type ${String(header.type)} for ${JSON.stringify(header.name)}`);
    }
  }

  const [fed, consumed] = await Promise.allSettled([feeding, consuming]);
  if (consumed.status === 'rejected' || fed.status === 'rejected') {
    parser.destroy();
    // Either side's failure ends both; the one that says why (a RegistryError) is reported.
    const reasons = [consumed, fed].flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    throw reasons.find((r) => r instanceof RegistryError) ?? reasons[0];
  }

  // OCI: a whiteout hides only lower layers; a path this layer itself provides stays.
  for (const [path, mtime] of whiteouts) {
    if ((await lstat(join(root, path)).catch(() => null)) === null) specials.set(path, whiteoutNode(path, mtime));
  }
  await createSpecialNodes(root, [...specials.values()], signal);
  // Directory metadata last and deepest first: creating entries inside changes mtimes, and a
  // read-only mode would stop writes into the directory.
  const ordered = [...dirs.values()].sort((a, b) => b.path.length - a.path.length);
  for (const dir of ordered) {
    const current = await lstat(dir.path).catch(() => null);
    if (!current?.isDirectory()) continue;
    await lchown(dir.path, dir.uid, dir.gid);
    await chmod(dir.path, dir.mode);
    await lutimes(dir.path, dir.mtime, dir.mtime);
  }
  return stats;
}
