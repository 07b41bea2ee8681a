/**
 * Rightsizing of Fargate tasks from observed use, in the manner of AWS Compute Optimizer's
 * recommendations for ECS services on Fargate: over a lookback period, the CPU need is a high
 * percentile of the observed CPU use plus headroom and the memory need is the maximum observed
 * memory plus headroom (Compute Optimizer's defaults: P99.5 with 20 % CPU headroom, 20 % memory
 * headroom; memory takes no percentile). The recommendation is the cheapest *valid* Fargate
 * size covering both needs, with a finding (Overprovisioned / Underprovisioned / Optimized, as
 * the ECSServiceRecommendation API names them), reason codes and the projected monthly saving.
 */
import { invalidParameter } from '../lib/errors.js';
import type { FargateRates } from './catalog.js';
import { toCents } from './cost-options.js';
import { FARGATE_SIZES, fargateSizeFor, fargateUsdPerHour, type FargateSize } from './fargate.js';

/** Compute Optimizer's findings for ECS services (ECSServiceRecommendationFinding). */
export const Finding = { Optimized: 'Optimized', Underprovisioned: 'Underprovisioned', Overprovisioned: 'Overprovisioned' } as const;
/** One of {@link Finding}. */
export type Finding = (typeof Finding)[keyof typeof Finding];

/** Compute Optimizer's finding reason codes for ECS services. */
export const FindingReason = {
  CpuOverprovisioned: 'CPUOverprovisioned',
  CpuUnderprovisioned: 'CPUUnderprovisioned',
  MemoryOverprovisioned: 'MemoryOverprovisioned',
  MemoryUnderprovisioned: 'MemoryUnderprovisioned',
} as const;
/** One of {@link FindingReason}. */
export type FindingReason = (typeof FindingReason)[keyof typeof FindingReason];

/** The CPU statistic the need is taken from: Compute Optimizer's thresholds, or the maximum. */
export const CpuThreshold = { P90: 'P90', P95: 'P95', P99_5: 'P99_5', Max: 'MAX' } as const;
/** One of {@link CpuThreshold}. */
export type CpuThreshold = (typeof CpuThreshold)[keyof typeof CpuThreshold];

const PERCENTILE: Record<CpuThreshold, number> = { P90: 90, P95: 95, P99_5: 99.5, MAX: 100 };

/** One observation of one task: CPU units in use (1024 per vCPU) and memory in use (MiB). */
export interface UsageSample {
  readonly cpuUnits: number;
  readonly memoryMiB: number;
}

/** What was observed of one task family over the lookback period. */
export interface FamilyUsage {
  readonly family: string;
  /** The task size it runs with now (cpu units, MiB), as reserved; need not be a valid Fargate size. */
  readonly current: FargateSize;
  readonly samples: readonly UsageSample[];
  /** Tasks running at once on average (monthly costs are per this many tasks); default 1. */
  readonly taskCount?: number;
}

/** How needs are derived from use, and what a month is. */
export interface RightsizingPreferences {
  readonly cpuThreshold: CpuThreshold;
  /** Added on top of the CPU statistic, in percent. */
  readonly cpuHeadroomPercent: number;
  /** Added on top of the maximum memory use, in percent. */
  readonly memoryHeadroomPercent: number;
  readonly hoursPerMonth: number;
}

/** Compute Optimizer's default utilization preferences; a month of 730 hours. */
export const DEFAULT_PREFERENCES: RightsizingPreferences = { cpuThreshold: CpuThreshold.P99_5, cpuHeadroomPercent: 20, memoryHeadroomPercent: 20, hoursPerMonth: 730 };

/** A task size with its monthly cost. */
export interface PricedSize {
  readonly cpu: number;
  readonly memoryMiB: number;
  readonly monthlyUsd: number;
}

/** The answer for one family. */
export interface Recommendation {
  readonly family: string;
  readonly finding: Finding;
  readonly findingReasons: readonly FindingReason[];
  /** The current size and what it costs (Fargate bills a size rounded up to a valid one). */
  readonly current: PricedSize;
  readonly recommended: PricedSize;
  /** Current minus recommended monthly cost (negative when more is needed), and its share of the current cost. */
  readonly savings: { readonly monthlyUsd: number; readonly percent: number };
  /** The figures used: statistics of the samples and the needs derived from them. */
  readonly utilization: {
    readonly samples: number;
    readonly cpuStatistic: CpuThreshold;
    readonly cpuUnitsAtStatistic: number;
    readonly cpuUnitsMax: number;
    readonly memoryMiBMax: number;
    readonly cpuUnitsNeeded: number;
    readonly memoryMiBNeeded: number;
    readonly taskCount: number;
  };
  readonly reason: string;
}

/** The nearest-rank percentile (p in 0..100) of a non-empty list. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(Math.max(rank, 1), sorted.length) - 1]!;
}

const LARGEST: FargateSize = (() => {
  const row = FARGATE_SIZES[FARGATE_SIZES.length - 1]!;
  return { cpu: row.cpu, memoryMiB: row.memoryMiB[row.memoryMiB.length - 1]! };
})();

/** Whether a size is one of Fargate's valid (Linux) task sizes. */
export function isValidSize(size: FargateSize): boolean {
  return FARGATE_SIZES.some((row) => row.cpu === size.cpu && row.memoryMiB.includes(size.memoryMiB));
}

const round2 = (n: number): number => Math.round(n * 100) / 100;

