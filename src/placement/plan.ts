/**
 * The one placement path: RunTask, StartTask and the service scheduler all get their placements
 * here, from a snapshot of the cluster taken in the store transaction that then applies the plan.
 *
 * Where a launch group's tasks go:
 * - FARGATE (and the FARGATE, FARGATE_SPOT providers): the control host, the machine minato runs on.
 *   Its memory is reserved exactly; its CPU is shared, admitted up to `fargateCpuOvercommit` times
 *   the units it has (each task is still held to its own size by its cgroup limits).
 * - EC2 with an EC2-style capacity provider: the provider's agents (the instances whose group
 *   attribute names the provider's group), with the request's constraints and strategy.
 * - EC2 otherwise: the cluster's container instances; a cluster that has none is minato's
 *   single-host case and the control host takes the tasks, its CPU reserved exactly as an
 *   instance's is.
 * Constraints and strategy are container-instance rules: the control host is placed on by its
 * resources only, and it takes host ports as it always has (the agent binds them at launch).
 */
import { invalidParameter } from '../lib/errors.js';
import type { LaunchGroup, LaunchType } from './launch-groups.js';
import { placeOnNamed, placeTasks } from './place.js';
import type { PlacementRules } from './placement-rules.js';
import type { InstanceSnapshot, PlacementFailure, PlacementResult, RandomSource, TaskShape } from './types.js';

/**
 * How many times its CPU units the control host admits in Fargate tasks. A Fargate task's vCPU is a
 * cgroup quota, not a reservation of a core, and a local machine mostly runs idle services: 8 lets
 * a 2-core laptop take 64 tasks of 0.25 vCPU, so that memory, which cannot be shared, is what runs
 * out first for ordinary task sizes (512 MiB and up), while a machine is not promised more than
 * eight times the work it can do at once.
 */
export const DEFAULT_FARGATE_CPU_OVERCOMMIT = 8;

/** The control host as the planner sees it: an instance, and the CPU units it has in all. */
export interface ControlHostSnapshot {
  instance: InstanceSnapshot;
  /** CPU units of the machine (1024 per core), before any task. */
  cpu: number;
}

/** What a plan reads: the cluster's instances, the control host, and the capacity providers named. */
export interface PlanSnapshot {
  /** The cluster's container instances, with what their tasks leave of them. */
  instances: readonly InstanceSnapshot[];
  /** Read only when a group can reach it ({@link reachesControlHost}). */
  controlHost?: ControlHostSnapshot;
  /** See {@link DEFAULT_FARGATE_CPU_OVERCOMMIT}. */
  fargateCpuOvercommit: number;
  /** The agent group of each EC2-style provider the request names; undefined when not found or inactive. */
  providerGroups: Readonly<Record<string, string | undefined>>;
  /** The instance attribute that names an agent's group. */
  groupAttribute: string;
}

/** What to plan: the request's launch groups, one task's shape, and its rules compiled once. */
export interface PlanRequest {
  groups: readonly LaunchGroup[];
  task: TaskShape;
  rules: PlacementRules;
  /** StartTask: one task on each instance named, without the scheduler's constraints and strategy. */
  targets?: readonly string[];
}

/** Where one task goes. */
export interface Placement {
  launchType: LaunchType;
  capacityProviderName?: string;
  /** The instance (the control host's snapshot for `onControlHost`), as the plan saw it when it placed the task. */
  instance: InstanceSnapshot;
  onControlHost: boolean;
}

/** The decisions: one placement per task placed, one failure per task that is not. */
export interface Plan {
  placements: Placement[];
  failures: PlacementFailure[];
}

/**
 * Plans a request over a snapshot. Pure: the snapshot is not changed, `now` and `random` are the only
 * inputs besides it (no rule reads the time yet; it is passed so that none ever reads a clock).
 * Throws InvalidParameter for a provider that is not found or has no instances, as RunTask does.
 */
