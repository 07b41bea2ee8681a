/**
 * The working state both planners share: compatibility of tasks and offerings, zone spreading,
 * placement on existing nodes, task classes and shape-based packing. Deterministic throughout:
 * every iteration order is a sort with a total tie-break.
 */
import { compileMemberOf, standardAttributes, type Attributes } from './constraints.js';
import { paretoOfferings } from './lower-bound.js';
import type { CapacityType, Decision, Launch, Node, Offering, PendingTask, Placement, Plan, Resources } from './types.js';

/** A node while a plan is being built. */
export interface WorkNode {
  readonly id: string;
  offering: Offering;
  attributes: Attributes;
  readonly isNew: boolean;
  readonly used: { cpu: number; memoryMiB: number; gpus: number };
  readonly tasks: PendingTask[];
  readonly distinct: Set<string>;
}

/** A task with the zone its spread group assigned it, if any. */
export interface Pending {
  readonly task: PendingTask;
  readonly zone?: string;
}

/** Tasks that can go on exactly the same offerings: same requirements, so one packing serves all. */
export interface TaskClass {
  readonly key: string;
  readonly sample: Pending;
  readonly members: Pending[];
}

/** A group of tasks with identical demand inside a class. */
export interface Shape {
  readonly demand: Resources;
  readonly members: Pending[];
}

/** Whether the task may run on a node with these attributes, offering and zone. */
export function compatible(p: Pending, offering: Offering, attributes: Attributes): boolean {
  const t = p.task;
  if (t.arch && offering.type.arch !== t.arch) return false;
  if (p.zone && offering.zone !== p.zone) return false;
  if (t.capacityTypes && !t.capacityTypes.includes(offering.capacityType as CapacityType)) return false;
  if (t.demand.gpus > offering.allocatable.gpus) return false;
  return (t.memberOf ?? []).every((e) => compileMemberOf(e)(attributes));
}

/** Attributes a new node of this offering would carry. */
export const attributesOf = (o: Offering, extra?: Attributes): Attributes => standardAttributes(o.type.name, o.zone, o.type.arch, extra);

/** Whether a node has room for the task (resources and distinct-instance groups). */
export function hasRoom(n: WorkNode, t: PendingTask): boolean {
  const a = n.offering.allocatable;
  return (
    n.used.cpu + t.demand.cpu <= a.cpu &&
    n.used.memoryMiB + t.demand.memoryMiB <= a.memoryMiB &&
    n.used.gpus + t.demand.gpus <= a.gpus &&
    !(t.distinctGroup && n.distinct.has(t.distinctGroup))
  );
}

/** Puts a task on a node. */
export function put(n: WorkNode, t: PendingTask): void {
  n.used.cpu += t.demand.cpu;
  n.used.memoryMiB += t.demand.memoryMiB;
  n.used.gpus += t.demand.gpus;
  n.tasks.push(t);
  if (t.distinctGroup) n.distinct.add(t.distinctGroup);
}

/** A mutable copy of an existing node. */
export function workNodeOf(n: Node): WorkNode {
  const w: WorkNode = { id: n.id, offering: n.offering, attributes: n.attributes, isNew: false, used: { cpu: 0, memoryMiB: 0, gpus: 0 }, tasks: [], distinct: new Set() };
  for (const t of n.tasks) put(w, t);
  return w;
}

/** Largest first by the biggest share of a reference capacity, then by id. */
export function bySizeDesc(a: Pending, b: Pending): number {
  const size = (p: Pending) => p.task.demand.cpu / 1024 + p.task.demand.memoryMiB / 4096 + p.task.demand.gpus * 8;
  return size(b) - size(a) || (a.task.id < b.task.id ? -1 : a.task.id > b.task.id ? 1 : 0);
}

/**
 * Assigns each task of a spread group the zone with the fewest of the group's tasks so far
 * (counting tasks already running), ties to the first zone by name: ECS spread, maxSkew 1.
 */
