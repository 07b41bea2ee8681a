import { describe, expect, it } from 'vitest';
import { fargateSizeFor, fargateUsdPerHour, FARGATE_SIZES } from './fargate.js';
import { Basis } from './types.js';
import type { FargateRates } from './catalog.js';

const rates = (vcpu: number, gb: number): FargateRates => ({
  vcpuHour: { usdPerHour: vcpu, basis: Basis.Measured, from: 't' },
  gbHour: { usdPerHour: gb, basis: Basis.Measured, from: 't' },
});
const tokyo = rates(0.00001404 * 3600, 0.000001538 * 3600);

describe('Fargate sizes', () => {
  it('rounds a demand up to the cheapest valid size', () => {
    expect(fargateSizeFor(300, 600, tokyo)).toEqual({ cpu: 512, memoryMiB: 1024 });
    expect(fargateSizeFor(256, 512, tokyo)).toEqual({ cpu: 256, memoryMiB: 512 });
    expect(fargateSizeFor(256, 3000, tokyo)).toEqual({ cpu: 512, memoryMiB: 3072 });
    expect(fargateSizeFor(1, 9000, tokyo)).toEqual({ cpu: 2048, memoryMiB: 9216 });
    expect(fargateSizeFor(8192, 17000, tokyo)).toEqual({ cpu: 8192, memoryMiB: 20480 });
  });

  it('has no size above 16 vCPU / 120 GB', () => {
    expect(fargateSizeFor(16385, 1024, tokyo)).toBeUndefined();
    expect(fargateSizeFor(1024, 122881, tokyo)).toBeUndefined();
  });

  it('lists only the documented memory steps', () => {
    expect(FARGATE_SIZES.find((s) => s.cpu === 4096)?.memoryMiB.at(-1)).toBe(30720);
    expect(FARGATE_SIZES.find((s) => s.cpu === 16384)?.memoryMiB).toHaveLength(12);
  });

  it('reproduces the reference: 2 vCPU / 4 GB in Tokyo for 732 h is 90.21 USD', () => {
    const usd = fargateUsdPerHour({ cpu: 2048, memoryMiB: 4096 }, tokyo) * 732;
    expect(usd).toBeCloseTo(90.2084, 3);
    expect(Math.round(usd * 100) / 100).toBe(90.21);
  });
});
