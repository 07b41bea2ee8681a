/**
 * Unpacks one layer tar (already decompressed, streamed) into a directory usable as an overlayfs
 * lowerdir: files, directories, symlinks, hardlinks, devices and fifos with their modes, owners
 * and mtimes; OCI whiteouts turned into overlayfs whiteouts (`.wh.<name>` → a 0:0 character
 * device, `.wh..wh..opq` → `trusted.overlay.opaque=y`). Hostile entries are refused (see
 * safe-path.ts). Nothing is ever read into memory whole.
 *
 * Calls that create or remove directory entries (open with O_CREAT, mkdir, symlink, link, unlink)
 * can take a millisecond or more on a busy disk, so they are asynchronous and never block the
 * event loop; pure metadata calls (lstat, chown, chmod, utimes) take microseconds and are made
 * synchronously, saving a thread-pool round trip each. Small files are written with one call.
 */
import { chmodSync, createWriteStream, lchownSync, lstatSync, lutimesSync } from 'node:fs';
import { link, mkdir, rm, symlink, unlink, writeFile } from 'node:fs/promises';
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

/** Files up to this size are collected and written with one call; larger ones are streamed. */
export const SMALL_FILE_BYTES = 256 * 1024;

const WHITEOUT_PREFIX = '.wh.';
const OPAQUE_MARKER = '.wh..wh..opq';
const AUFS_META_PREFIX = '.wh..wh.';

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

const lstatOrNull = (path: string) => lstatSync(path, { throwIfNoEntry: false }) ?? null;

/** Removes whatever is at `path`, not following symlinks; reports whether it was a directory. */
async function clear(path: string): Promise<'none' | 'directory' | 'other'> {
  const stats = lstatOrNull(path);
  if (!stats) return 'none';
  if (stats.isDirectory()) {
    await rm(path, { recursive: true, force: true });
    return 'directory';
  }
  await unlink(path);
  return 'other';
}

/** Owner, then mode (chown clears setuid bits), then times; symlinks get no mode. */
function applyMetadata(path: string, meta: { uid: number; gid: number; mode: number; mtime: Date }, symlink = false): void {
  lchownSync(path, meta.uid, meta.gid);
  if (!symlink) chmodSync(path, meta.mode);
  lutimesSync(path, meta.mtime, meta.mtime);
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
  // A failed source (truncated, wrong digest, network) must also stop the entry being written,
  // whose stream may already have been abandoned by the parser.
  const sourceFailed = feeding.then(() => new Promise<never>(() => undefined));
  sourceFailed.catch(() => undefined);
  const untilSourceFails = <T>(work: Promise<T>): Promise<T> => {
    work.catch(() => undefined);
    return Promise.race([work, sourceFailed]);
  };
  const consuming = (async () => {
    for await (const entry of parser) {
      const header = entry.header as PaxHeaders;
      stats.entries++;
      const components = entryComponents(header.name);
      const base = components.at(-1) ?? '';
      if (components[0]?.startsWith(AUFS_META_PREFIX) && components.join('/') !== OPAQUE_MARKER) {
        // AUFS bookkeeping at the root (`.wh..wh.plnk/…`): skipped, as Docker does.
        entry.resume();
        continue;
      }
      if (base.startsWith(WHITEOUT_PREFIX)) {
        const parent = await resolver.directory(components.slice(0, -1));
        if (base === OPAQUE_MARKER) {
          stats.opaqueDirs++;
          const key = parent.components.join('/');
          const dir = dirs.get(key);
          specials.set(key, { path: key || '.', type: 'opaque-directory', mode: dir?.mode ?? 0o755, uid: dir?.uid ?? 0, gid: dir?.gid ?? 0, mtime: dir?.mtime ?? new Date(0) });
        } else if (!base.startsWith(AUFS_META_PREFIX)) {
          // Other `.wh..wh.*` names are AUFS bookkeeping: ignored, as by Docker.
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
        const existing = lstatOrNull(target);
        if (existing && !existing.isDirectory()) await unlink(target);
        if (!existing?.isDirectory()) await mkdir(target, { mode: 0o755 });
        dirs.set(key, { path: target, ...meta });
        entry.resume();
        return;
      }
      case 'file':
      case 'contiguous-file': {
        if ((await clear(target)) === 'directory') resolver.forget(relative);
        // `wx`: O_EXCL refuses to write through anything that appeared at the path meanwhile.
        if ((header.size ?? 0) <= SMALL_FILE_BYTES) {
          await writeFile(target, await untilSourceFails(collect(entry)), { flag: 'wx', mode: 0o600 });
        } else {
          const out = createWriteStream(target, { flags: 'wx', mode: 0o600 });
          try {
            await untilSourceFails(pipeline(entry, out));
          } catch (err) {
            out.destroy();
            throw err;
          }
        }
        stats.files++;
        stats.bytes += header.size ?? 0;
        applyMetadata(target, meta);
        return;
      }
      case 'symlink': {
        if ((await clear(target)) === 'directory') resolver.forget(relative);
        await symlink(header.linkname ?? '', target);
        applyMetadata(target, meta, true);
        entry.resume();
        return;
      }
      case 'link': {
        // A hard link names another entry of this layer; resolved inside the root like any path.
        const linkComponents = entryComponents(header.linkname ?? '');
        if (linkComponents.length === 0) throw refuse(`hard link ${JSON.stringify(header.name)} to the layer root`);
        const linkParent = await resolver.directory(linkComponents.slice(0, -1));
        const source = join(linkParent.path, linkComponents.at(-1)!);
        const sourceStats = lstatOrNull(source);
        if (!sourceStats || sourceStats.isDirectory()) throw refuse(`hard link ${JSON.stringify(header.name)} to missing or directory ${JSON.stringify(header.linkname)}`);
        if (source !== target) {
          if ((await clear(target)) === 'directory') resolver.forget(relative);
          await link(source, target);
        }
        entry.resume();
        return;
      }
      case 'character-device':
      case 'block-device':
      case 'fifo': {
        if ((await clear(target)) === 'directory') resolver.forget(relative);
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
    // Either side's failure ends both. Reported is the one that says why: a refused entry or
    // bad content (RegistryError), else the source's failure unless it merely saw the consumer
    // stop (premature close), else the consumer's.
    const consumerError = consumed.status === 'rejected' ? (consumed.reason as unknown) : undefined;
    const sourceError = fed.status === 'rejected' ? (fed.reason as unknown) : undefined;
    const prematureClose = (sourceError as { code?: string } | undefined)?.code === 'ERR_STREAM_PREMATURE_CLOSE';
    throw [consumerError, sourceError].find((e) => e instanceof RegistryError) ?? (sourceError !== undefined && !prematureClose ? sourceError : (consumerError ?? sourceError));
  }

  // OCI: a whiteout hides only lower layers; a path this layer itself provides stays.
  for (const [path, mtime] of whiteouts) {
    if (lstatOrNull(join(root, path)) === null) specials.set(path, whiteoutNode(path, mtime));
  }
  await createSpecialNodes(root, [...specials.values()], signal);
  // Directory metadata last and deepest first: creating entries inside changes mtimes, and a
  // read-only mode would stop writes into the directory.
  const ordered = [...dirs.values()].sort((a, b) => b.path.length - a.path.length);
  for (const dir of ordered) {
    if (lstatOrNull(dir.path)?.isDirectory()) applyMetadata(dir.path, dir);
  }
  return stats;
}

/** An entry's content, collected (small files only). */
async function collect(entry: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of entry) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
