import { describe, expect, it } from 'vitest';
import { DomainError } from './errors.js';
import { decodeToken, encodeToken, pageOf } from './pagination.js';

describe('pagination tokens', () => {
  it('round-trips the last key of the same listing', () => {
    const token = encodeToken('clusters', 'us-east-1/web');
    expect(decodeToken('clusters', token)).toBe('us-east-1/web');
    expect(decodeToken('clusters', undefined)).toBeUndefined();
  });

  it('refuses a token of another listing or a made-up one', () => {
    const token = encodeToken('clusters', 'k');
    expect(() => decodeToken('families', token)).toThrow(DomainError);
    expect(() => decodeToken('clusters', 'not-a-token')).toThrow('Invalid nextToken');
  });

  it('cuts a page and offers a token only when more rows exist', () => {
    const rows = ['a', 'b', 'c'].map((k) => ({ key: k, value: k.toUpperCase() }));
    expect(pageOf('x', rows, 3)).toEqual({ items: ['A', 'B', 'C'] });
    const page = pageOf('x', rows, 2);
    expect(page.items).toEqual(['A', 'B']);
    expect(decodeToken('x', page.nextToken)).toBe('b');
  });
});
