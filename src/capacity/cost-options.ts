/**
 * "What does this cost on each option, and what should it run on?": the monthly cost of a set of
 * tasks on Fargate, Fargate Spot, EC2 on demand and EC2 Spot, for x86_64 and arm64 (Graviton).
 * EC2 options are bin-packed by the provisioner onto the cheapest instance types (or onto one
 * pinned type).
 */
import { invalidParameter } from '../lib/errors.js';
import type { Catalog, FargateRates } from './catalog.js';
import { fargateSizeFor, fargateUsdPerHour } from './fargate.js';
import { offeringsOf, DEFAULT_CAPACITY_MODEL, type CapacityModel } from './offerings.js';
import { provision } from './provisioner.js';
import type { TaskShape } from './task-definition.js';
import { Arch, Basis, CapacityType, type PendingTask, type Price } from './types.js';

/** A task definition and how many copies run. */
export interface CostItem {
  readonly shape: TaskShape;
  readonly count: number;
}

/** What to price. */
export interface CostRequest {
  readonly items: readonly CostItem[];
  readonly catalog: Catalog;
  readonly region: string;
  readonly hoursPerMonth: number;
  /** Pins EC2 options of this type's architecture to this instance type. */
  readonly instanceType?: string;
  readonly model?: CapacityModel;
}

/** One line of the answer. */
export interface CostOption {
  readonly id: string;
  readonly label: string;
  readonly platform: 'fargate' | 'ec2';
  readonly capacityType: CapacityType;
  readonly arch: Arch;
  /** Monthly cost in USD, rounded to the cent; null only when the tasks cannot run on this option. */
  readonly monthlyUsd: number | null;
  readonly usdPerHour: number | null;
  /** What runs: Fargate sizes, or instance types and counts. */
  readonly detail: string;
  /** `measured`, or `derived` when any price used was derived (see `rules`). */
  readonly basis: Basis;
  readonly rules: readonly string[];
  readonly notes: readonly string[];
  readonly nodes?: readonly { readonly instanceType: string; readonly count: number; readonly zone: string; readonly usdPerHour: number; readonly basis: Basis }[];
}

/** Rounds to the cent, half away from zero, robust to binary noise (82.2402 -> 82.24, 90.2081664 -> 90.21). */
export const toCents = (usd: number): number => Math.round(Number((usd * 100).toPrecision(12))) / 100;

/** Prices every option. */
export function costOptions(req: CostRequest): CostOption[] {
  const book = req.catalog.regions.get(req.region);
  if (!book) throw invalidParameter(`no prices for region ${req.region}; known: ${[...req.catalog.regions.keys()].join(', ')}`);
  if (!(req.hoursPerMonth > 0)) throw invalidParameter('hours per month must be positive');
  if (req.items.length === 0) throw invalidParameter('no task definitions given');
  const pinned = req.instanceType ? req.catalog.types.get(req.instanceType) : undefined;
  if (req.instanceType && (!pinned || !book.onDemand.has(req.instanceType))) throw invalidParameter(`instance type ${req.instanceType} is not in the ${req.region} catalog`);
  const out: CostOption[] = [];
  for (const arch of [Arch.X86_64, Arch.ARM64]) {
    out.push(fargateOption(req, book.fargate[arch], arch, CapacityType.OnDemand));
    out.push(fargateOption(req, book.fargateSpot[arch], arch, CapacityType.Spot));
  }
  for (const arch of [Arch.X86_64, Arch.ARM64]) {
    for (const ct of [CapacityType.OnDemand, CapacityType.Spot]) out.push(ec2Option(req, arch, ct, pinned?.arch === arch ? pinned.name : undefined));
  }
  return out;
}

const archNote = (items: readonly CostItem[], arch: Arch): string[] =>
  items.filter((i) => i.shape.arch && i.shape.arch !== arch).map((i) => `${i.shape.family} sets runtimePlatform ${i.shape.arch}: this figure assumes an ${arch} image`);

const gb = (mib: number) => `${Number((mib / 1024).toFixed(2))} GB`;

