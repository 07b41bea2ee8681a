/**
 * A Karpenter-style provisioner: for pending tasks, choose new instances (type, count, on-demand
 * or spot, zone) and where each task goes, minimising the hourly cost.
 *
 * Method: tasks first fill existing nodes. The rest are grouped into classes (same requirements)
 * and shapes (same demand). For each class we solve the fractional LP over its compatible
 * offerings (lower-bound.ts) and use its duals as each task's value; we then repeatedly pick the
 * offering whose greedy fill carries the most task value per dollar, launch as many identical
 * nodes as that fill can repeat, and finally move every new node to the cheapest offering that
 * still holds its tasks. The node-group baseline (one type per class) is also computed, and the
 * cheaper of the two plans is returned, so the result never costs more than that baseline.
 */
import type { Attributes } from './constraints.js';
import { fractionalBound, taskSplitBound, totalDemand } from './lower-bound.js';
import { planNodeGroups, type NodeGroup } from './baseline.js';
import {
  assemble, assignZones, attributesOf, candidatesFor, classify, compatible, describe, fill, firstFit, put, repeats, shapesOf, suffixMinima, workNodeOf,
  unschedulableDecision, type Fill, type Pending, type TaskClass, type WorkNode,
} from './planning.js';
import type { Decision, Launch, Node, Offering, PendingTask, Placement, Plan } from './types.js';

/** What to plan for. */
export interface ProvisionInput {
  readonly tasks: readonly PendingTask[];
  /** Every offering that may be launched (one region). */
  readonly offerings: readonly Offering[];
  readonly existing?: readonly Node[];
  /** Attributes new nodes get besides the standard ECS ones (a node template's labels). */
  readonly nodeAttributes?: Attributes;
  /** Fixed node groups to compare against too; the plan is never dearer than any of them. */
  readonly baselineGroups?: readonly NodeGroup[];
}

/** Plans new capacity; deterministic for a given input. */
export function provision(input: ProvisionInput): Plan {
  const mixed = planMixed(input);
  let best = mixed;
  const alternatives: { name: string; plan: Plan }[] = [{ name: 'one instance type per task class', plan: planNodeGroups(input) }];
  if (input.baselineGroups) alternatives.push({ name: 'the given node groups', plan: planNodeGroups(input, input.baselineGroups) });
  for (const alt of alternatives) {
    const better = alt.plan.unschedulable.length < best.unschedulable.length || (alt.plan.unschedulable.length === best.unschedulable.length && alt.plan.newUsdPerHour < best.newUsdPerHour - 1e-9);
    if (better) {
      best = {
        ...alt.plan,
        decisions: [
          ...alt.plan.decisions,
          { kind: 'keep', subject: 'plan', reason: `packing with ${alt.name} costs $${alt.plan.newUsdPerHour.toFixed(4)}/h, less than the mixed-type packing's $${mixed.newUsdPerHour.toFixed(4)}/h, so it is used` },
        ],
      };
    }
  }
  return best;
}

/** The mixed-type packing on its own (exported for tests and benchmarks). */
export function planMixed(input: ProvisionInput): Plan {
  const nodes = (input.existing ?? []).map(workNodeOf);
  const zones = [...new Set(input.offerings.map((o) => o.zone))].sort();
  const placements: Placement[] = [];
  const decisions: Decision[] = [];
  const pending = firstFit(nodes, assignZones(input.tasks, zones, nodes), placements, (n) => `existing node ${n.id} (${n.offering.type.name}) had room`);
  const launches: Launch[] = [];
  const unschedulable: { taskId: string; reason: string }[] = [];
  let seq = 0;
  for (const cls of classify(pending)) {
    // Room left on nodes planned for earlier classes is used before opening new ones.
    const left = firstFit(nodes.filter((n) => n.isNew), cls.members, placements, (n) => `room left on new node ${n.id} (${n.offering.type.name})`);
    if (left.length === 0) continue;
    const cands = candidatesFor(cls, input.offerings, input.nodeAttributes);
    let unplaced = left;
    if (cands.length) [seq, unplaced] = packClass(cls, left, cands, input.nodeAttributes, nodes, placements, launches, seq);
    for (const p of unplaced) {
      const reason = whyUnplaceable(p, cls, input.offerings, input.nodeAttributes);
      unschedulable.push({ taskId: p.task.id, reason });
      decisions.push(unschedulableDecision(p.task.id, reason));
    }
  }
  rightSize(nodes, input.offerings, input.nodeAttributes, launches);
  return assemble(nodes, launches, placements, unschedulable, decisions);
}

