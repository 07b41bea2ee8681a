import { describe, expect, it } from 'vitest';
import { parseDuration } from './rightsize.js';

describe('parseDuration', () => {
  it('reads seconds to weeks', () => {
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('30m')).toBe(1_800_000);
    expect(parseDuration('1.5h')).toBe(5_400_000);
    expect(parseDuration('14d')).toBe(14 * 86_400_000);
    expect(parseDuration('2w')).toBe(14 * 86_400_000);
  });

  it('refuses anything else', () => {
    for (const bad of ['', '14', 'd', '0h', '-1d', '3y', '1 h x']) expect(() => parseDuration(bad)).toThrow(/--since/);
  });
});
