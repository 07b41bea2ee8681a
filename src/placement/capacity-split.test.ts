import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../lib/errors.js';
import { checkCapacityProviderStrategy, splitByStrategy, type CapacityProviderStrategyItem } from './capacity-split.js';

const strategyArb: fc.Arbitrary<CapacityProviderStrategyItem[]> = fc
  .uniqueArray(fc.constantFrom('a', 'b', 'c', 'd', 'e'), { minLength: 1, maxLength: 5 })
  .chain((names) =>
    fc.tuple(
      fc.tuple(...names.map(() => fc.integer({ min: 0, max: 10 }))),
      fc.nat(names.length - 1),
      fc.integer({ min: 0, max: 30 }),
    ).map(([weights, baseAt, base]) => names.map((capacityProvider, k) => ({ capacityProvider, weight: weights[k]! || (k === 0 ? 1 : 0), ...(k === baseAt ? { base } : {}) }))),
  );
const existingArb = fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd', 'e'), fc.nat(40));

function refusal(strategy: CapacityProviderStrategyItem[]): string {
  try {
    checkCapacityProviderStrategy(strategy);
  } catch (err) {
    expect(err).toBeInstanceOf(DomainError);
    return (err as DomainError).message;
  }
  throw new Error('accepted');
}

describe('splitByStrategy', () => {
  it('gives base tasks first, then splits by weight', () => {
    expect(splitByStrategy([{ capacityProvider: 'od', base: 2, weight: 1 }, { capacityProvider: 'spot', weight: 3 }], 10)).toEqual({ od: 4, spot: 6 });
    expect(splitByStrategy([{ capacityProvider: 'od', base: 5, weight: 0 }, { capacityProvider: 'spot', weight: 1 }], 3)).toEqual({ od: 3, spot: 0 });
    expect(splitByStrategy([{ capacityProvider: 'a', weight: 1 }, { capacityProvider: 'b', weight: 4 }], 5)).toEqual({ a: 1, b: 4 });
    expect(splitByStrategy([{ capacityProvider: 'only' }], 4)).toEqual({ only: 4 });
    expect(splitByStrategy([{ capacityProvider: 'a', weight: 1 }], 0)).toEqual({ a: 0 });
  });

  it('keeps the ratio across scale-outs by counting existing tasks', () => {
    const strategy = [{ capacityProvider: 'a', weight: 1 }, { capacityProvider: 'b', weight: 1 }];
    expect(splitByStrategy(strategy, 4, { a: 4, b: 0 })).toEqual({ a: 0, b: 4 });
    // The base is already met by running tasks: nothing more for it.
    expect(splitByStrategy([{ capacityProvider: 'od', base: 2 }, { capacityProvider: 'spot', weight: 1 }], 3, { od: 2 })).toEqual({ od: 0, spot: 3 });
    // Scaling out one at a time ends where scaling out at once does.
    let have: Record<string, number> = {};
    const s = [{ capacityProvider: 'a', weight: 2 }, { capacityProvider: 'b', weight: 3 }];
    for (let k = 0; k < 10; k++) {
      const step = splitByStrategy(s, 1, have);
      have = { a: (have.a ?? 0) + step.a!, b: (have.b ?? 0) + step.b! };
    }
    expect(have).toEqual(splitByStrategy(s, 10));
  });

  it('sums to count, honours the base, gives nothing to weight 0 beyond base, and is deterministic', () => {
    fc.assert(
      fc.property(strategyArb, fc.integer({ min: 0, max: 200 }), existingArb, (strategy, count, existing) => {
        const out = splitByStrategy(strategy, count, existing);
        expect(Object.values(out).reduce((a, b) => a + b, 0)).toBe(count);
        expect(splitByStrategy(strategy, count, existing)).toEqual(out);
        for (const item of strategy) {
          const baseFill = Math.min(count, Math.max(0, (item.base ?? 0) - (existing[item.capacityProvider] ?? 0)));
          expect(out[item.capacityProvider]!).toBeGreaterThanOrEqual(baseFill);
          if (!item.weight) expect(out[item.capacityProvider]).toBe(baseFill);
        }
      }),
    );
  });

  it('splits by weight within one task of the exact share when starting empty without base', () => {
    fc.assert(
      fc.property(strategyArb, fc.integer({ min: 0, max: 200 }), (withBase, count) => {
        const strategy = withBase.map(({ base: _base, ...rest }) => rest);
        const out = splitByStrategy(strategy, count);
        const total = strategy.reduce((a, i) => a + (i.weight ?? 0), 0);
        for (const i of strategy) expect(Math.abs(out[i.capacityProvider]! - (count * (i.weight ?? 0)) / total)).toBeLessThan(1);
      }),
    );
  });
});

describe('checkCapacityProviderStrategy', () => {
  it('refuses what ECS refuses', () => {
    expect(refusal([{ capacityProvider: 'a', base: 1, weight: 1 }, { capacityProvider: 'b', base: 1, weight: 1 }])).toMatch(/Only one capacity provider/);
    expect(refusal([{ capacityProvider: 'a', weight: 1 }, { capacityProvider: 'a', weight: 2 }])).toMatch(/more than once/);
    expect(refusal([{ capacityProvider: 'a', weight: 1001 }])).toMatch(/between 0 and 1000/);
    expect(refusal([{ capacityProvider: 'a', base: 100_001 }])).toMatch(/between 0 and 100000/);
    expect(refusal([{ capacityProvider: 'a' }, { capacityProvider: 'b', weight: 0 }])).toMatch(/weight greater than zero/);
    const many = Array.from({ length: 21 }, (_, k) => ({ capacityProvider: `p${k}`, weight: 1 }));
    expect(refusal(many)).toMatch(/maximum of 20/);
    expect(() => checkCapacityProviderStrategy(many.slice(1))).not.toThrow();
    expect(() => checkCapacityProviderStrategy([{ capacityProvider: 'a', base: 3, weight: 0 }, { capacityProvider: 'b', weight: 1 }])).not.toThrow();
  });
});
