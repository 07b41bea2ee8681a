/**
 * One scale-out decision of a managed-scaling capacity provider: the provisioner's plan over the
 * pending tasks, bounded by the provider's step sizes and the node provider's room, and the
 * service events that tell it. Pure.
 */
import { standardAttributes } from '../capacity/constraints.js';
import { provision } from '../capacity/provisioner.js';
import { Basis, type Arch, type CapacityType, type Node, type Offering, type PendingTask, type Plan } from '../capacity/types.js';
import { CAPACITY_GROUP_ATTRIBUTE } from '../control/container-instances/container-instance.js';
import type { InstanceSnapshot } from '../placement/types.js';
import type { NodeInfo } from './node-provider.js';

/** The managed-scaling settings that bound a scale-out (ECS's `managedScaling`). */
export interface ScalingSteps {
  minimumScalingStepSize: number;
  maximumScalingStepSize: number;
}

/** What to decide over. Task ids are `<service>#<n>` (see `pendingTasksOf`). */
export interface ScaleOutInput {
  providerName: string;
  group: string;
  steps: ScalingSteps;
  tasks: readonly PendingTask[];
  /** Joined instances of the group and nodes still launching: capacity that exists already. */
  existing: readonly Node[];
  offerings: readonly Offering[];
  /** How many more nodes the node provider may start. */
  room: number;
}

/** Nodes to start (of one offering each) and the events to record, by service. */
export interface ScaleOutDecision {
  launches: { offering: Offering; count: number }[];
  events: { serviceName: string; message: string }[];
  plan: Plan;
}

const serviceOf = (taskId: string) => taskId.slice(0, taskId.lastIndexOf('#'));
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Plans a scale-out; no launches when the existing capacity holds every task. */
export function decideScaleOut(input: ScaleOutInput): ScaleOutDecision {
  const plan = provision({ tasks: input.tasks, offerings: input.offerings, existing: input.existing, nodeAttributes: { [CAPACITY_GROUP_ATTRIBUTE]: input.group } });
  const limit = Math.max(0, Math.min(input.steps.maximumScalingStepSize, input.room));
  // Nodes in plan order, cut at the step limit; a short step is padded with the first offering.
  const kept: { offering: Offering; ids: string[]; reason: string }[] = [];
  let total = 0;
  for (const l of plan.launches) {
    const ids = l.nodeIds.slice(0, Math.max(0, limit - total));
    if (ids.length) kept.push({ offering: l.offering, ids, reason: l.reason });
    total += ids.length;
  }
  const planned = plan.launches.reduce((s, l) => s + l.nodeIds.length, 0);
  const padding = total > 0 ? Math.max(0, Math.min(input.steps.minimumScalingStepSize, limit) - total) : 0;
  if (padding > 0) kept[0] = { ...kept[0]!, ids: [...kept[0]!.ids, ...Array.from({ length: padding }, (_, i) => `pad-${i + 1}`)] };
  const launched = new Set(kept.flatMap((k) => k.ids));
  const covered = new Map<string, number>();
  for (const p of plan.placements) if (launched.has(p.nodeId)) covered.set(serviceOf(p.taskId), (covered.get(serviceOf(p.taskId)) ?? 0) + 1);
  const what = kept.map((k) => `${k.ids.length} × ${k.offering.type.name} (${k.offering.capacityType}, ${k.offering.zone})`).join(', ');
  const why = [
    ...kept.map((k) => k.reason),
    ...(planned > total ? [`${plural(planned - total, 'more node')} planned wait for the next step (at most ${limit} per step: maximumScalingStepSize ${input.steps.maximumScalingStepSize}, room for ${input.room} more local nodes)`] : []),
    ...(padding > 0 ? [`${plural(padding, 'node')} added to reach minimumScalingStepSize ${input.steps.minimumScalingStepSize}`] : []),
  ]
    .join('; ')
    .replace(/\.$/, '');
  const events: ScaleOutDecision['events'] = [];
  for (const [serviceName, n] of [...covered].sort((a, b) => a[0].localeCompare(b[0]))) {
    events.push({ serviceName, message: `(service ${serviceName}) capacity provider ${input.providerName} is scaling out: launching ${what} for ${plural(n, 'task')}; ${why}.` });
  }
  const blocked = new Map<string, { n: number; reason: string }>();
  for (const u of plan.unschedulable) {
    const s = serviceOf(u.taskId);
    blocked.set(s, { n: (blocked.get(s)?.n ?? 0) + 1, reason: u.reason });
  }
  for (const [serviceName, b] of blocked) {
    events.push({ serviceName, message: `(service ${serviceName}) capacity provider ${input.providerName} is unable to scale out for ${plural(b.n, 'task')}: a task ${b.reason}.` });
  }
  if (total === 0 && plan.launches.length > 0 && limit === 0) {
    for (const serviceName of new Set(input.tasks.map((t) => serviceOf(t.id)))) {
      events.push({ serviceName, message: `(service ${serviceName}) capacity provider ${input.providerName} is unable to scale out: the node provider runs as many nodes as it may.` });
    }
  }
  return { launches: kept.map((k) => ({ offering: k.offering, count: k.ids.length })), events, plan };
}

/** A joined instance as existing capacity: what is left on it, and its task groups as distinct groups. */
export function nodeOfInstance(i: InstanceSnapshot, arch: Arch, capacityType: CapacityType): Node {
  const type = i.attributes['ecs.instance-type'] ?? 'unknown';
  const zone = i.attributes['ecs.availability-zone'] ?? '';
  const remaining = { cpu: Math.max(0, i.remaining.cpu), memoryMiB: Math.max(0, i.remaining.memory), gpus: 0 };
  const attributes: Record<string, string> = {};
  for (const [k, v] of Object.entries(i.attributes)) if (v !== undefined) attributes[k] = v;
  return {
    id: i.containerInstanceArn,
    offering: {
      type: { name: type, family: '', category: '', generation: 0, vcpu: remaining.cpu / 1024, memoryMiB: remaining.memoryMiB, arch, gpus: 0 },
      zone,
      capacityType,
      price: { usdPerHour: 0, basis: Basis.Derived, from: 'existing' },
      allocatable: remaining,
    },
    attributes,
    // Zero-sized stand-ins: a task of a group already there never joins it under distinctInstance.
    tasks: i.taskGroups.map((g, k) => ({ id: `existing#${k}`, demand: { cpu: 0, memoryMiB: 0, gpus: 0 }, distinctGroup: g })),
  };
}

/** A node still launching as existing capacity: its full planned size, no tasks yet. */
export function nodeOfLaunching(n: NodeInfo, arch: Arch): Node {
  const allocatable = { cpu: n.cpu, memoryMiB: n.memoryMiB, gpus: 0 };
  return {
    id: n.id,
    offering: {
      type: { name: n.instanceType, family: '', category: '', generation: 0, vcpu: n.cpu / 1024, memoryMiB: n.memoryMiB, arch, gpus: 0 },
      zone: n.zone,
      capacityType: n.capacityType,
      price: { usdPerHour: 0, basis: Basis.Derived, from: 'launching' },
      allocatable,
    },
    attributes: standardAttributes(n.instanceType, n.zone, arch, { [CAPACITY_GROUP_ATTRIBUTE]: n.group }),
    tasks: [],
  };
}
