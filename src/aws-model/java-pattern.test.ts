import { describe, expect, it } from 'vitest';
import { javaPatternToRegExp } from './java-pattern.js';
import { loadServiceModel } from './service-model.js';

const ecs = loadServiceModel('ecs');
const sts = loadServiceModel('sts');

describe('javaPatternToRegExp', () => {
  it('matches the whole value, as Java matches() does', () => {
    const regex = javaPatternToRegExp('[a-z]+')!;
    expect(regex.test('abc')).toBe(true);
    expect(regex.test('abc1')).toBe(false);
    expect(javaPatternToRegExp('a|b')!.test('ab')).toBe(false);
  });

  it('translates what JavaScript spells differently', () => {
    const cases: Array<[string, string[], string[]]> = [
      ['[\\w+=,.@\\:-]*', ['a:b-c'], ['a b']],
      ['\\p{Alpha}+\\p{Digit}', ['ab1'], ['ab', 'é1']],
      ['[\\p{L}\\p{N}]+', ['日本1é'], ['a_b']],
      ['\\Qa.b\\E-c', ['a.b-c'], ['axb-c']],
      ['[a[bc]]+', ['abc'], ['d']],
      ['a++b', ['aab'], ['b']],
      ['(?i)abc', ['ABC'], ['abd']],
      ['\\s', [' '], ['\u00a0']],
      ['[]a]+', [']a'], ['b']],
      ['x{2}}', ['xx}'], ['x}']],
    ];
    for (const [pattern, good, bad] of cases) {
      const regex = javaPatternToRegExp(pattern);
      expect(regex, pattern).toBeDefined();
      for (const s of good) expect(regex!.test(s), `${pattern} ~ ${s}`).toBe(true);
      for (const s of bad) expect(regex!.test(s), `${pattern} !~ ${s}`).toBe(false);
    }
  });

  it('gives up on patterns with no JavaScript form instead of throwing', () => {
    expect(javaPatternToRegExp('[a-z&&[^aeiou]]')).toBeUndefined();
    expect(javaPatternToRegExp('(')).toBeUndefined();
  });

  it('compiles every pattern of the ECS and STS models with the u flag', () => {
    for (const model of [ecs, sts]) {
      for (const shape of Object.values(model.shapes)) {
        if (shape.type !== 'string' || shape.pattern === undefined) continue;
        expect(javaPatternToRegExp(shape.pattern)?.flags, shape.pattern).toContain('u');
      }
    }
  });
});
