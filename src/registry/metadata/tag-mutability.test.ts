import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isTagImmutable, wildcardMatch } from './tag-mutability.js';

/** The same question answered by a regular expression, as a reference. */
const reference = (pattern: string, value: string) =>
  new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\-]/g, '\\$&')).join('.*')}$`).test(value);

describe('wildcard matching', () => {
  it('agrees with a regular expression on any pattern and value', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'b', '-', '.', '1'), maxLength: 8 });
    const pattern = fc.string({ unit: fc.constantFrom('a', 'b', '*', '-', '.'), maxLength: 6 });
    fc.assert(
      fc.property(pattern, text, (p, v) => {
        expect(wildcardMatch(p, v)).toBe(reference(p, v));
      }),
    );
  });
});

describe('tag mutability', () => {
  const repo = (imageTagMutability: string, filters: string[] = []) =>
    ({ imageTagMutability, imageTagMutabilityExclusionFilters: filters.map((filter) => ({ filterType: 'WILDCARD' as const, filter })) }) as Parameters<typeof isTagImmutable>[0];

  it('applies the setting to all tags, or flips it for the excluded ones', () => {
    expect(isTagImmutable(repo('MUTABLE'), 'v1')).toBe(false);
    expect(isTagImmutable(repo('IMMUTABLE'), 'latest')).toBe(true);
    expect(isTagImmutable(repo('IMMUTABLE_WITH_EXCLUSION', ['latest', 'dev-*']), 'latest')).toBe(false);
    expect(isTagImmutable(repo('IMMUTABLE_WITH_EXCLUSION', ['latest', 'dev-*']), 'dev-42')).toBe(false);
    expect(isTagImmutable(repo('IMMUTABLE_WITH_EXCLUSION', ['latest', 'dev-*']), 'v1')).toBe(true);
    expect(isTagImmutable(repo('MUTABLE_WITH_EXCLUSION', ['release-*']), 'release-1')).toBe(true);
    expect(isTagImmutable(repo('MUTABLE_WITH_EXCLUSION', ['release-*']), 'latest')).toBe(false);
  });
});
