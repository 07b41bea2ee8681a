import { inflateRawSync } from 'node:zlib';

/** One file of a zip archive, read on demand. */
export interface ZipEntry {
  name: string;
  size: number;
  read(): Buffer;
}

const EOCD = 0x06054b50;
const EOCD64_LOCATOR = 0x07064b50;
const EOCD64 = 0x06064b50;
const ZIP64_EXTRA = 0x0001;
const MAX32 = 0xffffffff;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/**
 * The entries of a zip archive (jar, war, ear), from its central directory. Stored and deflated
 * entries are read, zip64 archives too (OSV's dumps hold more than 65,535 records); other
 * compression methods are refused when the entry is read.
 */
export function readZip(zip: Buffer, maxEntrySize = 256 * 1024 * 1024): ZipEntry[] {
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a zip archive (no end of central directory)');
  let count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  if ((count === 0xffff || at === MAX32) && eocd >= 20 && zip.readUInt32LE(eocd - 20) === EOCD64_LOCATOR) {
    const record = Number(zip.readBigUInt64LE(eocd - 12));
    if (record + 56 > zip.length || zip.readUInt32LE(record) !== EOCD64) throw new Error('corrupt zip64 end of central directory');
    count = Number(zip.readBigUInt64LE(record + 32));
    at = Number(zip.readBigUInt64LE(record + 48));
  }
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (at + 46 > zip.length || zip.readUInt32LE(at) !== CENTRAL) throw new Error('corrupt zip central directory');
    const method = zip.readUInt16LE(at + 10);
    let compressed = zip.readUInt32LE(at + 20);
    let size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    let local = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    // zip64: the fields that overflowed are in the extra field 0x0001, in this order.
    for (let x = at + 46 + nameLength; x + 4 <= at + 46 + nameLength + extraLength; ) {
      const id = zip.readUInt16LE(x);
      const length = zip.readUInt16LE(x + 2);
      if (id === ZIP64_EXTRA) {
        let field = x + 4;
        const next = (): number => {
          const value = Number(zip.readBigUInt64LE(field));
          field += 8;
          return value;
        };
        if (size === MAX32) size = next();
        if (compressed === MAX32) compressed = next();
        if (local === MAX32) local = next();
      }
      x += 4 + length;
    }
    at += 46 + nameLength + extraLength + commentLength;
    entries.push({
      name,
      size,
      read(): Buffer {
        if (local + 30 > zip.length || zip.readUInt32LE(local) !== LOCAL) throw new Error(`corrupt zip entry ${name}`);
        const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
        const data = zip.subarray(start, start + compressed);
        if (size > maxEntrySize) throw new Error(`zip entry ${name} is too large (${size} bytes)`);
        if (method === 0) return data;
        if (method === 8) return inflateRawSync(data, { maxOutputLength: Math.max(size, 1) });
        throw new Error(`zip entry ${name} uses compression method ${method}`);
      },
    });
  }
  return entries;
}
