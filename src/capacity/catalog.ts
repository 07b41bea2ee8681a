/**
 * The pricing catalog: instance types, EC2 on-demand and spot prices per region (and zone), and
 * Fargate rates, each marked measured (with its source) or derived (with its rule). Built from the
 * validated source documents; missing figures are filled only by the documented rules in RULES.
 */
import { Arch, Basis, type InstanceType, type Price } from './types.js';
import type { FargateDoc, InstanceTypesDoc, PriceSnapshotDoc, SourceInfo } from './sources.js';

/** Fargate rates per vCPU-hour and per GB-hour, as billed. */
export interface FargateRates {
  readonly vcpuHour: Price;
  readonly gbHour: Price;
}

/** Everything priced in one region. */
export interface RegionBook {
  readonly region: string;
  readonly zones: readonly string[];
  readonly onDemand: ReadonlyMap<string, Price>;
  /** Spot price by instance type, then by zone. */
  readonly spot: ReadonlyMap<string, ReadonlyMap<string, Price>>;
  readonly fargate: Readonly<Record<Arch, FargateRates>>;
  readonly fargateSpot: Readonly<Record<Arch, FargateRates>>;
}

/** The whole catalog. */
export interface Catalog {
  readonly sources: readonly SourceInfo[];
  readonly rules: Readonly<Record<string, string>>;
  readonly types: ReadonlyMap<string, InstanceType>;
  readonly regions: ReadonlyMap<string, RegionBook>;
}

/** The source documents a catalog is built from; later snapshots override earlier figures. */
export interface CatalogSources {
  readonly instanceTypes: InstanceTypesDoc;
  readonly fargate: FargateDoc;
  readonly snapshots: readonly PriceSnapshotDoc[];
}

/** The region whose prices are complete and from which others are derived. */
export const BASE_REGION = 'us-east-1';

/**
 * Fargate Spot over Fargate on-demand, from a published pair of eu-west-1 rates
 * (Fargate Spot 0.01334053 per vCPU-hour and 0.00146489 per GB-hour against 0.04048 and 0.004445;
 * tomgregory.com, "AWS Fargate Spot vs. Fargate price comparison"). Both dimensions give 0.329559.
 */
export const FARGATE_SPOT_RATIO = 0.01334053 / 0.04048;

/** The derivation rules, by id, as shown to users next to every derived figure. */
export const RULES: Readonly<Record<string, string>> = {
  'od-family-ratio': `on-demand = ${BASE_REGION} price x (sum of the region's measured prices of the same family / sum of those types' ${BASE_REGION} prices)`,
  'od-category-ratio': `on-demand = ${BASE_REGION} price x median family ratio (as in od-family-ratio) of the region's measured families of the same category letter and architecture`,
  'od-region-ratio': `on-demand = ${BASE_REGION} price x median family ratio of all the region's measured families`,
  'spot-family-ratio': 'spot in a zone = on-demand price x median spot/on-demand ratio of the family\'s measured types in that zone',
  'spot-zone-ratio': 'spot in a zone = on-demand price x median spot/on-demand ratio of all measured types in that zone',
  'fargate-arm-ratio': `arm64 rate = x86_64 rate of the region x (${BASE_REGION} arm64 rate / ${BASE_REGION} x86_64 rate), per dimension`,
  'fargate-spot-ratio': `Fargate Spot rate = on-demand rate x ${FARGATE_SPOT_RATIO.toFixed(6)} (published eu-west-1 Fargate Spot / on-demand ratio)`,
};

const round6 = (n: number): number => Math.round(n * 1e6) / 1e6;