function fargateOption(req: CostRequest, rates: FargateRates, arch: Arch, ct: CapacityType): CostOption {
  const spot = ct === CapacityType.Spot;
  const label = `${spot ? 'Fargate Spot' : 'Fargate'} (${arch})`;
  const base = { id: `${spot ? 'fargate-spot' : 'fargate'}-${arch}`, label, platform: 'fargate' as const, capacityType: ct, arch };
  const prices = [rates.vcpuHour, rates.gbHour];
  const parts: string[] = [];
  let usd = 0;
  for (const item of req.items) {
    if (item.shape.ec2.gpus > 0) return { ...base, monthlyUsd: null, usdPerHour: null, detail: '-', ...basisOf(prices), notes: [`${item.shape.family} needs GPUs, which Fargate does not offer`] };
    const size = fargateSizeFor(item.shape.fargate.cpu, item.shape.fargate.memoryMiB, rates);
    if (!size) return { ...base, monthlyUsd: null, usdPerHour: null, detail: '-', ...basisOf(prices), notes: [`${item.shape.family} is larger than Fargate's largest task (16 vCPU, 120 GB)`] };
    usd += item.count * fargateUsdPerHour(size, rates);
    parts.push(`${item.count} x ${item.shape.family} ${size.cpu / 1024} vCPU/${gb(size.memoryMiB)}`);
  }
  return { ...base, monthlyUsd: toCents(usd * req.hoursPerMonth), usdPerHour: usd, detail: parts.join(', '), ...basisOf(prices), notes: archNote(req.items, arch) };
}

function basisOf(prices: readonly Price[]): { basis: Basis; rules: string[] } {
  const rules = [...new Set(prices.filter((p) => p.basis === Basis.Derived).map((p) => p.from))].sort();
  return { basis: rules.length ? Basis.Derived : Basis.Measured, rules };
}

function ec2Option(req: CostRequest, arch: Arch, ct: CapacityType, pinned: string | undefined): CostOption {
  const spot = ct === CapacityType.Spot;
  const label = `EC2 ${spot ? 'Spot' : 'on-demand'} (${arch}${arch === Arch.ARM64 ? ', Graviton' : ''})`;
  const base = { id: `ec2-${spot ? 'spot' : 'on-demand'}-${arch}`, label, platform: 'ec2' as const, capacityType: ct, arch };
  const book = req.catalog.regions.get(req.region)!;
  const offerings = offeringsOf(book, req.catalog.types, { capacityTypes: [ct], ...(pinned ? { instanceTypes: [pinned] } : {}) }, req.model ?? DEFAULT_CAPACITY_MODEL)
    .filter((o) => o.type.arch === arch);
  const tasks: PendingTask[] = [];
  for (const item of req.items) {
    for (let i = 0; i < item.count; i++) {
      tasks.push({
        id: `${item.shape.family}#${i + 1}`,
        demand: item.shape.ec2,
        arch,
        capacityTypes: [ct],
        ...(item.shape.memberOf.length ? { memberOf: item.shape.memberOf } : {}),
        ...(item.shape.distinctInstance ? { distinctGroup: item.shape.family } : {}),
      });
    }
  }
  const plan = provision({ tasks, offerings });
  const notes = archNote(req.items, arch);
  if (pinned) notes.push(`pinned to ${pinned} by --instance-type`);
  if (plan.unschedulable.length) {
    const first = plan.unschedulable[0]!;
    return { ...base, monthlyUsd: null, usdPerHour: null, detail: '-', basis: Basis.Measured, rules: [], notes: [...notes, `${plan.unschedulable.length} task(s) cannot be placed, e.g. ${first.taskId}: ${first.reason}`] };
  }
  const groups = new Map<string, { instanceType: string; count: number; zone: string; usdPerHour: number; basis: Basis; price: Price }>();
  for (const n of plan.nodes) {
    const o = n.offering;
    const key = `${o.type.name}|${o.zone}`;
    const g = groups.get(key) ?? groups.set(key, { instanceType: o.type.name, count: 0, zone: o.zone, usdPerHour: o.price.usdPerHour, basis: o.price.basis, price: o.price }).get(key)!;
    g.count++;
  }
  const list = [...groups.values()].sort((a, b) => b.count * b.usdPerHour - a.count * a.usdPerHour || a.instanceType.localeCompare(b.instanceType));
  const usd = plan.newUsdPerHour;
  return {
    ...base,
    monthlyUsd: toCents(usd * req.hoursPerMonth),
    usdPerHour: usd,
    detail: list.map((g) => `${g.count} x ${g.instanceType}${spot ? ` (${g.zone})` : ''}`).join(', '),
    ...basisOf(list.map((g) => g.price)),
    notes,
    nodes: list.map(({ price: _p, ...g }) => g),
  };
}
