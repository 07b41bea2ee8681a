/**
 * A Cluster-Autoscaler-style baseline: fixed node groups, each one instance type (and capacity
 * type), scaled by count. Each task class uses the one compatible group whose nodes hold it most
 * cheaply; nodes are filled one at a time, largest tasks first. Without given groups, every class
 * gets the single instance type that packs it most cheaply (a well-sized node group per class).
 */
import type { Attributes } from './constraints.js';
import {
  assemble, assignZones, attributesOf, candidatesFor, classify, describe, fill, firstFit, put, repeats, shapesOf, suffixMinima, unschedulableDecision, workNodeOf,
  type Shape, type WorkNode,
} from './planning.js';
import type { CapacityType, Decision, Launch, Node, Offering, PendingTask, Placement, Plan } from './types.js';

/** A fixed node group: one instance type, one capacity type, optionally one zone. */
export interface NodeGroup {
  readonly name: string;
  readonly instanceType: string;
  readonly capacityType: CapacityType;
  readonly zone?: string;
}

/** What the baseline plans for (the provisioner's input shape). */
export interface BaselineInput {
  readonly tasks: readonly PendingTask[];
  readonly offerings: readonly Offering[];
  readonly existing?: readonly Node[];
  readonly nodeAttributes?: Attributes;
}

/** Nodes needed to hold the shapes on one offering, filling one node at a time; undefined if some shape never fits. */
function nodesNeeded(o: Offering, shapes: readonly Shape[], limit: number, cutoff = Infinity): number | undefined {
  const remaining = shapes.map((s) => s.members.length);
  const order = shapes.map((_, i) => i);
  const minima = suffixMinima(shapes, order);
  let nodes = 0;
  while (remaining.some((r) => r > 0)) {
    const f = fill(o.allocatable, shapes, remaining, order, limit, minima);
    if (f.index.length === 0) return undefined;
    const repeat = repeats(f, remaining);
    f.index.forEach((i, k) => (remaining[i]! -= f.count[k]! * repeat));
    nodes += repeat;
    if (nodes > cutoff) return undefined;
  }
  return nodes;
}

