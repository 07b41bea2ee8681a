import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeContentEncoding, INFLATE_FACTOR } from './content-encoding.js';

describe('request content encoding', () => {
  it('inflates gzip and passes other bodies through', () => {
    const text = Buffer.from('{"Namespace":"App"}');
    expect(decodeContentEncoding('gzip', gzipSync(text), 1024)).toEqual(text);
    expect(decodeContentEncoding('identity', text, 1024)).toBe(text);
    expect(decodeContentEncoding(undefined, text, 1024)).toBe(text);
  });

  it('refuses a body that inflates past the bound, another coding and bytes that are not gzip', () => {
    const bomb = gzipSync(Buffer.alloc(1024 * INFLATE_FACTOR + 1));
    expect(() => decodeContentEncoding('gzip', bomb, 1024)).toThrow(expect.objectContaining({ code: 'RequestEntityTooLargeException', status: 413 }));
    expect(() => decodeContentEncoding('br', Buffer.from('x'), 1024)).toThrow(expect.objectContaining({ status: 415 }));
    expect(() => decodeContentEncoding('gzip', Buffer.from('not gzip'), 1024)).toThrow(expect.objectContaining({ code: 'SerializationException' }));
  });
});
