import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareDpkg } from './dpkg.js';

const DPKG = '/usr/bin/dpkg';
const sign = (n: number): number => Math.sign(n);

/** A Debian version: optional epoch, an upstream starting with a digit, an optional revision. */
export const dpkgVersion = fc
  .tuple(
    fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
    fc.constantFrom(...'0129'),
    fc.array(fc.constantFrom(...'0129abZ.+~'), { maxLength: 6 }),
    fc.option(fc.array(fc.constantFrom(...'019ab.+~'), { minLength: 1, maxLength: 4 }), { nil: undefined }),
  )
  .map(([epoch, first, rest, revision]) => `${epoch === undefined ? '' : `${epoch}:`}${first}${rest.join('')}${revision === undefined ? '' : `-${revision.join('')}`}`);

/** Asks dpkg itself, in one shell for the whole batch: -1, 0 or 1 per pair. */
function dpkgCompareAll(pairs: [string, string][]): number[] {
  const script = 'while read -r a b; do if dpkg --compare-versions "$a" lt "$b"; then echo -1; elif dpkg --compare-versions "$a" eq "$b"; then echo 0; else echo 1; fi; done';
  const out = execFileSync('sh', ['-c', script], { input: pairs.map(([a, b]) => `${a} ${b}`).join('\n') + '\n', encoding: 'utf8' });
  return out.trim().split('\n').map(Number);
}

describe('compareDpkg', () => {
  it.each([
    ['1.0', '1.0', 0],
    ['1.0~rc1', '1.0', -1],
    ['1.0~~', '1.0~', -1],
    ['1.0~', '1.0', -1],
    ['1.0', '1.0+b1', -1],
    ['1.0-1', '1.0-1+deb12u1', -1],
    ['1:0.9', '2.0', 1],
    ['0:1.0', '1.0', 0],
    ['1.0a', '1.0.', -1],
    ['1.10', '1.9', 1],
    ['2.36-9+deb12u4', '2.36-9+deb12u10', -1],
    ['7.88.1-10+deb12u5', '7.88.1-10+deb12u8', -1],
    ['1.2.3-1~bpo12+1', '1.2.3-1', -1],
  ])('%s vs %s → %i', (a, b, expected) => {
    expect(sign(compareDpkg(a, b))).toBe(expected);
    expect(sign(compareDpkg(b, a))).toBe(-expected || 0);
  });

  it.skipIf(!existsSync(DPKG))('agrees with dpkg --compare-versions on random versions', () => {
    const pairs = fc.sample(fc.tuple(dpkgVersion, dpkgVersion), { numRuns: 300, seed: 1742 });
    // Pairs with a shared prefix find the edge cases (`~`, the end of a string, leading zeros).
    const near = fc.sample(fc.tuple(dpkgVersion, fc.constantFrom('~', '0', 'a', '.', '~~', '+', '-1', '-0')), { numRuns: 100, seed: 7 }).map(
      ([v, tail]): [string, string] => [v, tail.startsWith('-') && v.includes('-') ? v : `${v}${tail}`],
    );
    const all = [...pairs, ...near];
    const expected = dpkgCompareAll(all);
    expect(expected).toHaveLength(all.length);
    const mismatches = all.filter(([a, b], i) => sign(compareDpkg(a, b)) !== expected[i]);
    expect(mismatches).toEqual([]);
  });
});
