import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countByProvider, splitByStrategy } from './strategy-split.js';

describe('splitByStrategy', () => {
  it('fills the base first, then follows the weights (ECS documentation example: base 1 weight 1, weight 4)', () => {
    const split = splitByStrategy(
      [
        { capacityProvider: 'FARGATE', base: 1, weight: 1 },
        { capacityProvider: 'FARGATE_SPOT', weight: 4 },
      ],
      11,
    );
    expect(split[0]).toBe('FARGATE');
    expect(Object.fromEntries(countByProvider(split))).toEqual({ FARGATE: 3, FARGATE_SPOT: 8 });
  });

  it('gives a weight-0 provider only its base, and nothing at all without weights', () => {
    expect(splitByStrategy([{ capacityProvider: 'a', base: 2, weight: 0 }, { capacityProvider: 'b', weight: 1 }], 5)).toEqual(['a', 'a', 'b', 'b', 'b']);
    expect(splitByStrategy([{ capacityProvider: 'a', base: 2, weight: 0 }], 5)).toEqual(['a', 'a']);
  });

  it('counts tasks already running toward base and shares', () => {
    const strategy = [{ capacityProvider: 'a', base: 1, weight: 1 }, { capacityProvider: 'b', weight: 1 }];
    // a's base is met and it is one task ahead of b beyond it.
    expect(splitByStrategy(strategy, 2, { a: 2, b: 0 })).toEqual(['b', 'a']);
    expect(splitByStrategy(strategy, 3, { a: 0, b: 0 })).toEqual(['a', 'a', 'b']);
  });

  it('keeps every split within one task of the weighted share beyond the base', () => {
    const item = fc.record({ weight: fc.integer({ min: 0, max: 1000 }), base: fc.integer({ min: 0, max: 5 }) });
    fc.assert(
      fc.property(fc.array(item, { minLength: 1, maxLength: 5 }), fc.integer({ min: 0, max: 200 }), (items, count) => {
        // At most one provider has a base, as ECS requires.
        const strategy = items.map((i, n) => ({ capacityProvider: `p${n}`, weight: i.weight, base: n === 0 ? i.base : 0 }));
        const split = splitByStrategy(strategy, count);
        const total = strategy.reduce((s, i) => s + i.weight, 0);
        const base = Math.min(strategy[0]!.base, count);
        expect(split.length).toBe(total === 0 ? base : count);
        const counts = countByProvider(split);
        const rest = split.length - base;
        for (const s of strategy) {
          const beyond = (counts.get(s.capacityProvider) ?? 0) - (s.capacityProvider === 'p0' ? base : 0);
          if (total > 0) expect(Math.abs(beyond - (rest * s.weight) / total)).toBeLessThanOrEqual(1 + 1e-9);
        }
      }),
    );
  });
});
