import { describe, expect, it } from 'vitest';
import { comparePep440, parsePep440 } from './pep440.js';

describe('comparePep440', () => {
  // PEP 440's "Summary of permitted suffixes and relative ordering" example, strictly increasing.
  const ORDER = ['1.dev0', '1.0.dev456', '1.0a1', '1.0a2.dev456', '1.0a12.dev456', '1.0a12', '1.0b1.dev456', '1.0b2', '1.0b2.post345.dev456', '1.0b2.post345', '1.0rc1.dev456', '1.0rc1', '1.0', '1.0+abc.5', '1.0+abc.7', '1.0+5', '1.0.post456.dev34', '1.0.post456', '1.0.15', '1.1.dev1'];
  it('follows PEP 440 ordering', () => {
    for (let i = 0; i < ORDER.length; i++) {
      for (let j = 0; j < ORDER.length; j++) {
        // 1.dev0 and 1.0.dev456 differ only in the dev number; the rest is strict.
        expect(Math.sign(comparePep440(ORDER[i]!, ORDER[j]!)), `${ORDER[i]} vs ${ORDER[j]}`).toBe(Math.sign(i - j));
      }
    }
  });

  it.each([
    ['1.0', '1.0.0', 0],
    ['1!1.0', '2.0', 1],
    ['1.0alpha1', '1.0a1', 0],
    ['1.0-c1', '1.0rc1', 0],
    ['1.0-1', '1.0.post1', 0],
    ['1.0.rev2', '1.0.post2', 0],
    ['v1.0', '1.0', 0],
    ['2.31.0', '2.32.0', -1],
    ['1.0+ubuntu.1', '1.0+ubuntu.1', 0],
    ['1.0+1', '1.0+abc', 1],
  ])('%s vs %s → %i', (a, b, expected) => {
    expect(Math.sign(comparePep440(a, b))).toBe(expected);
    expect(Math.sign(comparePep440(b, a))).toBe(-expected || 0);
  });

  it('normalises spellings', () => {
    expect(parsePep440('1.0-beta.2')).toEqual({ epoch: 0, release: [1, 0], pre: ['b', 2] });
    expect(parsePep440('not a version')).toBeUndefined();
  });
});
