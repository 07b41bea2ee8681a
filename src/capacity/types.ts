/**
 * Shared shapes of the capacity planner: instance types, priced offerings, tasks, nodes and plans.
 * CPU is in ECS CPU units (1024 per vCPU) and memory in MiB, as ECS reserves them.
 */

/** CPU architectures as ECS names them in `ecs.cpu-architecture`. */
export const Arch = { X86_64: 'x86_64', ARM64: 'arm64' } as const;
/** One of {@link Arch}. */
export type Arch = (typeof Arch)[keyof typeof Arch];

/** How an instance is bought. */
export const CapacityType = { OnDemand: 'on-demand', Spot: 'spot' } as const;
/** One of {@link CapacityType}. */
export type CapacityType = (typeof CapacityType)[keyof typeof CapacityType];

/** Whether a figure was read from a published source or computed by a documented rule. */
export const Basis = { Measured: 'measured', Derived: 'derived' } as const;
/** One of {@link Basis}. */
export type Basis = (typeof Basis)[keyof typeof Basis];

/** A price with where it came from. */
export interface Price {
  readonly usdPerHour: number;
  readonly basis: Basis;
  /** Source id for measured figures, rule id for derived ones. */
  readonly from: string;
}

/** An EC2 instance type's shape. */
export interface InstanceType {
  readonly name: string;
  readonly family: string;
  /** The family's category letter(s), e.g. `c`, `m`, `r`, `g`. */
  readonly category: string;
  readonly generation: number;
  readonly vcpu: number;
  readonly memoryMiB: number;
  readonly arch: Arch;
  readonly gpus: number;
}

/** CPU units, MiB and GPUs: the resources ECS reserves for a task. */
export interface Resources {
  readonly cpu: number;
  readonly memoryMiB: number;
  readonly gpus: number;
}

/** One purchasable option: an instance type in a zone, on demand or spot, at a price. */
export interface Offering {
  readonly type: InstanceType;
  readonly zone: string;
  readonly capacityType: CapacityType;
  readonly price: Price;
  /** What ECS lets tasks reserve on it (after the OS and agent reserve). */
  readonly allocatable: Resources;
}

/** A task waiting for capacity. */
export interface PendingTask {
  readonly id: string;
  readonly demand: Resources;
  /** Required architecture; absent means either. */
  readonly arch?: Arch;
  /** ECS `memberOf` expressions; all must hold on the node. */
  readonly memberOf?: readonly string[];
  /** Tasks sharing a `distinctGroup` never share a node (ECS `distinctInstance`). */
  readonly distinctGroup?: string;
  /** Tasks sharing a `spreadGroup` are spread evenly over the allowed zones. */
  readonly spreadGroup?: string;
  /** Capacity types the task accepts; absent means both. */
  readonly capacityTypes?: readonly CapacityType[];
}

/** A node that exists already (or is planned), with the tasks on it. */
export interface Node {
  readonly id: string;
  readonly offering: Offering;
  readonly attributes: Readonly<Record<string, string>>;
  readonly tasks: readonly PendingTask[];
}

/** A decision and why it was taken. */
export interface Decision {
  readonly kind: 'launch' | 'place' | 'remove' | 'replace' | 'keep' | 'unschedulable';
  readonly subject: string;
  readonly reason: string;
}

/** Where one task goes. */
export interface Placement {
  readonly taskId: string;
  readonly nodeId: string;
  readonly reason: string;
}

/** A set of new nodes of one offering, each with the same kind of load. */
export interface Launch {
  readonly offering: Offering;
  readonly nodeIds: readonly string[];
  readonly reason: string;
}

/** The output of a provisioner or baseline run. */
export interface Plan {
  readonly launches: readonly Launch[];
  readonly placements: readonly Placement[];
  readonly unschedulable: readonly { readonly taskId: string; readonly reason: string }[];
  /** Hourly cost of the new nodes only. */
  readonly newUsdPerHour: number;
  readonly decisions: readonly Decision[];
  /** Final nodes (existing and new) with their tasks. */
  readonly nodes: readonly Node[];
}
