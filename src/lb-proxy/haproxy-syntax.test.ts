import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { quoted, wildcardRegex } from './haproxy-syntax.js';

/** ELB's wildcard match, by definition: `*` any run of characters, `?` exactly one. */
function globMatches(pattern: string, text: string): boolean {
  if (pattern === '') return text === '';
  const [p, rest] = [pattern[0]!, pattern.slice(1)];
  if (p === '*') return [...Array(text.length + 1).keys()].some((i) => globMatches(rest, text.slice(i)));
  return text.length > 0 && (p === '?' || p === text[0]) && globMatches(rest, text.slice(1));
}

describe('wildcardRegex', () => {
  it('matches exactly what ELB wildcards match, special characters included', () => {
    const chars = fc.constantFrom('a', 'b', '.', '$', '^', '(', ')', '[', ']', '\\', '|', '+', '{', '/');
    const text = fc.array(chars, { maxLength: 8 }).map((a) => a.join(''));
    const pattern = fc.array(fc.oneof(chars, fc.constant('*'), fc.constant('?')), { maxLength: 6 }).map((a) => a.join(''));
    fc.assert(fc.property(pattern, text, (p, t) => new RegExp(wildcardRegex(p)).test(t) === globMatches(p, t)));
  });
});

describe('quoted', () => {
  it('escapes what HAProxy reads inside double quotes and refuses line breaks', () => {
    expect(quoted('a"b\\c$d')).toBe('"a\\"b\\\\c\\$d"');
    expect(() => quoted('a\nb')).toThrow();
  });
});