export function assignZones(tasks: readonly PendingTask[], zones: readonly string[], existing: readonly WorkNode[]): Pending[] {
  const counts = new Map<string, Map<string, number>>();
  for (const n of existing) for (const t of n.tasks) if (t.spreadGroup) bump(counts, t.spreadGroup, n.offering.zone);
  const sorted = [...zones].sort();
  return [...tasks]
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((task) => {
      if (!task.spreadGroup || sorted.length === 0) return { task };
      const c = counts.get(task.spreadGroup) ?? new Map<string, number>();
      const zone = sorted.reduce((best, z) => ((c.get(z) ?? 0) < (c.get(best) ?? 0) ? z : best), sorted[0]!);
      bump(counts, task.spreadGroup, zone);
      return { task, zone };
    });
}

function bump(m: Map<string, Map<string, number>>, group: string, zone: string): void {
  const c = m.get(group) ?? m.set(group, new Map()).get(group)!;
  c.set(zone, (c.get(zone) ?? 0) + 1);
}

/** Tries nodes in id order, first fit, largest tasks first; returns the tasks left over. */
export function firstFit(nodes: readonly WorkNode[], pending: readonly Pending[], placements: Placement[], why: (n: WorkNode) => string): Pending[] {
  const left: Pending[] = [];
  const ordered = [...nodes].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const p of [...pending].sort(bySizeDesc)) {
    const n = ordered.find((x) => hasRoom(x, p.task) && compatible(p, x.offering, x.attributes));
    if (!n) {
      left.push(p);
      continue;
    }
    put(n, p.task);
    placements.push({ taskId: p.task.id, nodeId: n.id, reason: why(n) });
  }
  return left;
}

