import { describe, expect, it } from 'vitest';
import { resolveTier } from './tiers.js';

describe('parameter tiers', () => {
  it('defaults to Standard, keeps the current tier, and honours an explicit one', () => {
    expect(resolveTier(undefined, undefined, 10, false)).toBe('Standard');
    expect(resolveTier(undefined, 'Advanced', 10, false)).toBe('Advanced');
    expect(resolveTier('Advanced', 'Standard', 10, false)).toBe('Advanced');
  });

  it('lets Intelligent-Tiering choose by size and policies, never downgrading', () => {
    expect(resolveTier('Intelligent-Tiering', undefined, 4096, false)).toBe('Standard');
    expect(resolveTier('Intelligent-Tiering', undefined, 4097, false)).toBe('Advanced');
    expect(resolveTier('Intelligent-Tiering', undefined, 10, true)).toBe('Advanced');
    expect(resolveTier('Intelligent-Tiering', 'Advanced', 10, false)).toBe('Advanced');
  });

  it('enforces 4 KB for Standard, 8 KB for Advanced, and refuses a downgrade, with AWS texts', () => {
    expect(() => resolveTier('Standard', undefined, 4097, false)).toThrow(/^Standard tier parameters support a maximum parameter value of 4096 characters/);
    expect(resolveTier('Advanced', undefined, 8192, false)).toBe('Advanced');
    expect(() => resolveTier('Advanced', undefined, 8193, false)).toThrow(/8192/);
    expect(() => resolveTier('Standard', 'Advanced', 10, false)).toThrow(/can't downgrade a parameter from the advanced-parameter tier/);
  });
});
