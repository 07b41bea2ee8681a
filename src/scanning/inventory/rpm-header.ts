/**
 * rpm's header format as the rpm database stores it (without the 8-byte lead of a header in a
 * package file): a big-endian count of index entries and the data size, the entries (tag, type,
 * offset into the data, count; 16 bytes each), then the data. Only the tags and types the
 * scanner needs are read.
 */
export const TAG = { NAME: 1000, VERSION: 1001, RELEASE: 1002, EPOCH: 1003, ARCH: 1022, SOURCERPM: 1044 } as const;
export const TYPE = { INT32: 4, STRING: 6, STRING_ARRAY: 8, I18NSTRING: 9 } as const;

export type HeaderValue = string | number;

/** The values of a header, by tag (strings for STRING/I18NSTRING, the first number for INT32). */
export function parseRpmHeader(blob: Buffer): Map<number, HeaderValue> {
  if (blob.length < 8) throw new Error('rpm header too short');
  const count = blob.readUInt32BE(0);
  const dataLength = blob.readUInt32BE(4);
  const dataStart = 8 + count * 16;
  if (count > 0x10000 || dataStart + dataLength > blob.length) throw new Error('rpm header sizes exceed the blob');
  const values = new Map<number, HeaderValue>();
  for (let i = 0; i < count; i++) {
    const at = 8 + i * 16;
    const tag = blob.readUInt32BE(at);
    const type = blob.readUInt32BE(at + 4);
    const offset = blob.readUInt32BE(at + 8);
    if (offset >= dataLength) continue;
    const start = dataStart + offset;
    if (type === TYPE.STRING || type === TYPE.I18NSTRING || type === TYPE.STRING_ARRAY) {
      const end = blob.indexOf(0, start);
      if (end < 0 || end > dataStart + dataLength) throw new Error(`rpm header string of tag ${tag} is not terminated`);
      values.set(tag, blob.toString('utf8', start, end));
    } else if (type === TYPE.INT32 && start + 4 <= dataStart + dataLength) {
      values.set(tag, blob.readInt32BE(start));
    }
  }
  return values;
}

/** Builds a header blob from tag values: the inverse of `parseRpmHeader`, for tests and fixtures. */
export function buildRpmHeader(values: [tag: number, value: HeaderValue][]): Buffer {
  const index: Buffer[] = [];
  const data: Buffer[] = [];
  let size = 0;
  for (const [tag, value] of values) {
    let bytes: Buffer;
    let type: number;
    if (typeof value === 'number') {
      // INT32 data is 4-byte aligned.
      const pad = (4 - (size % 4)) % 4;
      if (pad) {
        data.push(Buffer.alloc(pad));
        size += pad;
      }
      bytes = Buffer.alloc(4);
      bytes.writeInt32BE(value);
      type = TYPE.INT32;
    } else {
      bytes = Buffer.from(`${value}\0`, 'utf8');
      type = TYPE.STRING;
    }
    const entry = Buffer.alloc(16);
    entry.writeUInt32BE(tag, 0);
    entry.writeUInt32BE(type, 4);
    entry.writeUInt32BE(size, 8);
    entry.writeUInt32BE(1, 12);
    index.push(entry);
    data.push(bytes);
    size += bytes.length;
  }
  const head = Buffer.alloc(8);
  head.writeUInt32BE(values.length, 0);
  head.writeUInt32BE(size, 4);
  return Buffer.concat([head, ...index, ...data]);
}
