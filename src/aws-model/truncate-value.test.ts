import { describe, expect, it } from 'vitest';
import { QUOTED_VALUE_LIMIT, truncateValue } from './truncate-value.js';

describe('truncateValue', () => {
  it('keeps short values and cuts long ones at the limit with an ellipsis', () => {
    expect(truncateValue('abc')).toBe('abc');
    expect(truncateValue('a'.repeat(QUOTED_VALUE_LIMIT))).toBe('a'.repeat(QUOTED_VALUE_LIMIT));
    expect(truncateValue('a'.repeat(QUOTED_VALUE_LIMIT + 1))).toBe(`${'a'.repeat(QUOTED_VALUE_LIMIT)}...`);
    expect(truncateValue('abcdef', 3)).toBe('abc...');
  });

  it('never cuts an astral character in half', () => {
    expect(truncateValue('a𝒜b', 2)).toBe('a...');
    expect(truncateValue('𝒜𝒜', 3)).toBe('𝒜...');
  });
});