function checkPreferences(p: RightsizingPreferences): void {
  if (!(p.hoursPerMonth > 0)) throw invalidParameter('hours per month must be positive');
  for (const [name, v] of [['CPU headroom', p.cpuHeadroomPercent], ['memory headroom', p.memoryHeadroomPercent]] as const) {
    if (!(v >= 0 && v <= 100)) throw invalidParameter(`${name} must be from 0 to 100 percent, got ${v}`);
  }
  if (!(p.cpuThreshold in PERCENTILE)) throw invalidParameter(`unknown CPU threshold ${String(p.cpuThreshold)}`);
}

/** Recommends a Fargate size for one family from its observed use. */
export function recommend(usage: FamilyUsage, rates: FargateRates, prefs: RightsizingPreferences = DEFAULT_PREFERENCES): Recommendation {
  checkPreferences(prefs);
  if (usage.samples.length === 0) throw invalidParameter(`no usage samples for ${usage.family}`);
  if (!(usage.current.cpu > 0 && usage.current.memoryMiB > 0)) throw invalidParameter(`${usage.family} has no task-level cpu and memory to compare with`);
  const count = usage.taskCount ?? 1;
  if (!(count > 0)) throw invalidParameter('task count must be positive');
  const cpus = usage.samples.map((s) => Math.max(0, s.cpuUnits));
  const mems = usage.samples.map((s) => Math.max(0, s.memoryMiB));
  const cpuStat = percentile(cpus, PERCENTILE[prefs.cpuThreshold]);
  const memMax = Math.max(...mems);
  const cpuNeed = cpuStat * (1 + prefs.cpuHeadroomPercent / 100);
  const memNeed = memMax * (1 + prefs.memoryHeadroomPercent / 100);
  const monthly = (size: FargateSize) => toCents(fargateUsdPerHour(size, rates) * prefs.hoursPerMonth * count);
  // Fargate bills the size rounded up to a valid one: an invalid current size costs that much.
  const billedCurrent = fargateSizeFor(usage.current.cpu, usage.current.memoryMiB, rates) ?? LARGEST;
  const fits = fargateSizeFor(cpuNeed, memNeed, rates);
  const currentCovers = usage.current.cpu >= cpuNeed && usage.current.memoryMiB >= memNeed;
  // Ties keep a valid current size: a change that saves nothing is no recommendation.
  const keep = currentCovers && isValidSize(usage.current) && fits !== undefined && monthly(fits) >= monthly(usage.current);
  const target = keep ? usage.current : (fits ?? LARGEST);
  const reasons: FindingReason[] = [];
  if (cpuNeed > usage.current.cpu) reasons.push(FindingReason.CpuUnderprovisioned);
  else if (target.cpu < usage.current.cpu) reasons.push(FindingReason.CpuOverprovisioned);
  if (memNeed > usage.current.memoryMiB) reasons.push(FindingReason.MemoryUnderprovisioned);
  else if (target.memoryMiB < usage.current.memoryMiB) reasons.push(FindingReason.MemoryOverprovisioned);
  const currentUsd = monthly(billedCurrent);
  const recommendedUsd = monthly(target);
  const finding = !currentCovers ? Finding.Underprovisioned : recommendedUsd < currentUsd ? Finding.Overprovisioned : Finding.Optimized;
  const saving = toCents(currentUsd - recommendedUsd);
  const utilization = {
    samples: usage.samples.length,
    cpuStatistic: prefs.cpuThreshold,
    cpuUnitsAtStatistic: round2(cpuStat),
    cpuUnitsMax: round2(Math.max(...cpus)),
    memoryMiBMax: round2(memMax),
    cpuUnitsNeeded: round2(cpuNeed),
    memoryMiBNeeded: round2(memNeed),
    taskCount: count,
  };
  return {
    family: usage.family,
    finding,
    findingReasons: finding === Finding.Optimized ? [] : reasons,
    current: { ...usage.current, monthlyUsd: currentUsd },
    recommended: { cpu: target.cpu, memoryMiB: target.memoryMiB, monthlyUsd: recommendedUsd },
    savings: { monthlyUsd: saving, percent: currentUsd > 0 ? Math.round((saving / currentUsd) * 1000) / 10 : 0 },
    utilization,
    reason: explain(finding, usage, utilization, prefs, fits === undefined),
  };
}

function explain(finding: Finding, usage: FamilyUsage, u: Recommendation['utilization'], prefs: RightsizingPreferences, tooLarge: boolean): string {
  const stat = prefs.cpuThreshold === CpuThreshold.Max ? 'maximum' : `${prefs.cpuThreshold.replace('_', '.')}`;
  const need = `needs ${u.cpuUnitsNeeded} CPU units (${stat} ${u.cpuUnitsAtStatistic} + ${prefs.cpuHeadroomPercent}% headroom) and ${u.memoryMiBNeeded} MiB (maximum ${u.memoryMiBMax} + ${prefs.memoryHeadroomPercent}% headroom) over ${u.samples} sample(s)`;
  const has = `has ${usage.current.cpu} CPU units and ${usage.current.memoryMiB} MiB`;
  if (tooLarge) return `${need}, more than the largest Fargate size; ${has}`;
  if (finding === Finding.Optimized) return `${need}; the current size (${usage.current.cpu} CPU units, ${usage.current.memoryMiB} MiB) already costs no more than any valid size that covers it`;
  if (finding === Finding.Underprovisioned) return `${need} but ${has}`;
  return `${need}; ${has}, more than needed`;
}

/** Recommendations for many families, in family order (deterministic whatever the input order). */
export function rightsize(usages: readonly FamilyUsage[], rates: FargateRates, prefs: RightsizingPreferences = DEFAULT_PREFERENCES): Recommendation[] {
  return [...usages].sort((a, b) => (a.family < b.family ? -1 : a.family > b.family ? 1 : 0)).map((u) => recommend(u, rates, prefs));
}