/** Groups tasks by everything that decides which offerings they may use. */
export function classify(pending: readonly Pending[]): TaskClass[] {
  const classes = new Map<string, TaskClass>();
  for (const p of pending) {
    const t = p.task;
    const key = [t.arch ?? '*', p.zone ?? '*', (t.capacityTypes ?? []).join('+') || '*', (t.memberOf ?? []).join(' && ') || '*', t.distinctGroup ?? '', t.demand.gpus > 0 ? 'gpu' : ''].join('|');
    const c = classes.get(key) ?? classes.set(key, { key, sample: p, members: [] }).get(key)!;
    c.members.push(p);
  }
  return [...classes.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Shapes of a class, largest first. */
export function shapesOf(members: readonly Pending[]): Shape[] {
  const m = new Map<string, Shape>();
  for (const p of [...members].sort(bySizeDesc)) {
    const d = p.task.demand;
    const k = `${d.cpu}/${d.memoryMiB}/${d.gpus}`;
    (m.get(k) ?? m.set(k, { demand: d, members: [] }).get(k)!).members.push(p);
  }
  return [...m.values()].sort((a, b) => bySizeDesc(a.members[0]!, b.members[0]!));
}

/**
 * Greedy fill of one empty node: shapes in the given order, as many of each as fit and remain.
 * `limit` caps the task count (1 for distinct-instance classes). Stops early once the node has
 * less room than the smallest demand left in the order (`suffixMin`, from {@link suffixMinima}).
 */
export function fill(cap: Resources, shapes: readonly Shape[], remaining: readonly number[], order: readonly number[], limit: number, suffixMin?: SuffixMin): Fill {
  const index: number[] = [];
  const count: number[] = [];
  let cpu = cap.cpu;
  let mem = cap.memoryMiB;
  let gpu = cap.gpus;
  let total = 0;
  for (let k = 0; k < order.length; k++) {
    if (suffixMin && (cpu < suffixMin.cpu[k]! || mem < suffixMin.memoryMiB[k]!)) break;
    const i = order[k]!;
    const r = remaining[i]!;
    if (r === 0) continue;
    const d = shapes[i]!.demand;
    let n = Math.min(r, limit - total);
    if (d.cpu > 0) n = Math.min(n, Math.floor(cpu / d.cpu));
    if (d.memoryMiB > 0) n = Math.min(n, Math.floor(mem / d.memoryMiB));
    if (d.gpus > 0) n = Math.min(n, Math.floor(gpu / d.gpus));
    if (n <= 0) continue;
    index.push(i);
    count.push(n);
    total += n;
    cpu -= n * d.cpu;
    mem -= n * d.memoryMiB;
    gpu -= n * d.gpus;
  }
  return { index, count };
}

/** A node's fill: `count[k]` tasks of shape `index[k]`. */
export interface Fill {
  readonly index: readonly number[];
  readonly count: readonly number[];
}

/** How many times a fill can be repeated before some shape in it runs out (at least 1). */
export function repeats(f: Fill, remaining: readonly number[]): number {
  let r = Infinity;
  for (let k = 0; k < f.index.length; k++) r = Math.min(r, Math.floor(remaining[f.index[k]!]! / f.count[k]!));
  return Math.max(1, r === Infinity ? 1 : r);
}

/** For each position of an order, the least CPU and memory any shape from there on needs. */
export interface SuffixMin {
  readonly cpu: readonly number[];
  readonly memoryMiB: readonly number[];
}

/** Suffix minima of an order's demands, for {@link fill}'s early stop. */
export function suffixMinima(shapes: readonly Shape[], order: readonly number[]): SuffixMin {
  const cpu = new Array<number>(order.length);
  const memoryMiB = new Array<number>(order.length);
  let c = Infinity;
  let m = Infinity;
  for (let k = order.length - 1; k >= 0; k--) {
    c = Math.min(c, shapes[order[k]!]!.demand.cpu);
    m = Math.min(m, shapes[order[k]!]!.demand.memoryMiB);
    cpu[k] = c;
    memoryMiB[k] = m;
  }
  return { cpu, memoryMiB };
}

/** Output nodes with their tasks. */
export function finalNodes(nodes: readonly WorkNode[]): Node[] {
  return [...nodes]
    .filter((n) => !n.isNew || n.tasks.length > 0)
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((n) => ({ id: n.id, offering: n.offering, attributes: n.attributes, tasks: [...n.tasks] }));
}

/** A short human description of an offering. */
export function describe(o: Offering): string {
  return `${o.type.name} ${o.capacityType} in ${o.zone} at $${o.price.usdPerHour}/h (${o.price.basis})`;
}

/** Decisions for tasks nothing can hold. */
export function unschedulableDecision(taskId: string, reason: string): Decision {
  return { kind: 'unschedulable', subject: taskId, reason };
}

/** Compatible offerings for a class, Pareto-pruned, cheapest first. */
export function candidatesFor(cls: TaskClass, offerings: readonly Offering[], extra?: Attributes): Offering[] {
  const smallest = cls.members.reduce((a, p) => (p.task.demand.cpu + p.task.demand.memoryMiB < a.task.demand.cpu + a.task.demand.memoryMiB ? p : a), cls.members[0]!);
  const ok = offerings.filter((o) => compatible(cls.sample, o, attributesOf(o, extra)) && fitsOne(o, smallest));
  return paretoOfferings(ok);
}

const fitsOne = (o: Offering, p: Pending) =>
  o.allocatable.cpu >= p.task.demand.cpu && o.allocatable.memoryMiB >= p.task.demand.memoryMiB && o.allocatable.gpus >= p.task.demand.gpus;

/** Builds the Plan from the working state. */
export function assemble(nodes: readonly WorkNode[], launches: readonly Launch[], placements: readonly Placement[], unschedulable: readonly { taskId: string; reason: string }[], decisions: readonly Decision[]): Plan {
  const used = launches.filter((l) => l.nodeIds.length > 0);
  const newUsdPerHour = nodes.filter((n) => n.isNew && n.tasks.length > 0).reduce((s, n) => s + n.offering.price.usdPerHour, 0);
  return {
    launches: used,
    placements,
    unschedulable,
    newUsdPerHour,
    decisions: [
      ...used.map((l): Decision => ({ kind: 'launch', subject: `${l.nodeIds.length} x ${l.offering.type.name}`, reason: l.reason })),
      ...placements.map((p): Decision => ({ kind: 'place', subject: p.taskId, reason: p.reason })),
      ...decisions,
    ],
    nodes: finalNodes(nodes),
  };
}
