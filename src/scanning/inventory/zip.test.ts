import { describe, expect, it } from 'vitest';
import { buildZip } from './layer.fixtures.js';
import { readZip } from './zip.js';

describe('readZip', () => {
  it('reads stored and deflated entries', () => {
    const zip = buildZip([
      { name: 'a.txt', content: 'hello' },
      { name: 'b.bin', content: Buffer.from([0, 1, 2]), stored: true },
    ]);
    expect(readZip(zip).map((e) => [e.name, e.read().toString('hex')])).toEqual([
      ['a.txt', Buffer.from('hello').toString('hex')],
      ['b.bin', '000102'],
    ]);
  });

  it('reads a zip64 archive of more entries than a 16-bit count holds', () => {
    const n = 70_000;
    const zip = buildZip(Array.from({ length: n }, (_, i) => ({ name: `r/${i}.json`, content: String(i), stored: true })));
    const entries = readZip(zip);
    expect(entries).toHaveLength(n);
    expect(entries[n - 1]!.read().toString()).toBe(String(n - 1));
  });

  it('refuses what is not a zip', () => {
    expect(() => readZip(Buffer.alloc(100))).toThrow(/not a zip/);
  });
});