/** The median of a non-empty list (mean of the middle two for even lengths). */
export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Builds the catalog, filling gaps by RULES and marking every figure measured or derived. */
export function buildCatalog(src: CatalogSources): Catalog {
  const types = new Map(src.instanceTypes.types.map((t) => [t.name, t]));
  const measuredOd = new Map<string, Map<string, Price>>();
  const measuredSpot = new Map<string, Map<string, Map<string, Price>>>();
  const zones = new Map<string, readonly string[]>();
  const addOd = (region: string, type: string, usd: number, from: string) => {
    if (types.has(type)) (measuredOd.get(region) ?? measuredOd.set(region, new Map()).get(region)!).set(type, { usdPerHour: usd, basis: Basis.Measured, from });
  };
  for (const [region, m] of Object.entries(src.instanceTypes.onDemandUsdPerHour)) {
    for (const [type, usd] of Object.entries(m)) addOd(region, type, usd, src.instanceTypes.id);
  }
  for (const snap of src.snapshots) {
    for (const [region, list] of Object.entries(snap.zones)) zones.set(region, list);
    for (const [region, m] of Object.entries(snap.onDemandUsdPerHour)) for (const [type, usd] of Object.entries(m)) addOd(region, type, usd, snap.id);
    for (const [region, m] of Object.entries(snap.spotUsdPerHour)) {
      const byType = measuredSpot.get(region) ?? measuredSpot.set(region, new Map()).get(region)!;
      for (const [type, byZone] of Object.entries(m)) {
        if (!types.has(type)) continue;
        const zm = byType.get(type) ?? byType.set(type, new Map()).get(type)!;
        for (const [zone, usd] of Object.entries(byZone)) zm.set(zone, { usdPerHour: usd, basis: Basis.Measured, from: snap.id });
      }
    }
  }
  const base = measuredOd.get(BASE_REGION) ?? new Map<string, Price>();
  const regions = new Map<string, RegionBook>();
  for (const region of [...new Set([...Object.keys(src.fargate.regions), ...zones.keys()])].sort()) {
    const onDemand = deriveOnDemand(types, base, measuredOd.get(region) ?? new Map());
    const spot = deriveSpot(types, onDemand, measuredSpot.get(region) ?? new Map(), zones.get(region) ?? []);
    const fargate = deriveFargate(src.fargate, region);
    regions.set(region, { region, zones: zones.get(region) ?? [], onDemand, spot, fargate, fargateSpot: fargateSpotOf(fargate) });
  }
  const sources = [src.instanceTypes, src.fargate, ...src.snapshots].map(({ id, source, retrieved }) => ({ id, source, retrieved }));
  return { sources, rules: RULES, types, regions };
}

/** Region on-demand prices: measured where known, else the most specific ratio rule that applies. */
function deriveOnDemand(types: ReadonlyMap<string, InstanceType>, base: ReadonlyMap<string, Price>, measured: ReadonlyMap<string, Price>): Map<string, Price> {
  const sums = new Map<string, { region: number; base: number }>();
  for (const [name, p] of measured) {
    const b = base.get(name);
    const t = types.get(name)!;
    if (!b || b === p) continue;
    const s = sums.get(t.family) ?? sums.set(t.family, { region: 0, base: 0 }).get(t.family)!;
    s.region += p.usdPerHour;
    s.base += b.usdPerHour;
  }
  const familyRatio = new Map([...sums].map(([f, s]) => [f, s.region / s.base]));
  const byCategory = new Map<string, number[]>();
  for (const [family, ratio] of familyRatio) {
    const t = [...types.values()].find((x) => x.family === family)!;
    const key = `${t.category}/${t.arch}`;
    (byCategory.get(key) ?? byCategory.set(key, []).get(key)!).push(ratio);
  }
  const regionRatio = familyRatio.size ? median([...familyRatio.values()]) : undefined;
  const out = new Map<string, Price>();
  for (const [name, b] of base) {
    const own = measured.get(name);
    if (own) {
      out.set(name, own);
      continue;
    }
    const t = types.get(name)!;
    const fam = familyRatio.get(t.family);
    const cat = byCategory.get(`${t.category}/${t.arch}`);
    const [ratio, rule] = fam !== undefined ? [fam, 'od-family-ratio'] : cat ? [median(cat), 'od-category-ratio'] : [regionRatio, 'od-region-ratio'];
    if (ratio === undefined) continue;
    out.set(name, { usdPerHour: round6(b.usdPerHour * ratio), basis: Basis.Derived, from: rule });
  }
  for (const [name, p] of measured) if (!out.has(name)) out.set(name, p);
  return out;
}

