/**
 * The placement of `count` identical tasks on a snapshot of a cluster, as ECS describes it: keep
 * the instances that can take the task (ACTIVE, agent connected, enough CPU and memory, free host
 * ports, every memberOf expression, distinctInstance), order them by the strategy (the first step
 * decides, the next break its ties), take the first, and repeat with the snapshot updated, so that
 * later tasks of the same call see the earlier ones.
 *
 * Cost: one pass over the instances that can still take the task, per task, with no sorting. All
 * tasks of a call are alike, so an instance that cannot take one can never take a later one unless
 * it changes, and only the instance just chosen changes: it alone is re-checked after a placement
 * (memberOf may even start to hold there, e.g. `task:group == service:web`). Spread counts are kept
 * per value of the field and updated in place.
 */
import { checkPlacement, type PlacementRules, type StrategyStep } from './placement-rules.js';
import type { InstanceSnapshot, PlacementFailure, PlacementRequest, PlacementResult, RandomSource, TaskShape } from './types.js';

/** The reasons a task can fail to be placed, as ECS words them in `failures[].reason`. */
export const FailureReason = {
  Agent: 'AGENT',
  Cpu: 'RESOURCE:CPU',
  Memory: 'RESOURCE:MEMORY',
  Ports: 'RESOURCE:PORTS',
  MemberOf: 'MemberOf placement constraint unsatisfied.',
  DistinctInstance: 'DistinctInstance placement constraint unsatisfied.',
  /** No ACTIVE instance at all (ECS's words in RunTask's error and in service events). */
  NoInstances: 'No Container Instances were found in your cluster.',
  /** StartTask named an instance that is not registered in the cluster. */
  Missing: 'MISSING',
} as const;
/** One of {@link FailureReason}. */
export type FailureReason = (typeof FailureReason)[keyof typeof FailureReason];

/** How far an instance got through the checks, in the order they run; the furthest is the closest match. */
const STAGE_REASONS: readonly FailureReason[] = [FailureReason.Agent, FailureReason.Cpu, FailureReason.Memory, FailureReason.Ports, FailureReason.MemberOf, FailureReason.DistinctInstance];
const FITS = STAGE_REASONS.length;

/** A mutable copy of an instance, updated as tasks land on it. */
interface Slot {
  view: InstanceSnapshot & { remaining: { cpu: number; memory: number }; usedPorts: number[]; taskGroups: string[] };
  ports: Set<number>;
  /** Tasks of the request's group on this instance. */
  mine: number;
  stage: number;
  /** Per spread-by-attribute step: the index of this instance's value. */
  buckets: number[];
}

function slotOf(i: InstanceSnapshot, group: string): Slot {
  const view = { ...i, remaining: { ...i.remaining }, usedPorts: [...i.usedPorts], taskGroups: [...i.taskGroups] };
  let mine = 0;
  for (const g of i.taskGroups) if (g === group) mine++;
  return { view, ports: new Set(i.usedPorts), mine, stage: 0, buckets: [] };
}

/** Places `request.count` tasks; throws InvalidParameter when the constraints or strategy are invalid. */
export function place(instances: readonly InstanceSnapshot[], request: PlacementRequest, random: RandomSource): PlacementResult {
  return placeTasks(instances, request, request.count, checkPlacement(request.constraints, request.strategy), random);
}

/** How far an instance gets through the checks for one more task (FITS when it can take it). */
function stageOf(s: Slot, task: TaskShape, hostPorts: readonly number[], rules: PlacementRules | undefined): number {
  const v = s.view;
  if (!v.agentConnected) return 0;
  if (v.remaining.cpu < task.cpu) return 1;
  if (v.remaining.memory < task.memory) return 2;
  for (const p of hostPorts) if (s.ports.has(p)) return 3;
  if (!rules) return FITS;
  for (const f of rules.memberOf) if (!f(v)) return 4;
  if (rules.distinctInstance && s.mine > 0) return 5;
  return FITS;
}

/** Charges a slot with one task of `task`'s shape. */
function charge(s: Slot, task: TaskShape, hostPorts: readonly number[]): void {
  s.view.remaining.cpu -= task.cpu;
  s.view.remaining.memory -= task.memory;
  for (const p of hostPorts) {
    s.ports.add(p);
    s.view.usedPorts.push(p);
  }
  s.view.taskGroups.push(task.group);
  s.view.runningTasksCount++;
  s.mine++;
}

const hostPortsOf = (task: TaskShape) => [...new Set(task.hostPorts.filter((p) => p > 0))];

/** Places `count` tasks of one shape with rules already compiled (see placement-rules.ts). */
export function placeTasks(instances: readonly InstanceSnapshot[], task: TaskShape, count: number, rules: PlacementRules, random: RandomSource): PlacementResult {
  const placements: string[] = [];
  const failures: PlacementFailure[] = [];
  if (count <= 0) return { placements, failures };
  const slots = instances.filter((i) => i.status === 'ACTIVE').map((i) => slotOf(i, task.group));
  if (!slots.length) {
    for (let t = 0; t < count; t++) failures.push({ reason: FailureReason.NoInstances });
    return { placements, failures };
  }
  const hostPorts = hostPortsOf(task);

  // Steps before the first random one order the candidates; random then picks among the tied best.
  const firstRandom = rules.strategy.findIndex((s) => s.type === 'random');
  const ordering: StrategyStep[] = firstRandom < 0 ? rules.strategy : rules.strategy.slice(0, firstRandom);
  const spreadCounts = bucketize(slots, ordering);
  const key = makeKey(ordering, spreadCounts);

  const feasible: number[] = [];
  slots.forEach((s, k) => {
    s.stage = stageOf(s, task, hostPorts, rules);
    if (s.stage === FITS) feasible.push(k);
  });

  for (let t = 0; t < count; t++) {
    if (!feasible.length) {
      const failure = closest(slots);
      for (; t < count; t++) failures.push(failure);
      break;
    }
    const pos = choose(feasible, slots, key, ordering.length, firstRandom >= 0 ? random : undefined);
    const k = feasible[pos]!;
    const s = slots[k]!;
    placements.push(s.view.containerInstanceArn);
    charge(s, task, hostPorts);
    s.buckets.forEach((b, j) => spreadCounts[j]![b]!++);
    s.stage = stageOf(s, task, hostPorts, rules);
    if (s.stage !== FITS) {
      feasible[pos] = feasible[feasible.length - 1]!;
      feasible.pop();
    }
  }
  return { placements, failures };
}

