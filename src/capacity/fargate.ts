/**
 * Fargate task sizes and billing. Fargate bills the task size (not what the containers use) per
 * vCPU and per GB, so a demand is first rounded up to a valid size from the Linux size table.
 */
import type { FargateRates } from './catalog.js';

/** A valid Fargate task size: CPU units and memory in MiB. */
export interface FargateSize {
  readonly cpu: number;
  readonly memoryMiB: number;
}

/** Memory choices (MiB) for each CPU size of Fargate's Linux table. */
export const FARGATE_SIZES: readonly { readonly cpu: number; readonly memoryMiB: readonly number[] }[] = [
  { cpu: 256, memoryMiB: [512, 1024, 2048] },
  { cpu: 512, memoryMiB: steps(1024, 4096, 1024) },
  { cpu: 1024, memoryMiB: steps(2048, 8192, 1024) },
  { cpu: 2048, memoryMiB: steps(4096, 16384, 1024) },
  { cpu: 4096, memoryMiB: steps(8192, 30720, 1024) },
  { cpu: 8192, memoryMiB: steps(16384, 61440, 4096) },
  { cpu: 16384, memoryMiB: steps(32768, 122880, 8192) },
];

function steps(from: number, to: number, by: number): number[] {
  const out: number[] = [];
  for (let m = from; m <= to; m += by) out.push(m);
  return out;
}

/** Hourly price of one task of a given size at the given rates. */
export function fargateUsdPerHour(size: FargateSize, rates: FargateRates): number {
  return (size.cpu / 1024) * rates.vcpuHour.usdPerHour + (size.memoryMiB / 1024) * rates.gbHour.usdPerHour;
}

/**
 * The cheapest valid size holding `cpu` units and `memoryMiB`, or undefined when the demand is
 * larger than Fargate's largest task (16 vCPU, 120 GB).
 */
export function fargateSizeFor(cpu: number, memoryMiB: number, rates: FargateRates): FargateSize | undefined {
  let best: FargateSize | undefined;
  let bestUsd = Infinity;
  for (const row of FARGATE_SIZES) {
    if (row.cpu < cpu) continue;
    const mem = row.memoryMiB.find((m) => m >= memoryMiB);
    if (mem === undefined) continue;
    const size = { cpu: row.cpu, memoryMiB: mem };
    const usd = fargateUsdPerHour(size, rates);
    if (usd < bestUsd) [best, bestUsd] = [size, usd];
  }
  return best;
}
