import { describe, expect, it } from 'vitest';
import { basisCounts, buildCatalog, FARGATE_SPOT_RATIO, RULES } from './catalog.js';
import { shippedCatalog } from './catalog.fixtures.js';
import { Arch, Basis, type InstanceType } from './types.js';
import type { InstanceTypesDoc } from './sources.js';

describe('shipped catalog', () => {
  const catalog = shippedCatalog();
  const tokyo = catalog.regions.get('ap-northeast-1')!;
  const virginia = catalog.regions.get('us-east-1')!;

  it('has both regions with their zones and over 500 priced instance types', () => {
    expect([...catalog.regions.keys()]).toEqual(['ap-northeast-1', 'us-east-1']);
    expect(tokyo.zones).toEqual(['apne1-az1', 'apne1-az2', 'apne1-az4']);
    expect(virginia.onDemand.size).toBeGreaterThan(500);
    expect(tokyo.onDemand.size).toBe(virginia.onDemand.size);
  });

  it('keeps measured figures with their source', () => {
    expect(tokyo.onDemand.get('c7i.large')).toEqual({ usdPerHour: 0.11235, basis: Basis.Measured, from: 'skypilot-catalog-excerpt' });
    expect(virginia.onDemand.get('c7i.large')?.usdPerHour).toBe(0.08925);
    expect(virginia.onDemand.get('c7i.large')?.basis).toBe(Basis.Measured);
    expect(tokyo.spot.get('c7i.large')?.get('apne1-az4')).toEqual({ usdPerHour: 0.0391, basis: Basis.Measured, from: 'skypilot-catalog-excerpt' });
  });

  it('derives a Tokyo price from the family ratio when the family has measured sizes', () => {
    const p = tokyo.onDemand.get('c7i.4xlarge')!;
    expect(p.basis).toBe(Basis.Derived);
    expect(p.from).toBe('od-family-ratio');
    // AWS prices sizes of a family linearly: 8 x c7i.large = 0.8988.
    expect(p.usdPerHour).toBeCloseTo(0.8988, 3);
  });

  it('marks every non-measured figure derived with a documented rule', () => {
    for (const book of [tokyo, virginia]) {
      for (const p of book.onDemand.values()) if (p.basis === Basis.Derived) expect(RULES[p.from]).toBeTypeOf('string');
      for (const z of book.spot.values()) for (const p of z.values()) if (p.basis === Basis.Derived) expect(RULES[p.from]).toBeTypeOf('string');
    }
    expect(basisCounts(virginia).onDemand.derived).toBe(0);
    expect(basisCounts(tokyo).onDemand.measured).toBeGreaterThanOrEqual(30);
  });

  it('bills Fargate at the published per-second rates and derives what is missing', () => {
    expect(tokyo.fargate[Arch.X86_64].vcpuHour).toEqual({ usdPerHour: 0.00001404 * 3600, basis: Basis.Measured, from: 'fargate-prices' });
    expect(virginia.fargate[Arch.ARM64].vcpuHour).toEqual({ usdPerHour: 0.03238, basis: Basis.Measured, from: 'fargate-prices' });
    const arm = tokyo.fargate[Arch.ARM64].vcpuHour;
    expect(arm.basis).toBe(Basis.Derived);
    expect(arm.usdPerHour).toBeCloseTo(0.00001404 * 3600 * (0.03238 / 0.04048), 12);
    expect(tokyo.fargateSpot[Arch.X86_64].gbHour.usdPerHour).toBeCloseTo(0.000001538 * 3600 * FARGATE_SPOT_RATIO, 12);
  });
});

describe('derivation rules on a small catalog', () => {
  const t = (name: string, arch: InstanceType['arch'] = Arch.X86_64): InstanceType => {
    const family = name.split('.')[0]!;
    return { name, family, category: family[0]!, generation: 1, vcpu: 2, memoryMiB: 4096, arch, gpus: 0 };
  };
  const types = [t('c1.large'), t('c1.xlarge'), t('c2.large'), t('m1.large'), t('a1.large', Arch.ARM64)];
  const base: InstanceTypesDoc = {
    id: 'base', source: 's', retrieved: 'r', types,
    onDemandUsdPerHour: { 'us-east-1': { 'c1.large': 1, 'c1.xlarge': 2, 'c2.large': 1, 'm1.large': 1, 'a1.large': 1 } },
  };
  const fargate = { id: 'f', source: 's', retrieved: 'r', regions: { 'us-east-1': { x86_64: { vcpuHour: 1, gbHour: 0.1 }, arm64: { vcpuHour: 0.8, gbHour: 0.08 } }, 'xx-1': { x86_64: { vcpuHour: 2, gbHour: 0.2 } } } };
  const snap = {
    id: 'snap', source: 's', retrieved: 'r',
    zones: { 'xx-1': ['xx-a', 'xx-b'], 'us-east-1': ['use-a'] },
    onDemandUsdPerHour: { 'xx-1': { 'c1.large': 1.2, 'm1.large': 1.5 } },
    spotUsdPerHour: { 'xx-1': { 'c1.large': { 'xx-a': 0.3 } }, 'us-east-1': {} },
  };
  const c = buildCatalog({ instanceTypes: base, fargate, snapshots: [snap] });
  const xx = c.regions.get('xx-1')!;

  it('applies the family, category and region ratios in that order', () => {
    expect(xx.onDemand.get('c1.xlarge')).toEqual({ usdPerHour: 2.4, basis: Basis.Derived, from: 'od-family-ratio' });
    expect(xx.onDemand.get('c2.large')).toEqual({ usdPerHour: 1.2, basis: Basis.Derived, from: 'od-category-ratio' });
    // Median of the family ratios 1.2 (c1) and 1.5 (m1).
    expect(xx.onDemand.get('a1.large')).toEqual({ usdPerHour: 1.35, basis: Basis.Derived, from: 'od-region-ratio' });
  });

  it('derives spot from the family discount in the zone, else the zone discount, never above on-demand', () => {
    expect(xx.spot.get('c1.large')?.get('xx-a')?.basis).toBe(Basis.Measured);
    expect(xx.spot.get('c1.xlarge')?.get('xx-a')).toEqual({ usdPerHour: 0.6, basis: Basis.Derived, from: 'spot-family-ratio' });
    expect(xx.spot.get('m1.large')?.get('xx-a')).toEqual({ usdPerHour: 0.375, basis: Basis.Derived, from: 'spot-zone-ratio' });
    // No measurement at all in zone xx-b: no spot figure is invented there.
    expect(xx.spot.get('c1.large')?.get('xx-b')).toBeUndefined();
  });

  it('derives the missing arm64 Fargate rates from the base region ratio', () => {
    expect(xx.fargate.arm64.vcpuHour).toEqual({ usdPerHour: 1.6, basis: Basis.Derived, from: 'fargate-arm-ratio' });
  });
});
