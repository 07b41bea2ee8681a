import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contains, formatCidr, nthBlock, overlaps, parseCidr, size, usableAddresses, type Cidr } from './cidr.js';

const cidr: fc.Arbitrary<Cidr> = fc
  .record({ address: fc.integer({ min: 0, max: 2 ** 32 - 1 }), prefix: fc.integer({ min: 0, max: 32 }) })
  .map(({ address, prefix }) => ({ base: address - (address % 2 ** (32 - prefix)), prefix }));

describe('CIDR blocks', () => {
  it('reads canonical blocks and refuses the rest', () => {
    expect(parseCidr('10.0.0.0/16')).toEqual({ base: 10 * 2 ** 24, prefix: 16 });
    expect(parseCidr('172.31.16.0/20')).toEqual({ base: (172 * 256 + 31) * 65536 + 16 * 256, prefix: 20 });
    for (const bad of ['10.0.0.1/16', '10.0.0.0', '256.0.0.0/8', '10.0.0.0/33', '10.0.0/16', '010.0.0.0/8', 'a.b.c.d/1', ' 10.0.0.0/16']) {
      expect(parseCidr(bad), bad).toBeUndefined();
    }
  });

  it('formats what it parses, and parses what it formats', () => {
    fc.assert(
      fc.property(cidr, (c) => {
        expect(parseCidr(formatCidr(c))).toEqual(c);
      }),
    );
  });

  it('says a block overlaps another exactly when they share an address', () => {
    fc.assert(
      fc.property(cidr, cidr, (a, b) => {
        const shared = Math.max(a.base, b.base) < Math.min(a.base + size(a), b.base + size(b));
        expect(overlaps(a, b)).toBe(shared);
        expect(overlaps(a, b)).toBe(overlaps(b, a));
        // Aligned blocks overlap only by nesting.
        expect(overlaps(a, b)).toBe(contains(a, b) || contains(b, a));
      }),
    );
  });

  it('carves consecutive blocks that stay inside and never overlap', () => {
    const vpc = parseCidr('172.31.0.0/16')!;
    const blocks = [0, 1, 2, 3, 4, 5].map((i) => nthBlock(vpc, 20, i));
    expect(blocks.map(formatCidr)).toEqual(['172.31.0.0/20', '172.31.16.0/20', '172.31.32.0/20', '172.31.48.0/20', '172.31.64.0/20', '172.31.80.0/20']);
    for (const [i, a] of blocks.entries()) {
      expect(contains(vpc, a)).toBe(true);
      for (const b of blocks.slice(i + 1)) expect(overlaps(a, b)).toBe(false);
    }
    expect(usableAddresses(blocks[0]!)).toBe(4091);
    expect(usableAddresses(parseCidr('10.0.0.0/28')!)).toBe(11);
  });
});
