/**
 * Turns a region's price book into purchasable offerings with what ECS lets tasks reserve on each.
 *
 * Allocatable resources (our assumption, documented): ECS registers 1024 CPU units per vCPU and
 * reserves no CPU. For memory, ECS registers what the OS reports (MemTotal), which is less than the
 * nominal size because of the kernel and platform; AWS's example is an m4.large with 8192 MiB
 * nominal registering 7985 MiB, i.e. 207/8192 = 2.53 % less, which we apply to every type. The agent
 * then subtracts ECS_RESERVED_MEMORY, which is 0 by default.
 */
import type { RegionBook } from './catalog.js';
import { CapacityType, type InstanceType, type Offering, type Resources } from './types.js';

/** How much of an instance's nominal memory ECS can register, from AWS's m4.large example. */
export const DEFAULT_OS_MEMORY_FRACTION = 7985 / 8192;

/** The allocatable-capacity assumptions, overridable from the CLI. */
export interface CapacityModel {
  /** Fraction of nominal memory the OS reports to ECS (default {@link DEFAULT_OS_MEMORY_FRACTION}). */
  readonly osMemoryFraction: number;
  /** ECS_RESERVED_MEMORY in MiB (ECS default 0). */
  readonly reservedMemoryMiB: number;
}

/** ECS's defaults as we model them. */
export const DEFAULT_CAPACITY_MODEL: CapacityModel = { osMemoryFraction: DEFAULT_OS_MEMORY_FRACTION, reservedMemoryMiB: 0 };

/** What tasks can reserve on an instance of this type. */
export function allocatable(type: InstanceType, model: CapacityModel = DEFAULT_CAPACITY_MODEL): Resources {
  return {
    cpu: type.vcpu * 1024,
    memoryMiB: Math.max(0, Math.floor(type.memoryMiB * model.osMemoryFraction) - model.reservedMemoryMiB),
    gpus: type.gpus,
  };
}

/** Which offerings to list. */
export interface OfferingFilter {
  readonly capacityTypes?: readonly CapacityType[];
  readonly instanceTypes?: readonly string[];
  readonly zones?: readonly string[];
  /**
   * Include burstable types (t1, t2, t3, t3a, t4g). Off by default: ECS reserves a full 1024 CPU
   * units per vCPU on them, but they sustain only a baseline share of each vCPU (5-40 %) once CPU
   * credits run out, so a CPU reservation there promises more than it delivers. A type named in
   * `instanceTypes` is always included.
   */
  readonly burstable?: boolean;
}

/** Burstable families: CPU above a baseline share is paid for with credits. */
export const isBurstable = (t: InstanceType): boolean => t.category === 't';

/** Every (type, zone, capacity type) with a price in the region, sorted by name, zone, capacity type. */
export function offeringsOf(
  book: RegionBook,
  types: ReadonlyMap<string, InstanceType>,
  filter: OfferingFilter = {},
  model: CapacityModel = DEFAULT_CAPACITY_MODEL,
): Offering[] {
  const capacityTypes = filter.capacityTypes ?? [CapacityType.OnDemand, CapacityType.Spot];
  const only = filter.instanceTypes ? new Set(filter.instanceTypes) : undefined;
  const zones = filter.zones ?? book.zones;
  const out: Offering[] = [];
  for (const name of [...book.onDemand.keys()].sort()) {
    if (only && !only.has(name)) continue;
    const type = types.get(name);
    if (!type) continue;
    if (!only && !filter.burstable && isBurstable(type)) continue;
    const alloc = allocatable(type, model);
    for (const zone of zones) {
      if (capacityTypes.includes(CapacityType.OnDemand)) {
        out.push({ type, zone, capacityType: CapacityType.OnDemand, price: book.onDemand.get(name)!, allocatable: alloc });
      }
      const spot = book.spot.get(name)?.get(zone);
      if (spot && capacityTypes.includes(CapacityType.Spot)) out.push({ type, zone, capacityType: CapacityType.Spot, price: spot, allocatable: alloc });
    }
  }
  return out;
}