export function plan(snapshot: PlanSnapshot, request: PlanRequest, now: Date, random: RandomSource): Plan {
  void now;
  const out: Plan = { placements: [], failures: [] };
  let instances = snapshot.instances;
  if (request.targets) {
    const group = request.groups[0] ?? { launchType: 'EC2', count: request.targets.length };
    collect(out, placeOnNamed(instances, request.targets, request.task), group, instances, false);
    return out;
  }
  const controlHost = snapshot.controlHost;
  let host = controlHost?.instance;
  for (const [g, group] of request.groups.entries()) {
    // What a group takes is charged only when another group follows (it is the only one that looks).
    const more = g < request.groups.length - 1;
    if (goesToControlHost(group, snapshot.instances.length)) {
      if (!controlHost || !host) throw new Error('plan: the snapshot lacks the control host this request reaches');
      // Fargate tasks share the host's CPU; EC2 tasks reserve it exactly, as on an instance.
      const extra = group.launchType === 'FARGATE' ? controlHost.cpu * (snapshot.fargateCpuOvercommit - 1) : 0;
      const view = extra > 0 ? { ...host, remaining: { ...host.remaining, cpu: host.remaining.cpu + extra } } : host;
      const shape = onHost(request.task);
      const placed = collect(out, placeTasks([view], shape, group.count, NO_RULES, random), group, [host], true);
      if (more) host = charged(host, placed, shape);
      continue;
    }
    let candidates = instances;
    if (group.capacityProviderName) {
      const agentGroup = snapshot.providerGroups[group.capacityProviderName];
      if (agentGroup === undefined) throw invalidParameter(`The specified capacity provider ${group.capacityProviderName} was not found.`);
      candidates = instances.filter((i) => i.attributes[snapshot.groupAttribute] === agentGroup);
      if (candidates.length === 0) throw invalidParameter('No Container Instances were found in your capacity provider.');
    }
    const placed = collect(out, placeTasks(candidates, request.task, group.count, request.rules, random), group, candidates, false);
    if (more) instances = instances.map((i) => charged(i, placed, request.task));
  }
  return out;
}

/** FARGATE groups, and EC2 groups without a provider in a cluster without instances, run on the control host. */
const goesToControlHost = (group: LaunchGroup, instanceCount: number) =>
  group.launchType === 'FARGATE' || (!group.capacityProviderName && instanceCount === 0);

/** Whether any task of the request can land on the control host: the snapshot must then include it. */
export function reachesControlHost(request: Pick<PlanRequest, 'groups' | 'targets'>, instanceCount: number): boolean {
  return !request.targets && request.groups.some((g) => goesToControlHost(g, instanceCount));
}

/** No constraint, no strategy: what the control host is placed with. */
const NO_RULES: PlacementRules = { memberOf: [], distinctInstance: false, strategy: [] };

/** The control host does not reserve host ports (see the file's comment). */
const onHost = (task: TaskShape): TaskShape => ({ ...task, hostPorts: [] });

/** Adds a group's result to the plan; returns the tasks placed per instance ARN. */
function collect(out: Plan, result: PlacementResult, group: LaunchGroup, from: readonly InstanceSnapshot[], onControlHost: boolean): Map<string, number> {
  const byArn = new Map(from.map((i) => [i.containerInstanceArn, i]));
  const counts = new Map<string, number>();
  const provider = group.capacityProviderName;
  for (const arn of result.placements) {
    const instance = byArn.get(arn)!;
    out.placements.push(provider ? { launchType: group.launchType, capacityProviderName: provider, instance, onControlHost } : { launchType: group.launchType, instance, onControlHost });
    counts.set(arn, (counts.get(arn) ?? 0) + 1);
  }
  // The control host is no container instance: its failures name none.
  for (const f of result.failures) out.failures.push(onControlHost ? { reason: f.reason, ...(f.detail && { detail: f.detail }) } : f);
  return counts;
}

/** An instance with `counts` more tasks of `task`'s shape on it, for the next group of the plan. */
function charged(i: InstanceSnapshot, counts: ReadonlyMap<string, number>, task: TaskShape): InstanceSnapshot {
  const n = counts.get(i.containerInstanceArn) ?? 0;
  if (n === 0) return i;
  const ports = task.hostPorts.filter((p) => p > 0);
  return {
    ...i,
    remaining: { cpu: i.remaining.cpu - n * task.cpu, memory: i.remaining.memory - n * task.memory },
    usedPorts: [...new Set([...i.usedPorts, ...ports])].sort((a, b) => a - b),
    runningTasksCount: i.runningTasksCount + n,
    taskGroups: [...i.taskGroups, ...Array<string>(n).fill(task.group)],
  };
}
