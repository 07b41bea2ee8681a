/**
 * The shipped pricing data's source documents, validated from untrusted JSON. The caller reads the
 * files; this module only checks their shape (no I/O here, so the planner stays pure).
 */
import { invalidParameter } from '../lib/errors.js';
import { Arch, type InstanceType } from './types.js';

/** A source's identity, carried into every measured price. */
export interface SourceInfo {
  readonly id: string;
  readonly source: string;
  readonly retrieved: string;
}

/** Instance specifications and us-east-1 on-demand prices (the Karpenter-derived reference file). */
export interface InstanceTypesDoc extends SourceInfo {
  readonly types: readonly InstanceType[];
  readonly onDemandUsdPerHour: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

/** Fargate rates of one architecture in one region, per hour and (when published) per second. */
export interface FargateRateDoc {
  readonly vcpuHour: number;
  readonly gbHour: number;
  readonly vcpuSecond?: number;
  readonly gbSecond?: number;
}

/** Fargate on-demand rates by region and architecture. */
export interface FargateDoc extends SourceInfo {
  readonly regions: Readonly<Record<string, Partial<Record<Arch, FargateRateDoc>>>>;
}

/** Measured EC2 prices: on demand per region, spot per region and zone. */
export interface PriceSnapshotDoc extends SourceInfo {
  readonly zones: Readonly<Record<string, readonly string[]>>;
  readonly onDemandUsdPerHour: Readonly<Record<string, Readonly<Record<string, number>>>>;
  readonly spotUsdPerHour: Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, number>>>>>>;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function object(v: unknown, where: string): Json {
  if (!isObject(v)) throw invalidParameter(`${where}: expected an object`);
  return v;
}

function str(v: unknown, where: string): string {
  if (typeof v !== 'string' || v === '') throw invalidParameter(`${where}: expected a non-empty string`);
  return v;
}

function num(v: unknown, where: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw invalidParameter(`${where}: expected a non-negative number`);
  return v;
}

/** `{ key: number }` maps, checked entry by entry. */
function numberMap(v: unknown, where: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, x] of Object.entries(object(v, where))) out[k] = num(x, `${where}.${k}`);
  return out;
}

function info(doc: Json, id: string, where: string): SourceInfo {
  return { id, source: str(doc.source, `${where}.source`), retrieved: str(doc.retrieved, `${where}.retrieved`) };
}

const ARCH_NAMES: Readonly<Record<string, Arch>> = { amd64: Arch.X86_64, x86_64: Arch.X86_64, arm64: Arch.ARM64 };

/** Parses the instance-type reference file (`instanceTypes[]` with specs and `onDemandUsdPerHour`). */
export function parseInstanceTypesDoc(raw: unknown, id: string): InstanceTypesDoc {
  const doc = object(raw, id);
  const list = doc.instanceTypes;
  if (!Array.isArray(list)) throw invalidParameter(`${id}.instanceTypes: expected an array`);
  const types: InstanceType[] = [];
  const prices: Record<string, Record<string, number>> = {};
  list.forEach((entry, i) => {
    const where = `${id}.instanceTypes[${i}]`;
    const t = object(entry, where);
    const name = str(t.instanceType, `${where}.instanceType`);
    const arch = ARCH_NAMES[str(t.architecture, `${where}.architecture`)];
    if (!arch) throw invalidParameter(`${where}.architecture: unknown architecture ${String(t.architecture)}`);
    types.push({
      name,
      family: str(t.family, `${where}.family`),
      category: str(t.category, `${where}.category`),
      generation: num(t.generation, `${where}.generation`),
      vcpu: num(t.vcpu, `${where}.vcpu`),
      memoryMiB: num(t.memoryMiB, `${where}.memoryMiB`),
      arch,
      gpus: num(t.gpus ?? 0, `${where}.gpus`),
    });
    for (const [region, usd] of Object.entries(numberMap(t.onDemandUsdPerHour ?? {}, `${where}.onDemandUsdPerHour`))) {
      (prices[region] ??= {})[name] = usd;
    }
  });
  return { ...info(doc, id, id), types, onDemandUsdPerHour: prices };
}

/** Parses the Fargate rate file (`regions.<region>["linux/x86_64" | "linux/arm64"]`). */
export function parseFargateDoc(raw: unknown, id: string): FargateDoc {
  const doc = object(raw, id);
  const regions: Record<string, Partial<Record<Arch, FargateRateDoc>>> = {};
  for (const [region, body] of Object.entries(object(doc.regions, `${id}.regions`))) {
    const rates: Partial<Record<Arch, FargateRateDoc>> = {};
    for (const arch of [Arch.X86_64, Arch.ARM64]) {
      const where = `${id}.regions.${region}.linux/${arch}`;
      const r = object(body, `${id}.regions.${region}`)[`linux/${arch}`];
      if (r === undefined) continue;
      const o = object(r, where);
      rates[arch] = {
        vcpuHour: num(o.vcpuHour, `${where}.vcpuHour`),
        gbHour: num(o.gbHour, `${where}.gbHour`),
        ...(o.vcpuSecond === undefined ? {} : { vcpuSecond: num(o.vcpuSecond, `${where}.vcpuSecond`) }),
        ...(o.gbSecond === undefined ? {} : { gbSecond: num(o.gbSecond, `${where}.gbSecond`) }),
      };
    }
    regions[region] = rates;
  }
  return { ...info(doc, id, id), regions };
}

/** Parses a price snapshot (`zones`, `onDemandUsdPerHour`, `spotUsdPerHour`; each part optional). */
export function parsePriceSnapshotDoc(raw: unknown, id: string): PriceSnapshotDoc {
  const doc = object(raw, id);
  const zones: Record<string, string[]> = {};
  for (const [region, list] of Object.entries(object(doc.zones ?? {}, `${id}.zones`))) {
    if (!Array.isArray(list)) throw invalidParameter(`${id}.zones.${region}: expected an array`);
    zones[region] = list.map((z, i) => str(z, `${id}.zones.${region}[${i}]`));
  }
  const onDemand: Record<string, Record<string, number>> = {};
  for (const [region, m] of Object.entries(object(doc.onDemandUsdPerHour ?? {}, `${id}.onDemandUsdPerHour`))) {
    onDemand[region] = numberMap(m, `${id}.onDemandUsdPerHour.${region}`);
  }
  const spot: Record<string, Record<string, Record<string, number>>> = {};
  for (const [region, m] of Object.entries(object(doc.spotUsdPerHour ?? {}, `${id}.spotUsdPerHour`))) {
    const byType: Record<string, Record<string, number>> = {};
    for (const [type, z] of Object.entries(object(m, `${id}.spotUsdPerHour.${region}`))) {
      byType[type] = numberMap(z, `${id}.spotUsdPerHour.${region}.${type}`);
    }
    spot[region] = byType;
  }
  return { ...info(doc, id, id), zones, onDemandUsdPerHour: onDemand, spotUsdPerHour: spot };
}
