import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { COMPARATORS, type VersionScheme } from './compare.js';

const pick = (chars: string, max: number): fc.Arbitrary<string> => fc.array(fc.constantFrom(...chars), { maxLength: max }).map((a) => a.join(''));
const num = fc.constantFrom('0', '1', '2', '10', '01');
const dotted = (max: number): fc.Arbitrary<string> => fc.array(fc.constantFrom('0', '1', '2', '10'), { minLength: 1, maxLength: max }).map((a) => a.join('.'));

/** Generated versions of each scheme, from a small alphabet so that ties and near-ties are frequent. */
const GENERATORS: Record<VersionScheme, fc.Arbitrary<string>> = {
  dpkg: fc.tuple(fc.constantFrom('', '1:'), fc.constantFrom('0', '1', '2'), pick('01a.+~', 5), fc.constantFrom('', '-1', '-0~1', '-1+b1')).map((p) => p.join('')),
  rpm: fc.tuple(fc.constantFrom('', '1:'), fc.constantFrom('0', '1'), pick('01a.~^_', 5), fc.constantFrom('', '-1', '-1.el9', '-2~rc')).map((p) => p.join('')),
  apk: fc
    .tuple(dotted(3), fc.constantFrom('', 'a', 'b'), fc.array(fc.constantFrom('_alpha', '_beta1', '_rc', '_p1', '_git2'), { maxLength: 2 }), fc.constantFrom('', '-r0', '-r1', '-r10'))
    .map(([d, l, s, r]) => `${d}${l}${s.join('')}${r}`),
  semver: fc
    .tuple(fc.constantFrom('', 'v'), num, num, num, fc.array(fc.constantFrom('alpha', 'beta', '1', '2', '10', 'rc'), { maxLength: 3 }), fc.constantFrom('', '+build', '+incompatible'))
    .map(([v, a, b, c, pre, build]) => `${v}${Number(a)}.${Number(b)}.${Number(c)}${pre.length ? `-${pre.join('.')}` : ''}${build}`),
  pep440: fc
    .tuple(fc.constantFrom('', '1!'), dotted(3), fc.constantFrom('', 'a1', 'b2', 'rc1', 'alpha0'), fc.constantFrom('', '.post1', '.post2', '-1'), fc.constantFrom('', '.dev0', '.dev1'), fc.constantFrom('', '+1', '+abc', '+abc.1'))
    .map((p) => p.join('')),
  // ComparableVersion's own order is not transitive on every string (see maven.test.ts: `.qualifier`
  // mixed with `-qualifier`, nested hyphen lists), so versions here have the common published shape:
  // dotted numbers, then at most one `-qualifier[N]`.
  maven: fc
    .tuple(dotted(3), fc.option(fc.tuple(fc.constantFrom('alpha', 'a', 'beta', 'rc', 'cr', 'snapshot', 'ga', 'final', 'sp', 'foo'), fc.constantFrom('', '1', '2', '10')), { nil: undefined }))
    .map(([d, q]) => (q ? `${d}-${q[0]}${q[1]}` : d)),
};

describe.each(Object.keys(COMPARATORS) as VersionScheme[])('%s is a total order', (scheme) => {
  const compare = COMPARATORS[scheme];
  const sign = (a: string, b: string): number => Math.sign(compare(a, b));
  const v = GENERATORS[scheme];

  it('is reflexive and antisymmetric', () => {
    fc.assert(fc.property(v, v, (a, b) => sign(a, a) === 0 && sign(a, b) === -sign(b, a) + 0), { numRuns: 500 });
  });

  it('is transitive', () => {
    fc.assert(
      fc.property(v, v, v, (a, b, c) => {
        const [x, y, z] = [a, b, c].sort(compare) as [string, string, string];
        // Sorted by the comparator, every pair must agree with the sort.
        expect(sign(x, y)).toBeLessThanOrEqual(0);
        expect(sign(y, z)).toBeLessThanOrEqual(0);
        expect(sign(x, z)).toBeLessThanOrEqual(0);
        if (sign(x, y) === 0 && sign(y, z) === 0) expect(sign(x, z)).toBe(0);
        if (sign(x, y) < 0 || sign(y, z) < 0) expect(sign(x, z)).toBe(-1);
      }),
      { numRuns: 1000 },
    );
  });
});