/** Why no offering can hold a task. */
export function whyUnplaceable(p: Pending, cls: TaskClass, offerings: readonly Offering[], extra?: Attributes): string {
  const compat = offerings.filter((o) => compatible(cls.sample, o, attributesOf(o, extra)));
  const largest = compat.reduce<Offering | undefined>((a, o) => (!a || o.allocatable.memoryMiB + o.allocatable.cpu > a.allocatable.memoryMiB + a.allocatable.cpu ? o : a), undefined);
  const offer = largest
    ? `the largest compatible offering, ${largest.type.name}, lets tasks reserve ${largest.allocatable.cpu} CPU units, ${largest.allocatable.memoryMiB} MiB and ${largest.allocatable.gpus} GPUs`
    : `no offering matches its requirements (${cls.key})`;
  return `needs ${p.task.demand.cpu} CPU units, ${p.task.demand.memoryMiB} MiB and ${p.task.demand.gpus} GPUs, but ${offer}`;
}

/** Packs a class onto new nodes; returns the node counter and the tasks no offering could hold. */
function packClass(cls: TaskClass, left: Pending[], cands: Offering[], extra: Attributes | undefined, nodes: WorkNode[], placements: Placement[], launches: Launch[], seq: number): [number, Pending[]] {
  const shapes = shapesOf(left);
  const remaining = shapes.map((s) => s.members.length);
  const limit = cls.sample.task.distinctGroup ? 1 : Infinity;
  // Task values: from the task-split LP's dual (each task at its cheapest fitting type), else the aggregate LP's resource prices.
  const split = taskSplitBound(shapes.map((s) => ({ demand: s.demand, count: s.members.length })), cands);
  const d = fractionalBound(totalDemand(left.map((p) => p.task.demand)), cands)?.duals ?? { cpu: 1, memoryMiB: 0, gpus: 0 };
  const value = split ? [...split.values] : shapes.map((s) => s.demand.cpu * d.cpu + s.demand.memoryMiB * d.memoryMiB + s.demand.gpus * d.gpus);
  const orders = [
    shapes.map((_, i) => i),
    shapes.map((_, i) => i).sort((a, b) => shapes[b]!.demand.cpu - shapes[a]!.demand.cpu || a - b),
    shapes.map((_, i) => i).sort((a, b) => shapes[b]!.demand.memoryMiB - shapes[a]!.demand.memoryMiB || a - b),
  ];
  const minima = orders.map((order) => suffixMinima(shapes, order));
  const evaluate = (o: Offering) => {
    let top: { o: Offering; f: Fill; ratio: number; worth: number } | undefined;
    for (let k = 0; k < orders.length; k++) {
      const f = fill(o.allocatable, shapes, remaining, orders[k]!, limit, minima[k]);
      let worth = 0;
      for (let j = 0; j < f.index.length; j++) worth += f.count[j]! * (value[f.index[j]!]! + 1e-12);
      if (worth <= 0) continue;
      const ratio = worth / o.price.usdPerHour;
      if (!top || ratio > top.ratio + 1e-12) top = { o, f, ratio, worth };
    }
    return top;
  };
  while (remaining.some((r) => r > 0)) {
    let best: { o: Offering; f: Fill; ratio: number; worth: number } | undefined;
    let second: typeof best;
    for (const o of cands) {
      const fresh = evaluate(o);
      if (!fresh) continue;
      if (!best || fresh.ratio > best.ratio + 1e-12 || (Math.abs(fresh.ratio - best.ratio) <= 1e-12 && fresh.worth > best.worth)) {
        if (best) second = best;
        best = fresh;
      } else if (!second || fresh.ratio > second.ratio) second = fresh;
    }
    if (!best) break;
    const repeat = repeats(best.f, remaining);
    const ids: string[] = [];
    for (let k = 0; k < repeat; k++) {
      const node: WorkNode = { id: `n-${++seq}`, offering: best.o, attributes: attributesOf(best.o, extra), isNew: true, used: { cpu: 0, memoryMiB: 0, gpus: 0 }, tasks: [], distinct: new Set() };
      best.f.index.forEach((i, k) => {
        for (let j = 0; j < best.f.count[k]!; j++) {
          const p = shapes[i]!.members[shapes[i]!.members.length - remaining[i]!]!;
          remaining[i]!--;
          put(node, p.task);
          placements.push({ taskId: p.task.id, nodeId: node.id, reason: `packed onto new node ${node.id} (${best.o.type.name})` });
        }
      });
      nodes.push(node);
      ids.push(node.id);
    }
    const held = best.f.count.reduce((s, c) => s + c, 0);
    const a = best.o.allocatable;
    const used = best.f.index.reduce((s, i, k) => ({ cpu: s.cpu + best.f.count[k]! * shapes[i]!.demand.cpu, mem: s.mem + best.f.count[k]! * shapes[i]!.demand.memoryMiB }), { cpu: 0, mem: 0 });
    const reason =
      `${repeat} x ${describe(best.o)}: each holds ${held} task(s) (cpu ${pct(used.cpu, a.cpu)}, memory ${pct(used.mem, a.memoryMiB)} of allocatable); ` +
      `task value per dollar ${best.ratio.toFixed(3)} (task values from the LP lower bound's dual; 1 would match the bound), best of ${cands.length} compatible offerings` +
      (second ? ` (next: ${second.o.type.name} ${second.ratio.toFixed(3)})` : '');
    launches.push({ offering: best.o, nodeIds: ids, reason });
  }
  return [seq, shapes.flatMap((s, i) => s.members.slice(s.members.length - remaining[i]!))];
}

