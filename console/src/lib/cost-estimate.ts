/**
 * The console's cost view: what the running services would cost a month on Fargate, priced by the
 * same pure sizing and billing code `minato cost` uses (src/capacity/fargate.ts) over the shipped
 * Fargate price file. EC2 options need the instance catalog (half a megabyte), so they stay with
 * `minato cost`.
 */
import type { FargateRates } from '../../../src/capacity/catalog.js';
import { fargateSizeFor, fargateUsdPerHour, type FargateSize } from '../../../src/capacity/fargate.js';
import prices from '../../../data/pricing/sources/fargate-prices.json';

/** Hours in the month AWS's pricing examples use (730). */
export const HOURS_PER_MONTH = 730;

type RegionPrices = Record<string, { vcpuHour: number; gbHour: number } | number | undefined>;

/** The Fargate rates of a region and architecture, when the price file has them. */
export function fargateRates(region: string, arch: 'x86_64' | 'arm64'): FargateRates | undefined {
  const book = (prices.regions as Record<string, RegionPrices | undefined>)[region];
  const rates = book?.[`linux/${arch}`];
  if (!rates || typeof rates === 'number') return undefined;
  const price = (usdPerHour: number) => ({ usdPerHour, basis: 'measured' as const, from: 'fargate-prices' });
  return { vcpuHour: price(rates.vcpuHour), gbHour: price(rates.gbHour) };
}

export const pricedRegions = (): string[] => Object.keys(prices.regions).sort();

export interface ServiceCost {
  service: string;
  cluster: string;
  taskDefinition: string;
  tasks: number;
  cpu: number;
  memoryMiB: number;
  /** The Fargate size billed (rounded up to a valid size), or undefined when none holds the task. */
  size?: FargateSize;
  usdPerHour?: number;
  monthlyUsd?: number;
}

/** One service's monthly cost: its desired count × the hourly price of its task size. */
export function serviceCost(input: { service: string; cluster: string; taskDefinition: string; tasks: number; cpu: number; memoryMiB: number }, rates: FargateRates): ServiceCost {
  const size = fargateSizeFor(input.cpu, input.memoryMiB, rates);
  if (!size) return input;
  const perTask = fargateUsdPerHour(size, rates);
  const usdPerHour = perTask * input.tasks;
  return { ...input, size, usdPerHour, monthlyUsd: Math.round(usdPerHour * HOURS_PER_MONTH * 100) / 100 };
}

/** The task size of a task definition: its task-level cpu and memory, else the sum over containers. */
export function taskSize(td: { cpu?: string; memory?: string; containerDefinitions: readonly Readonly<Record<string, unknown>>[] }): { cpu: number; memoryMiB: number } {
  const num = (v: unknown) => (typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : 0);
  const cpu = num(td.cpu) || td.containerDefinitions.reduce((s, c) => s + num(c['cpu']), 0);
  const memoryMiB = num(td.memory) || td.containerDefinitions.reduce((s, c) => s + (num(c['memory']) || num(c['memoryReservation'])), 0);
  return { cpu: Math.max(cpu, 256), memoryMiB: Math.max(memoryMiB, 512) };
}
