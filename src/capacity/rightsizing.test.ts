import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FargateRates } from './catalog.js';
import { shippedCatalog } from './catalog.fixtures.js';
import { FARGATE_SIZES, fargateUsdPerHour } from './fargate.js';
import {
  CpuThreshold,
  DEFAULT_PREFERENCES,
  Finding,
  FindingReason,
  isValidSize,
  percentile,
  recommend,
  rightsize,
  type FamilyUsage,
  type RightsizingPreferences,
} from './rightsizing.js';
import { Basis } from './types.js';

const rates = (vcpu: number, gb: number): FargateRates => ({
  vcpuHour: { usdPerHour: vcpu, basis: Basis.Measured, from: 't' },
  gbHour: { usdPerHour: gb, basis: Basis.Measured, from: 't' },
});
// us-east-1 Linux/x86 Fargate: 0.04048 per vCPU-hour, 0.004445 per GB-hour.
const virginia = rates(0.04048, 0.004445);
const flat = (n: number, cpuUnits: number, memoryMiB: number) => Array.from({ length: n }, () => ({ cpuUnits, memoryMiB }));

describe('percentile', () => {
  it('takes the nearest rank', () => {
    const v = Array.from({ length: 200 }, (_, i) => i + 1);
    expect(percentile(v, 99.5)).toBe(199);
    expect(percentile(v, 95)).toBe(190);
    expect(percentile(v, 100)).toBe(200);
    expect(percentile([7], 90)).toBe(7);
  });
});

describe('recommend', () => {
  it('shrinks an over-provisioned 1 vCPU / 4 GB task to 0.25 vCPU / 0.5 GB, with the saving', () => {
    const r = recommend({ family: 'web', current: { cpu: 1024, memoryMiB: 4096 }, samples: flat(100, 50, 200) }, virginia);
    expect(r.finding).toBe(Finding.Overprovisioned);
    expect(r.findingReasons).toEqual([FindingReason.CpuOverprovisioned, FindingReason.MemoryOverprovisioned]);
    expect(r.recommended).toMatchObject({ cpu: 256, memoryMiB: 512 });
    // 1 x 0.04048 + 4 x 0.004445 = 0.05826 USD/h x 730 = 42.53; 0.25 x 0.04048 + 0.5 x 0.004445 = 0.0123425 x 730 = 9.01.
    expect(r.current.monthlyUsd).toBe(42.53);
    expect(r.recommended.monthlyUsd).toBe(9.01);
    expect(r.savings).toEqual({ monthlyUsd: 33.52, percent: 78.8 });
    expect(r.utilization).toMatchObject({ samples: 100, cpuUnitsNeeded: 60, memoryMiBNeeded: 240 });
    expect(r.reason).toMatch(/needs 60 CPU units .* 240 MiB/);
  });

  it('keeps a size that is already the cheapest cover (Optimized)', () => {
    const r = recommend({ family: 'api', current: { cpu: 512, memoryMiB: 1024 }, samples: flat(30, 400, 800) }, virginia);
    expect(r.finding).toBe(Finding.Optimized);
    expect(r.findingReasons).toEqual([]);
    expect(r.recommended).toEqual({ cpu: 512, memoryMiB: 1024, monthlyUsd: r.current.monthlyUsd });
    expect(r.savings.monthlyUsd).toBe(0);
  });

  it('grows an under-provisioned task and reports the extra cost as a negative saving', () => {
    const r = recommend({ family: 'batch', current: { cpu: 256, memoryMiB: 512 }, samples: [...flat(99, 100, 300), { cpuUnits: 250, memoryMiB: 700 }] }, virginia, { ...DEFAULT_PREFERENCES, cpuThreshold: CpuThreshold.Max });
    expect(r.finding).toBe(Finding.Underprovisioned);
    expect(r.findingReasons).toEqual([FindingReason.CpuUnderprovisioned, FindingReason.MemoryUnderprovisioned]);
    expect(r.recommended).toMatchObject({ cpu: 512, memoryMiB: 1024 });
    expect(r.savings.monthlyUsd).toBeLessThan(0);
  });

  it('ignores rare CPU spikes above the percentile but never memory peaks', () => {
    const samples = [...flat(999, 100, 300), { cpuUnits: 2000, memoryMiB: 300 }];
    expect(recommend({ family: 'f', current: { cpu: 1024, memoryMiB: 2048 }, samples }, virginia).recommended).toMatchObject({ cpu: 256 });
    const memPeak = [...flat(999, 100, 300), { cpuUnits: 100, memoryMiB: 1500 }];
    expect(recommend({ family: 'f', current: { cpu: 1024, memoryMiB: 2048 }, samples: memPeak }, virginia).recommended).toMatchObject({ cpu: 256, memoryMiB: 2048 });
  });

  it('prices for the number of tasks running at once', () => {
    const one = recommend({ family: 'w', current: { cpu: 1024, memoryMiB: 2048 }, samples: flat(10, 10, 10) }, virginia);
    const three = recommend({ family: 'w', current: { cpu: 1024, memoryMiB: 2048 }, samples: flat(10, 10, 10), taskCount: 3 }, virginia);
    expect(three.current.monthlyUsd).toBeCloseTo(one.current.monthlyUsd * 3, 1);
  });

  it('bills an invalid current size as the valid size it rounds up to, and recommends only valid sizes', () => {
    const r = recommend({ family: 'ec2ish', current: { cpu: 300, memoryMiB: 600 }, samples: flat(10, 200, 500) }, virginia);
    expect(r.current.monthlyUsd).toBe(Math.round(fargateUsdPerHour({ cpu: 512, memoryMiB: 1024 }, virginia) * 730 * 100) / 100);
    expect(isValidSize(r.recommended)).toBe(true);
  });

  it('refuses inputs it cannot judge', () => {
    expect(() => recommend({ family: 'x', current: { cpu: 256, memoryMiB: 512 }, samples: [] }, virginia)).toThrow(/no usage samples/);
    expect(() => recommend({ family: 'x', current: { cpu: 256, memoryMiB: 512 }, samples: flat(1, 1, 1) }, virginia, { ...DEFAULT_PREFERENCES, hoursPerMonth: 0 })).toThrow(/hours/);
  });

  it('works with the shipped catalog rates of every region', () => {
    const catalog = shippedCatalog();
    for (const book of catalog.regions.values()) {
      const r = recommend({ family: 'web', current: { cpu: 2048, memoryMiB: 8192 }, samples: flat(10, 100, 400) }, book.fargate.x86_64);
      expect(r.finding).toBe(Finding.Overprovisioned);
      expect(r.savings.monthlyUsd).toBeGreaterThan(0);
    }
  });
});