const pct = (x: number, of: number) => (of > 0 ? `${Math.round((100 * x) / of)}%` : 'n/a');

/** What decides a task's compatibility (its demand aside). */
const classSignature = (t: PendingTask): string =>
  [t.arch ?? '*', t.spreadGroup ? 'spread' : '', (t.capacityTypes ?? []).join('+'), (t.memberOf ?? []).join('&&'), t.demand.gpus > 0 ? 'gpu' : ''].join('|');

/** Moves each new node to the cheapest offering that still holds (and is compatible with) all its tasks. */
function rightSize(nodes: WorkNode[], offerings: readonly Offering[], extra: Attributes | undefined, launches: Launch[]): void {
  const sorted = [...offerings].sort((a, b) => a.price.usdPerHour - b.price.usdPerHour || a.type.name.localeCompare(b.type.name) || a.zone.localeCompare(b.zone));
  const moved = new Map<string, { from: Offering; to: Offering; ids: string[]; tasks: number }>();
  // Nodes launched together hold the same kind of load, so the answer is cached per load and task classes.
  const cache = new Map<string, Offering | undefined>();
  for (const n of nodes) {
    if (!n.isNew) continue;
    const sig = `${n.offering.type.name}|${n.offering.zone}|${n.offering.capacityType}|${n.used.cpu}/${n.used.memoryMiB}/${n.used.gpus}|${[...new Set(n.tasks.map(classSignature))].sort().join(',')}`;
    const better = cache.has(sig) ? cache.get(sig) : sorted.find(
      (o) =>
        o.price.usdPerHour < n.offering.price.usdPerHour &&
        o.allocatable.cpu >= n.used.cpu && o.allocatable.memoryMiB >= n.used.memoryMiB && o.allocatable.gpus >= n.used.gpus &&
        n.tasks.every((t) => compatible(t.spreadGroup ? { task: t, zone: n.offering.zone } : { task: t }, o, attributesOf(o, extra))),
    );
    cache.set(sig, better);
    if (!better) continue;
    const key = `${n.offering.type.name}|${n.offering.zone}|${n.offering.capacityType}>${better.type.name}|${better.zone}|${better.capacityType}|${n.tasks.length}`;
    const m = moved.get(key) ?? moved.set(key, { from: n.offering, to: better, ids: [], tasks: n.tasks.length }).get(key)!;
    m.ids.push(n.id);
    n.offering = better;
    n.attributes = attributesOf(better, extra);
  }
  const movedIds = new Set([...moved.values()].flatMap((m) => m.ids));
  for (let i = launches.length - 1; i >= 0; i--) {
    const l = launches[i]!;
    const rest = l.nodeIds.filter((id) => !movedIds.has(id));
    if (rest.length === l.nodeIds.length) continue;
    if (rest.length) launches[i] = { ...l, nodeIds: rest };
    else launches.splice(i, 1);
  }
  for (const m of moved.values()) {
    launches.push({
      offering: m.to,
      nodeIds: m.ids,
      reason: `${m.ids.length} x ${describe(m.to)}: right-sized from ${m.from.type.name}, the cheapest offering that still holds each node's ${m.tasks} task(s)`,
    });
  }
}