/**
 * StartTask's placement: one task on each instance named (by ARN or id), in order, with the same
 * fit checks as {@link placeTasks} (agent, cpu, memory, ports) but neither constraints nor strategy,
 * and whatever the instance's status. An instance named twice is charged twice; a name that matches
 * no instance is MISSING.
 */
export function placeOnNamed(instances: readonly InstanceSnapshot[], refs: readonly string[], task: TaskShape): PlacementResult {
  const placements: string[] = [];
  const failures: PlacementFailure[] = [];
  const hostPorts = hostPortsOf(task);
  const slots = new Map<string, Slot>();
  for (const ref of refs) {
    const instance = instances.find((i) => i.containerInstanceArn === ref || i.containerInstanceArn.endsWith(`/${ref}`));
    if (!instance) {
      failures.push({ arn: ref, reason: FailureReason.Missing });
      continue;
    }
    let s = slots.get(instance.containerInstanceArn);
    if (!s) slots.set(instance.containerInstanceArn, (s = slotOf(instance, task.group)));
    const stage = stageOf(s, task, hostPorts, undefined);
    if (stage !== FITS) {
      failures.push({ arn: instance.containerInstanceArn, reason: STAGE_REASONS[stage]! });
      continue;
    }
    charge(s, task, hostPorts);
    placements.push(instance.containerInstanceArn);
  }
  return { placements, failures };
}

/** Assigns each slot its bucket per spread-by-attribute step; returns the tasks of the group per bucket. */
function bucketize(slots: Slot[], steps: readonly StrategyStep[]): number[][] {
  const counts: number[][] = [];
  for (const step of steps) {
    if (step.type !== 'spread' || step.by !== 'attribute') continue;
    const index = new Map<string | undefined, number>();
    const c: number[] = [];
    for (const s of slots) {
      // Instances without the attribute share one bucket of their own.
      const v = Object.prototype.hasOwnProperty.call(s.view.attributes, step.attribute) ? (s.view.attributes[step.attribute] ?? '') : undefined;
      let b = index.get(v);
      if (b === undefined) {
        b = c.length;
        index.set(v, b);
        c.push(0);
      }
      s.buckets.push(b);
      c[b]! += s.mine;
    }
    counts.push(c);
  }
  return counts;
}

/** The sort key of a slot for one step (lower is better). */
function makeKey(steps: readonly StrategyStep[], spreadCounts: number[][]): (s: Slot, step: number) => number {
  const bucketStep: number[] = [];
  let n = 0;
  for (const step of steps) bucketStep.push(step.type === 'spread' && step.by === 'attribute' ? n++ : -1);
  return (s, j) => {
    const step = steps[j]!;
    if (step.type === 'binpack') return s.view.remaining[step.resource];
    if (step.type === 'spread') return step.by === 'instance' ? s.mine : spreadCounts[bucketStep[j]!]![s.buckets[bucketStep[j]!]!]!;
    return 0;
  };
}

/**
 * The position in `feasible` of the best slot: lowest keys step by step; among slots tied on every
 * step, a uniform pick when the strategy has a random step (reservoir sampling, one draw per tie),
 * else the one listed first in the snapshot.
 */
function choose(feasible: readonly number[], slots: readonly Slot[], key: (s: Slot, step: number) => number, steps: number, random: RandomSource | undefined): number {
  let best = 0;
  let ties = 1;
  // The best slot's keys are kept, so each candidate costs one key per step compared.
  const bestKeys: number[] = [];
  const first = slots[feasible[0]!]!;
  for (let j = 0; j < steps; j++) bestKeys.push(key(first, j));
  for (let p = 1; p < feasible.length; p++) {
    const a = slots[feasible[p]!]!;
    let d = 0;
    let j = 0;
    for (; j < steps; j++) {
      d = key(a, j) - bestKeys[j]!;
      if (d !== 0) break;
    }
    if (d < 0) {
      best = p;
      ties = 1;
      bestKeys[j] = key(a, j);
      for (let r = j + 1; r < steps; r++) bestKeys[r] = key(a, r);
    } else if (d === 0) {
      if (random) {
        ties++;
        if (random() * ties < 1) best = p;
      } else if (feasible[p]! < feasible[best]!) best = p;
    }
  }
  return best;
}

/** The failure of a task no instance can take: the instance that got furthest through the checks. */
function closest(slots: readonly Slot[]): PlacementFailure {
  let best = slots[0]!;
  for (const s of slots) if (s.stage > best.stage) best = s;
  return { arn: best.view.containerInstanceArn, reason: STAGE_REASONS[best.stage]! };
}
