/** Test fixtures: the shipped pricing sources and small synthetic catalogs. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildCatalog, type Catalog } from './catalog.js';
import { parseFargateDoc, parseInstanceTypesDoc, parsePriceSnapshotDoc, type PriceSnapshotDoc } from './sources.js';
import { allocatable } from './offerings.js';
import { Arch, Basis, CapacityType, type InstanceType, type Offering } from './types.js';

const dir = fileURLToPath(new URL('../../data/pricing/sources/', import.meta.url));
const read = (name: string): unknown => JSON.parse(readFileSync(dir + name, 'utf8'));

/** The shipped catalog, built as the CLI builds it, plus extra snapshots if given. */
export function shippedCatalog(extra: readonly PriceSnapshotDoc[] = []): Catalog {
  return buildCatalog({
    instanceTypes: parseInstanceTypesDoc(read('karpenter-instance-types.json'), 'karpenter-instance-types'),
    fargate: parseFargateDoc(read('fargate-prices.json'), 'fargate-prices'),
    snapshots: [parsePriceSnapshotDoc(read('skypilot-catalog-excerpt.json'), 'skypilot-catalog-excerpt'), ...extra],
  });
}

/** A synthetic instance type. */
export function itype(name: string, vcpu: number, memoryMiB: number, arch: Arch = Arch.X86_64, gpus = 0): InstanceType {
  const family = name.split('.')[0]!;
  return { name, family, category: family.replace(/\d.*$/, ''), generation: 1, vcpu, memoryMiB, arch, gpus };
}

/** A synthetic offering with the default allocatable model. */
export function offer(type: InstanceType, usdPerHour: number, zone = 'z1', capacityType: CapacityType = CapacityType.OnDemand): Offering {
  return { type, zone, capacityType, price: { usdPerHour, basis: Basis.Measured, from: 'test' }, allocatable: allocatable(type) };
}