const validSize = fc.constantFrom(...FARGATE_SIZES.flatMap((row) => row.memoryMiB.map((m) => ({ cpu: row.cpu, memoryMiB: m }))));
const prefs: fc.Arbitrary<RightsizingPreferences> = fc.record({
  cpuThreshold: fc.constantFrom(...Object.values(CpuThreshold)),
  cpuHeadroomPercent: fc.constantFrom(0, 20, 30),
  memoryHeadroomPercent: fc.constantFrom(10, 20, 30),
  hoursPerMonth: fc.constantFrom(730, 732, 24),
});
const usage: fc.Arbitrary<FamilyUsage> = fc.record({
  family: fc.constantFrom('a', 'b', 'c'),
  current: fc.oneof(validSize, fc.record({ cpu: fc.integer({ min: 1, max: 16384 }), memoryMiB: fc.integer({ min: 1, max: 122880 }) })),
  // Needs stay within the largest size even with 30 % headroom.
  samples: fc.array(fc.record({ cpuUnits: fc.double({ min: 0, max: 12000, noNaN: true }), memoryMiB: fc.double({ min: 0, max: 90000, noNaN: true }) }), { minLength: 1, maxLength: 50 }),
  taskCount: fc.constantFrom(1, 2, 5),
});
const rateArb = fc.record({ v: fc.double({ min: 0.001, max: 1, noNaN: true }), g: fc.double({ min: 0.0001, max: 0.1, noNaN: true }) }).map(({ v, g }) => rates(v, g));

describe('recommend (properties)', () => {
  it('always recommends a valid size that covers the need with headroom', () => {
    fc.assert(
      fc.property(usage, rateArb, prefs, (u, r, p) => {
        const rec = recommend(u, r, p);
        expect(isValidSize(rec.recommended)).toBe(true);
        expect(rec.recommended.cpu).toBeGreaterThanOrEqual(rec.utilization.cpuUnitsNeeded - 0.01);
        expect(rec.recommended.memoryMiB).toBeGreaterThanOrEqual(rec.utilization.memoryMiBNeeded - 0.01);
      }),
    );
  });

  it('is never more expensive unless under-provisioned, and cheaper exactly when over-provisioned', () => {
    fc.assert(
      fc.property(usage, rateArb, prefs, (u, r, p) => {
        const rec = recommend(u, r, p);
        if (rec.finding !== Finding.Underprovisioned) expect(rec.recommended.monthlyUsd).toBeLessThanOrEqual(rec.current.monthlyUsd);
        if (rec.finding === Finding.Overprovisioned) expect(rec.savings.monthlyUsd).toBeGreaterThan(0);
        if (rec.finding === Finding.Optimized) expect(rec.savings.monthlyUsd).toBe(0);
      }),
    );
  });

  it('is deterministic: the same use in any order gives the same answer', () => {
    fc.assert(
      fc.property(usage, rateArb, prefs, (u, r, p) => {
        const reversed = { ...u, samples: [...u.samples].reverse() };
        expect(recommend(reversed, r, p)).toEqual(recommend(u, r, p));
        expect(rightsize([u, { ...u, family: 'z' }], r, p)).toEqual(rightsize([{ ...u, family: 'z' }, reversed], r, p));
      }),
    );
  });
});
