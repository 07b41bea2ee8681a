import { describe, expect, it } from 'vitest';
import { compareMaven } from './maven.js';

/** Strictly increasing lists from maven-artifact's ComparableVersionTest. */
const QUALIFIERS = ['1-alpha2snapshot', '1-alpha2', '1-alpha-123', '1-beta-2', '1-beta123', '1-m2', '1-m11', '1-rc', '1-cr2', '1-rc123', '1-SNAPSHOT', '1', '1-sp', '1-sp2', '1-sp123', '1-abc', '1-def', '1-pom-1', '1-1-snapshot', '1-1', '1-2', '1-123'];
const NUMBERS = ['2.0', '2-1', '2.0.a', '2.0.0.a', '2.0.2', '2.0.123', '2.1.0', '2.1-a', '2.1b', '2.1-c', '2.1-1', '2.1.0.1', '2.2', '2.123', '11.a2', '11.a11', '11.b2', '11.b11', '11.m2', '11.m11', '11', '11.a', '11b', '11c', '11m'];

function expectAscending(list: string[]): void {
  for (let i = 0; i < list.length; i++) {
    for (let j = 0; j < list.length; j++) expect(compareMaven(list[i]!, list[j]!), `${list[i]} vs ${list[j]}`).toBe(Math.sign(i - j));
  }
}

describe('compareMaven', () => {
  it('orders qualifiers', () => expectAscending(QUALIFIERS));
  it('orders numbers', () => expectAscending(NUMBERS));
  it.each([
    ['1', '1.0'], ['1', '1.0.0'], ['1.0', '1.0.0'], ['1', '1-0'], ['1', '1.0-0'],
    ['1a', '1-a'], ['1a', '1.0-a'], ['1a', '1.0.0-a'],
    ['1ga', '1'], ['1final', '1'], ['1GA', '1'], ['1cr', '1rc'],
    ['1a1', '1-alpha-1'], ['1b2', '1-beta-2'], ['1m3', '1-milestone-3'],
    ['1X', '1x'], ['1A', '1a'],
  ])('%s = %s', (a, b) => {
    expect(compareMaven(a, b)).toBe(0);
    expect(compareMaven(b, a)).toBe(0);
  });
  it.each([
    ['2.12.6', '2.12.6.1'], ['2.9.10.7', '2.9.10.8'], ['1.2.17', '2.0-beta9'], ['2.14.1', '2.15.0'], ['2.15.0-rc1', '2.15.0'],
  ])('%s < %s', (a, b) => {
    expect(compareMaven(a, b)).toBe(-1);
    expect(compareMaven(b, a)).toBe(1);
  });

  it('reproduces a non-transitive corner of ComparableVersion itself', () => {
    // Qualifiers glued to numbers nest lists in lists, and normalising drops different parts of
    // each: Maven orders these three in a cycle. Kept, since Maven decides with this order.
    expect(compareMaven('1final0rc', '1ga')).toBe(-1);
    expect(compareMaven('1ga', '1garc')).toBe(-1);
    expect(compareMaven('1garc', '1final0rc')).toBe(-1);
    // A qualifier after a dot is an item of the list, after a hyphen a sub-list: these cycle too
    // (Maven 3.9 reads `.foo` as `-foo`; this is the order of maven-artifact 3.6–3.8).
    expect(compareMaven('1-alpha', '1')).toBe(-1);
    expect(compareMaven('1', '1.foo')).toBe(-1);
    expect(compareMaven('1.foo', '1-alpha')).toBe(-1);
  });
});
