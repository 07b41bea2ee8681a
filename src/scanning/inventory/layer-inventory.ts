import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { extract } from 'tar-stream';
import { fileKind, readFileFindings } from './file-kinds.js';
import { factKind } from './layer-facts.js';
import type { LayerInventory } from './types.js';

const WHITEOUT = '.wh.';
const OPAQUE = '.wh..wh..opq';

/** A tar entry's name as a relative path: no leading `/` or `./`, no trailing `/`, `.` parts dropped. */
export function normalizeEntryPath(name: string): string {
  return name
    .split('/')
    .filter((part) => part !== '' && part !== '.')
    .join('/');
}

/** The first bytes of a gzip stream. */
const GZIP_MAGIC = [0x1f, 0x8b];

/**
 * Reads the inventory of one layer from its tarball (gzip-compressed or not, as OCI allows):
 * every file the inventory knows is read into memory and parsed, the files the image checks need
 * are noted (`layer-facts.ts`); everything else is skipped unread. Whiteouts are recorded, not applied: they act on the layers below. A file that fails
 * to parse is a problem of the inventory, not a failure of the layer; a corrupt tarball is.
 */
export async function readLayerInventory(layer: Readable): Promise<LayerInventory> {
  const inventory: LayerInventory = { files: [], deleted: [], opaque: [], problems: [], facts: [] };
  const facts = inventory.facts!;
  const parser = extract();
  const { stream, gzip } = await sniffGzip(layer);
  const feeding = pipeline([stream, ...(gzip ? [createGunzip()] : []), parser as unknown as NodeJS.WritableStream]);
  feeding.catch(() => undefined);
  const consuming = (async () => {
    for await (const entry of parser) {
      const header = entry.header;
      const path = normalizeEntryPath(header.name);
      const slash = path.lastIndexOf('/');
      const base = path.slice(slash + 1);
      const dir = slash >= 0 ? path.slice(0, slash) : '';
      if (base === OPAQUE) inventory.opaque.push(dir);
      else if (base.startsWith(WHITEOUT) && !base.startsWith(`${WHITEOUT}${WHITEOUT}`)) inventory.deleted.push(dir ? `${dir}/${base.slice(WHITEOUT.length)}` : base.slice(WHITEOUT.length));
      // Whiteouts (and AUFS bookkeeping, `.wh..wh.*`) are markers, never records.
      const regular = header.type === 'file' && !base.startsWith(WHITEOUT);
      const kind = regular ? fileKind(path, header.mode ?? 0, header.size ?? 0) : undefined;
      const fact = regular ? factKind(path, header.mode ?? 0, header.size ?? 0) : undefined;
      if (fact === 'entry') facts.push({ path, mode: header.mode ?? 0 });
      if (!kind && fact !== 'content') {
        entry.resume();
        await new Promise<void>((resolve, reject) => {
          entry.on('end', resolve);
          entry.on('error', reject);
        });
        continue;
      }
      const chunks: Buffer[] = [];
      for await (const chunk of entry) chunks.push(chunk as Buffer);
      const content = Buffer.concat(chunks);
      if (fact === 'content') facts.push({ path, mode: header.mode ?? 0, content: content.toString('utf8') });
      if (!kind) continue;
      try {
        // Kept even when it declares nothing: it replaces whatever a lower layer had at that path.
        inventory.files.push(readFileFindings(kind, path, content));
      } catch (err) {
        inventory.files.push({ path, packages: [] });
        inventory.problems.push({ path, reason: (err as Error).message });
      }
    }
  })();
  await Promise.all([feeding, consuming]);
  return inventory;
}

/** The layer as a stream again, and whether it is gzip-compressed, told from its first bytes. */
async function sniffGzip(layer: Readable): Promise<{ stream: Readable; gzip: boolean }> {
  const chunks = layer[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const first = await chunks.next();
  const head = first.done ? Buffer.alloc(0) : first.value;
  async function* all(): AsyncGenerator<Buffer> {
    if (!first.done) yield first.value;
    for (let next = await chunks.next(); !next.done; next = await chunks.next()) yield next.value;
  }
  return { stream: Readable.from(all()), gzip: head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1] };
}