/** Plans with fixed node groups (or the best single type per class when none are given). */
export function planNodeGroups(input: BaselineInput, groups?: readonly NodeGroup[]): Plan {
  const nodes = (input.existing ?? []).map(workNodeOf);
  const zones = [...new Set(input.offerings.map((o) => o.zone))].sort();
  const placements: Placement[] = [];
  const decisions: Decision[] = [];
  const launches: Launch[] = [];
  const unschedulable: { taskId: string; reason: string }[] = [];
  const pending = firstFit(nodes, assignZones(input.tasks, zones, nodes), placements, (n) => `existing node ${n.id} (${n.offering.type.name}) had room`);
  const groupOf = (o: Offering) => groups?.find((g) => g.instanceType === o.type.name && g.capacityType === o.capacityType && (!g.zone || g.zone === o.zone));
  const allowed = groups ? input.offerings.filter((o) => groupOf(o)) : input.offerings;
  let seq = 0;
  for (const cls of classify(pending)) {
    const left = firstFit(nodes.filter((n) => n.isNew), cls.members, placements, (n) => `room left on node ${n.id} (${n.offering.type.name})`);
    if (left.length === 0) continue;
    const cands = candidatesFor(cls, allowed, input.nodeAttributes);
    // One type per class: the one that can hold the most of the class's tasks, and among those
    // the cheapest by packing; the tasks it cannot hold are unschedulable in this baseline.
    const fitsOn = (o: Offering, p: { task: PendingTask }) =>
      p.task.demand.cpu <= o.allocatable.cpu && p.task.demand.memoryMiB <= o.allocatable.memoryMiB && p.task.demand.gpus <= o.allocatable.gpus;
    const held = cands.map((o) => left.filter((p) => fitsOn(o, p)).length);
    const most = Math.max(0, ...held);
    const eligible = cands.filter((_, i) => held[i] === most && most > 0);
    const allShapes = shapesOf(left);
    const subsetShapes = (o: Offering) => (most === left.length ? allShapes : shapesOf(left.filter((p) => fitsOn(o, p))));
    const limit = cls.sample.task.distinctGroup ? 1 : Infinity;
    let best: { o: Offering; count: number; usd: number; shapes: Shape[] } | undefined;
    // Most promising first by each type's own fractional bound (price x nodes if tasks were
    // divisible); a type whose bound already reaches the best cost found cannot win.
    const ordered = eligible
      .map((o, i) => {
        const shapes = subsetShapes(o);
        const d = shapes.reduce((a, sh) => ({ cpu: a.cpu + sh.demand.cpu * sh.members.length, mem: a.mem + sh.demand.memoryMiB * sh.members.length, gpus: a.gpus + sh.demand.gpus * sh.members.length }), { cpu: 0, mem: 0, gpus: 0 });
        const lb = o.price.usdPerHour * Math.max(d.cpu / o.allocatable.cpu || 0, d.mem / o.allocatable.memoryMiB || 0, d.gpus ? d.gpus / o.allocatable.gpus : 0);
        return { o, i, lb, shapes };
      })
      .sort((a, b) => a.lb - b.lb || a.i - b.i);
    for (const { o, lb, shapes } of ordered) {
      if (best && lb >= best.usd - 1e-12) break;
      const count = nodesNeeded(o, shapes, limit, best ? Math.floor(best.usd / o.price.usdPerHour + 1e-9) : Infinity);
      if (count === undefined) continue;
      const usd = count * o.price.usdPerHour;
      if (!best || usd < best.usd - 1e-12) best = { o, count, usd, shapes };
    }
    const dropped = best ? left.filter((p) => !fitsOn(best.o, p)) : left;
    for (const p of dropped) {
      const reason = groups ? `no node group is compatible with it and large enough (${cls.key})` : `the one instance type chosen for its class (${best?.o.type.name ?? 'none'}) cannot hold it (${cls.key})`;
      unschedulable.push({ taskId: p.task.id, reason });
      decisions.push(unschedulableDecision(p.task.id, reason));
    }
    if (!best) continue;
    const before = nodes.length;
    seq = materialise(best.o, best.shapes, limit, input.nodeAttributes, nodes, placements, seq);
    const ids = nodes.slice(before).map((n) => n.id);
    const name = groupOf(best.o)?.name ?? `${best.o.type.name}-group`;
    launches.push({
      offering: best.o,
      nodeIds: ids,
      reason: `node group ${name} (${describe(best.o)}) scaled by ${ids.length} for ${left.length - dropped.length} task(s) of class ${cls.key}: $${(ids.length * best.o.price.usdPerHour).toFixed(4)}/h, the cheapest of ${eligible.length} group type(s) tried`,
    });
  }
  return assemble(nodes, launches, placements, unschedulable, decisions);
}

function materialise(o: Offering, shapes: readonly Shape[], limit: number, extra: Attributes | undefined, nodes: WorkNode[], placements: Placement[], seq: number): number {
  const remaining = shapes.map((s) => s.members.length);
  const order = shapes.map((_, i) => i);
  while (remaining.some((r) => r > 0)) {
    const f = fill(o.allocatable, shapes, remaining, order, limit);
    const node: WorkNode = { id: `g-${++seq}`, offering: o, attributes: attributesOf(o, extra), isNew: true, used: { cpu: 0, memoryMiB: 0, gpus: 0 }, tasks: [], distinct: new Set() };
    f.index.forEach((i, k) => {
      for (let j = 0; j < f.count[k]!; j++) {
        const p = shapes[i]!.members[shapes[i]!.members.length - remaining[i]!]!;
        remaining[i]!--;
        put(node, p.task);
        placements.push({ taskId: p.task.id, nodeId: node.id, reason: `filled onto node-group node ${node.id} (${o.type.name})` });
      }
    });
    nodes.push(node);
  }
  return seq;
}
