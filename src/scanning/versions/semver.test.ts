import { describe, expect, it } from 'vitest';
import { compareSemVer } from './semver.js';

describe('compareSemVer', () => {
  // semver.org §11's example, strictly increasing.
  const PRECEDENCE = ['1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-alpha.beta', '1.0.0-beta', '1.0.0-beta.2', '1.0.0-beta.11', '1.0.0-rc.1', '1.0.0'];
  it('follows semver.org precedence', () => {
    for (let i = 0; i < PRECEDENCE.length; i++) {
      for (let j = 0; j < PRECEDENCE.length; j++) expect(Math.sign(compareSemVer(PRECEDENCE[i]!, PRECEDENCE[j]!))).toBe(Math.sign(i - j));
    }
  });

  it.each([
    ['1.0.0', '2.0.0', -1], ['2.0.0', '2.1.0', -1], ['2.1.0', '2.1.1', -1],
    ['1.0.0+build.1', '1.0.0+build.2', 0],
    ['v1.2.3', '1.2.3', 0],
    ['v2.0.0+incompatible', 'v2.0.0', 0],
    ['v1.9.0', 'v1.10.0', -1],
    ['v0.0.0-20230101000000-abcdef123456', 'v0.0.0-20240101000000-123456abcdef', -1],
    ['v1.2.4-0.20230101000000-abcdef123456', 'v1.2.4', -1],
    ['v1.2.4-0.20230101000000-abcdef123456', 'v1.2.3', 1],
    ['4.17.11', '4.17.12', -1],
    ['10.0.0', '9.99.99', 1],
  ])('%s vs %s → %i', (a, b, expected) => {
    expect(Math.sign(compareSemVer(a, b))).toBe(expected);
    expect(Math.sign(compareSemVer(b, a))).toBe(-expected || 0);
  });
});
