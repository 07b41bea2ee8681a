/**
 * The placement scheduler's inputs and outputs. The scheduler is a pure function over a snapshot
 * of the cluster (time passed in): it reads these shapes and nothing else, so it can be
 * property-tested and benchmarked without a store, a clock or an agent.
 */

/** One container instance as the scheduler sees it at the moment of placement. */
export interface InstanceSnapshot {
  containerInstanceArn: string;
  /** The instance id (`i-…`), as ECS shows `ec2InstanceId`. */
  ec2InstanceId: string;
  /** The host the agent runs on (its address or name): `spread(host)` spreads over these. */
  host: string;
  /** ACTIVE instances take tasks; DRAINING and others never do. */
  status: string;
  agentConnected: boolean;
  agentVersion: string;
  /** Epoch milliseconds. */
  registeredAt: number;
  /** Every attribute by name, including ECS's own (`ecs.availability-zone`, `ecs.instance-type`, `ecs.os-type`, `ecs.cpu-architecture`, …); valueless attributes map to `undefined`. */
  attributes: Readonly<Record<string, string | undefined>>;
  /** What is left for new tasks: cpu units, MiB, and the host ports already taken. */
  remaining: { cpu: number; memory: number };
  usedPorts: readonly number[];
  /** Tasks on the instance that are not STOPPED. */
  runningTasksCount: number;
  /** The group of every task on the instance that is not STOPPED (`service:web`, `family:x`, …). */
  taskGroups: readonly string[];
}

/** A placement constraint as RunTask and CreateService take it. */
export interface PlacementConstraintInput {
  type: 'distinctInstance' | 'memberOf';
  expression?: string;
}

/** A placement strategy step as RunTask and CreateService take it. */
export interface PlacementStrategyInput {
  type: 'binpack' | 'spread' | 'random';
  field?: string;
}

/** One task as the scheduler sees it. */
export interface TaskShape {
  /** The resources one task reserves (cpu units, MiB) and the host ports it publishes. */
  cpu: number;
  memory: number;
  hostPorts: readonly number[];
  /** The task group (`service:web`, `family:x`): `distinctInstance` and `task:group` use it. */
  group: string;
}

/** What to place: `count` identical tasks, with the constraints and strategy as the API takes them. */
export interface PlacementRequest extends TaskShape {
  count: number;
  constraints: readonly PlacementConstraintInput[];
  /** Applied in order, the first deciding and the next breaking its ties (up to five). */
  strategy: readonly PlacementStrategyInput[];
}

/** Why one task could not be placed, as ECS reports it in `failures[].reason` (and `detail`). */
export interface PlacementFailure {
  /** ECS's reason: `RESOURCE:CPU`, `RESOURCE:MEMORY`, `RESOURCE:PORTS`, `AGENT`, `ATTRIBUTE`, … */
  reason: string;
  /** The instance that came closest, when there was one. */
  arn?: string;
  detail?: string;
}

/** The outcome: one instance per placed task (in placement order), one failure per task left over. */
export interface PlacementResult {
  placements: string[];
  failures: PlacementFailure[];
}

/** Random numbers in [0, 1): passed in so that a placement can be replayed in a test. */
export type RandomSource = () => number;
