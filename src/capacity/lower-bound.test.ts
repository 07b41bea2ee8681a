import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { itype, offer } from './catalog.fixtures.js';
import { fractionalBound, paretoOfferings, taskSplitBound } from './lower-bound.js';
import { allocatable } from './offerings.js';

describe('fractionalBound', () => {
  it('mixes types when that is cheaper than any single type', () => {
    // A: 2 vCPU / 4 GiB for 1 USD, B: 2 vCPU / 16 GiB for 1.3 USD. Demand: 10 vCPU, 40 GiB of allocatable memory.
    const a = offer(itype('a1.x', 2, 4096), 1);
    const b = offer(itype('b1.x', 2, 16384), 1.3);
    const memA = allocatable(a.type).memoryMiB;
    const memB = allocatable(b.type).memoryMiB;
    const demandMem = 2.5 * memA + 2.5 * memB;
    const bound = fractionalBound({ cpu: 10 * 1024, memoryMiB: demandMem, gpus: 0 }, [a, b])!;
    expect(bound.usdPerHour).toBeCloseTo(2.5 * 1 + 2.5 * 1.3, 9);
    expect(bound.mix.map((m) => m.offering.type.name).sort()).toEqual(['a1.x', 'b1.x']);
    // The duals price every offering at or below its price (dual feasibility).
    for (const o of [a, b]) expect(o.allocatable.cpu * bound.duals.cpu + o.allocatable.memoryMiB * bound.duals.memoryMiB).toBeLessThanOrEqual(o.price.usdPerHour + 1e-9);
  });

  it('drops dominated offerings', () => {
    const big = offer(itype('m1.big', 4, 8192), 1);
    const small = offer(itype('m1.small', 2, 4096), 1.5);
    expect(paretoOfferings([small, big]).map((o) => o.type.name)).toEqual(['m1.big']);
  });

  it('is never above the cost of packing onto any single type, and the split bound is at least the aggregate one', () => {
    const types = [offer(itype('c1.l', 2, 4096), 0.085), offer(itype('m1.l', 2, 8192), 0.096), offer(itype('r1.l', 2, 16384), 0.126), offer(itype('c1.4x', 16, 32768), 0.68)];
    fc.assert(
      fc.property(fc.array(fc.record({ cpu: fc.integer({ min: 1, max: 8 }), mem: fc.integer({ min: 1, max: 12 }), count: fc.integer({ min: 1, max: 30 }) }), { minLength: 1, maxLength: 5 }), (raw) => {
        const shapes = raw.map((r) => ({ demand: { cpu: r.cpu * 256, memoryMiB: r.mem * 512, gpus: 0 }, count: r.count }));
        const demand = shapes.reduce((a, s) => ({ cpu: a.cpu + s.demand.cpu * s.count, memoryMiB: a.memoryMiB + s.demand.memoryMiB * s.count, gpus: 0 }), { cpu: 0, memoryMiB: 0, gpus: 0 });
        const agg = fractionalBound(demand, types)!.usdPerHour;
        const split = taskSplitBound(shapes, types)!.usdPerHour;
        expect(split).toBeGreaterThanOrEqual(agg - 1e-9);
        for (const o of types) {
          // One task per node is always feasible on a type that fits every shape: an upper bound on the optimum.
          if (shapes.every((s) => s.demand.cpu <= o.allocatable.cpu && s.demand.memoryMiB <= o.allocatable.memoryMiB)) {
            expect(split).toBeLessThanOrEqual(o.price.usdPerHour * shapes.reduce((n, s) => n + s.count, 0) + 1e-9);
          }
        }
      }),
      { numRuns: 60 },
    );
  });
});