/** Spot prices per zone: measured where known, else on-demand times a measured discount ratio. */
function deriveSpot(
  types: ReadonlyMap<string, InstanceType>,
  onDemand: ReadonlyMap<string, Price>,
  measured: ReadonlyMap<string, ReadonlyMap<string, Price>>,
  zones: readonly string[],
): Map<string, Map<string, Price>> {
  const familyZone = new Map<string, number[]>();
  const zoneRatios = new Map<string, number[]>();
  for (const [name, byZone] of measured) {
    const od = onDemand.get(name);
    if (!od || od.basis !== Basis.Measured) continue;
    for (const [zone, p] of byZone) {
      const r = p.usdPerHour / od.usdPerHour;
      const key = `${types.get(name)!.family}@${zone}`;
      (familyZone.get(key) ?? familyZone.set(key, []).get(key)!).push(r);
      (zoneRatios.get(zone) ?? zoneRatios.set(zone, []).get(zone)!).push(r);
    }
  }
  const out = new Map<string, Map<string, Price>>();
  for (const [name, od] of onDemand) {
    const byZone = new Map<string, Price>();
    for (const zone of zones) {
      const own = measured.get(name)?.get(zone);
      if (own) {
        byZone.set(zone, own);
        continue;
      }
      const fam = familyZone.get(`${types.get(name)!.family}@${zone}`);
      const all = zoneRatios.get(zone);
      if (!fam && !all) continue;
      const [ratios, rule] = fam ? [fam, 'spot-family-ratio'] : [all!, 'spot-zone-ratio'];
      byZone.set(zone, { usdPerHour: round6(Math.min(od.usdPerHour, od.usdPerHour * median(ratios))), basis: Basis.Derived, from: rule });
    }
    if (byZone.size) out.set(name, byZone);
  }
  return out;
}

/** Fargate rates as billed: per-second rates x 3600 where published (AWS bills per second), else hourly. */
function deriveFargate(doc: FargateDoc, region: string): Record<Arch, FargateRates> {
  const measured = (arch: Arch): FargateRates | undefined => {
    const r = doc.regions[region]?.[arch];
    if (!r) return undefined;
    const m = (usd: number): Price => ({ usdPerHour: usd, basis: Basis.Measured, from: doc.id });
    return { vcpuHour: m(r.vcpuSecond !== undefined ? r.vcpuSecond * 3600 : r.vcpuHour), gbHour: m(r.gbSecond !== undefined ? r.gbSecond * 3600 : r.gbHour) };
  };
  const x86 = measured(Arch.X86_64);
  const baseX86 = doc.regions[BASE_REGION]?.[Arch.X86_64];
  const baseArm = doc.regions[BASE_REGION]?.[Arch.ARM64];
  if (!x86 || !baseX86 || !baseArm) throw new Error(`no Fargate x86_64 rates for ${region} or ${BASE_REGION}`);
  const d = (usd: number): Price => ({ usdPerHour: usd, basis: Basis.Derived, from: 'fargate-arm-ratio' });
  const arm = measured(Arch.ARM64) ?? {
    vcpuHour: d(x86.vcpuHour.usdPerHour * (baseArm.vcpuHour / baseX86.vcpuHour)),
    gbHour: d(x86.gbHour.usdPerHour * (baseArm.gbHour / baseX86.gbHour)),
  };
  return { [Arch.X86_64]: x86, [Arch.ARM64]: arm };
}

function fargateSpotOf(rates: Record<Arch, FargateRates>): Record<Arch, FargateRates> {
  const d = (p: Price): Price => ({ usdPerHour: p.usdPerHour * FARGATE_SPOT_RATIO, basis: Basis.Derived, from: 'fargate-spot-ratio' });
  const of = (r: FargateRates): FargateRates => ({ vcpuHour: d(r.vcpuHour), gbHour: d(r.gbHour) });
  return { [Arch.X86_64]: of(rates[Arch.X86_64]), [Arch.ARM64]: of(rates[Arch.ARM64]) };
}

/** Counts of measured and derived figures in a region, for reports. */
export function basisCounts(book: RegionBook): { onDemand: Record<Basis, number>; spot: Record<Basis, number> } {
  const od = { measured: 0, derived: 0 };
  const sp = { measured: 0, derived: 0 };
  for (const p of book.onDemand.values()) od[p.basis]++;
  for (const z of book.spot.values()) for (const p of z.values()) sp[p.basis]++;
  return { onDemand: od, spot: sp };
}
