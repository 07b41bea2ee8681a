/**
 * Unpacked layers on disk, each once: `<root>/layers/<alg>/<hex>/` named by the layer's diffID
 * (the digest of its uncompressed tar, so the same layer compressed differently is stored once).
 *
 * A layer is made in a private work dir under `<root>/tmp/` (download the compressed blob, verified
 * against the manifest; unpack it, verified against the diffID) and renamed into place at the end:
 * a rename is atomic, so a crash or a failed check never leaves a partial layer where readers look.
 * Work dirs are named after the pid that made them; those of dead processes are removed on first use.
 */
import { createReadStream } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createGunzip } from 'node:zlib';
import { DigestVerifier } from './digest.js';
import { parseDigest } from './image-ref.js';
import { unpackLayer } from './layer-unpack.js';
import { PullErrorKind, RegistryError } from './pull-error.js';
import { SingleFlight } from './single-flight.js';

/** How a layer's blob is compressed (zstd is refused before download). */
export type LayerCompression = 'gzip' | 'none';

/** Downloads a verified blob to `path` (the caller's retries included). */
export type BlobDownloader = (path: string, signal: AbortSignal) => Promise<void>;

const exists = (path: string) => stat(path).then(() => true, () => false);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The store of unpacked layers under one root directory. */
export class LayerStore {
  private readonly unpacking = new SingleFlight<string>();
  private swept: Promise<void> | undefined;

  constructor(readonly rootDir: string) {}

  /** The directory a layer is (or will be) unpacked into. */
  layerDir(diffId: string): string {
    const { algorithm, hex } = parseDigest(diffId);
    return join(this.rootDir, 'layers', algorithm, hex);
  }

  /** True when the layer is unpacked. */
  has(diffId: string): Promise<boolean> {
    return exists(this.layerDir(diffId));
  }

  /** A fresh work dir under `<root>/tmp/`, removed by the caller. */
  async workDir(): Promise<string> {
    this.swept ??= this.sweep();
    await this.swept;
    return mkdtemp(join(this.rootDir, 'tmp', `${process.pid}-`));
  }

  /**
   * Returns the layer's directory, downloading and unpacking it unless present. Concurrent calls
   * for one layer share the work.
   */
  async ensure(diffId: string, compression: LayerCompression, download: BlobDownloader, signal?: AbortSignal): Promise<{ dir: string; fetched: boolean }> {
    const dir = this.layerDir(diffId);
    if (await exists(dir)) return { dir, fetched: false };
    await this.unpacking.run(diffId, (shared) => this.make(diffId, dir, compression, download, shared), signal);
    return { dir, fetched: true };
  }

  private async make(diffId: string, dir: string, compression: LayerCompression, download: BlobDownloader, signal: AbortSignal): Promise<string> {
    if (await exists(dir)) return dir;
    const work = await this.workDir();
    try {
      signal.throwIfAborted();
      const blob = join(work, 'blob');
      await download(blob, signal);
      const rootfs = join(work, 'rootfs');
      await mkdir(rootfs);
      await chmod(rootfs, 0o755);
      const diffVerifier = new DigestVerifier(diffId, `diff-${diffId}`);
      const streams = [createReadStream(blob), ...(compression === 'gzip' ? [createGunzip()] : []), diffVerifier];
      try {
        await unpackLayer(streams, rootfs, signal);
      } catch (err) {
        if (signal.aborted) throw err;
        const detail = err instanceof RegistryError ? err.detail : (err as Error).message;
        const kind = err instanceof RegistryError ? err.kind : PullErrorKind.InvalidContent;
        throw new RegistryError(kind, `failed to extract layer ${diffId}: ${detail}`, false, { cause: err });
      }
      await mkdir(join(dir, '..'), { recursive: true });
      try {
        await rename(rootfs, dir);
      } catch (err) {
        // Another process made the same layer meanwhile: theirs is as good as ours.
        const code = (err as NodeJS.ErrnoException).code;
        if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw err;
      }
      return dir;
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }

  /** Removes work dirs left by processes that died mid-pull. */
  private async sweep(): Promise<void> {
    const tmp = join(this.rootDir, 'tmp');
    await mkdir(tmp, { recursive: true });
    for (const name of await readdir(tmp)) {
      const pid = Number(/^(\d+)-/.exec(name)?.[1]);
      if (Number.isSafeInteger(pid) && pid !== process.pid && !alive(pid)) await rm(join(tmp, name), { recursive: true, force: true });
    }
  }
}
