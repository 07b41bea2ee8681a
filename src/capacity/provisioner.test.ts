import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planNodeGroups, type NodeGroup } from './baseline.js';
import { itype, offer } from './catalog.fixtures.js';
import { taskSplitBound } from './lower-bound.js';
import { attributesOf, compatible } from './planning.js';
import { provision } from './provisioner.js';
import { Arch, CapacityType, type Node, type Offering, type PendingTask, type Plan } from './types.js';

const ZONES = ['z1', 'z2', 'z3'];
const TYPES = [
  [itype('c7i.large', 2, 4096), 0.089],
  [itype('c7i.2xlarge', 8, 16384), 0.357],
  [itype('m7i.xlarge', 4, 16384), 0.2016],
  [itype('r7i.large', 2, 16384), 0.1323],
  [itype('c7g.large', 2, 4096, Arch.ARM64), 0.0725],
  [itype('m7g.2xlarge', 8, 32768, Arch.ARM64), 0.3264],
  [itype('g5.xlarge', 4, 16384, Arch.X86_64, 1), 1.006],
] as const;
/** Every type in every zone, on demand, and on spot at a zone-dependent discount. */
const OFFERINGS: Offering[] = TYPES.flatMap(([t, usd]) =>
  ZONES.flatMap((z, i) => [offer(t, usd, z), offer(t, Number((usd * (0.3 + 0.1 * i)).toFixed(5)), z, CapacityType.Spot)]),
);

const task = fc.record({
  cpu: fc.integer({ min: 1, max: 16 }).map((n) => n * 256),
  mem: fc.integer({ min: 1, max: 32 }).map((n) => n * 512),
  gpus: fc.constantFrom(0, 0, 0, 1),
  arch: fc.constantFrom(undefined, undefined, Arch.X86_64, Arch.ARM64),
  member: fc.constantFrom(undefined, undefined, 'attribute:ecs.instance-type =~ c7*', 'attribute:ecs.instance-type != r7i.large'),
  distinct: fc.constantFrom(undefined, undefined, 'd1'),
  spread: fc.constantFrom(undefined, 's1'),
  cap: fc.constantFrom(undefined, [CapacityType.OnDemand], [CapacityType.Spot]),
});
const tasksArb = fc.array(task, { minLength: 0, maxLength: 40 }).map((list) =>
  list.map((t, i): PendingTask => ({
    id: `t${i}`,
    demand: { cpu: t.cpu, memoryMiB: t.mem, gpus: t.gpus },
    ...(t.arch ? { arch: t.arch } : {}),
    ...(t.member ? { memberOf: [t.member] } : {}),
    ...(t.distinct ? { distinctGroup: t.distinct } : {}),
    ...(t.spread ? { spreadGroup: t.spread } : {}),
    ...(t.cap ? { capacityTypes: t.cap } : {}),
  })),
);
/** Up to three existing nodes, possibly running a task already. */
const existingArb = fc.array(fc.record({ type: fc.integer({ min: 0, max: TYPES.length - 1 }), zone: fc.constantFrom(...ZONES), busy: fc.boolean() }), { maxLength: 3 }).map((list) =>
  list.map((e, i): Node => {
    const [type, usd] = TYPES[e.type]!;
    const o = offer(type, usd, e.zone);
    return { id: `e${i}`, offering: o, attributes: attributesOf(o), tasks: e.busy ? [{ id: `running${i}`, demand: { cpu: 256, memoryMiB: 512, gpus: 0 } }] : [] };
  }),
);

/** Checks the invariants every plan must keep. */
function checkPlan(plan: Plan, tasks: readonly PendingTask[], existing: readonly Node[]): void {
  const placedOn = new Map<string, string>();
  for (const n of plan.nodes) {
    const used = n.tasks.reduce((a, t) => ({ cpu: a.cpu + t.demand.cpu, mem: a.mem + t.demand.memoryMiB, gpus: a.gpus + t.demand.gpus }), { cpu: 0, mem: 0, gpus: 0 });
    expect(used.cpu).toBeLessThanOrEqual(n.offering.allocatable.cpu);
    expect(used.mem).toBeLessThanOrEqual(n.offering.allocatable.memoryMiB);
    expect(used.gpus).toBeLessThanOrEqual(n.offering.allocatable.gpus);
    const groups = n.tasks.flatMap((t) => (t.distinctGroup ? [t.distinctGroup] : []));
    expect(new Set(groups).size).toBe(groups.length);
    for (const t of n.tasks) {
      expect(placedOn.has(t.id)).toBe(false);
      placedOn.set(t.id, n.id);
      if (!t.id.startsWith('running')) expect(compatible({ task: t }, n.offering, n.attributes)).toBe(true);
    }
  }
  // Counts add up: every task placed exactly once or reported unschedulable, running tasks kept.
  expect(plan.placements.length + plan.unschedulable.length).toBe(tasks.length);
  for (const p of plan.placements) expect(placedOn.get(p.taskId)).toBe(p.nodeId);
  for (const u of plan.unschedulable) expect(placedOn.has(u.taskId)).toBe(false);
  for (const n of existing) for (const t of n.tasks) expect(placedOn.get(t.id)).toBe(n.id);
  // The cost is the sum of the new nodes' prices.
  const newNodes = plan.nodes.filter((n) => !existing.some((e) => e.id === n.id));
  expect(plan.newUsdPerHour).toBeCloseTo(newNodes.reduce((s, n) => s + n.offering.price.usdPerHour, 0), 9);
  expect(plan.launches.reduce((s, l) => s + l.nodeIds.length, 0)).toBe(newNodes.length);
  // Every decision carries a reason.
  for (const d of plan.decisions) expect(d.reason.length).toBeGreaterThan(10);
}

describe('provision', () => {
  it('keeps every invariant, never costs more than the node-group baselines, and is deterministic', () => {
    const groups: NodeGroup[] = [
      { name: 'x86', instanceType: 'm7i.xlarge', capacityType: CapacityType.OnDemand },
      { name: 'arm', instanceType: 'm7g.2xlarge', capacityType: CapacityType.OnDemand },
      { name: 'gpu', instanceType: 'g5.xlarge', capacityType: CapacityType.OnDemand },
      { name: 'spot', instanceType: 'c7i.2xlarge', capacityType: CapacityType.Spot },
    ];
    fc.assert(
      fc.property(tasksArb, existingArb, (tasks, existing) => {
        const input = { tasks, offerings: OFFERINGS, existing, baselineGroups: groups };
        const plan = provision(input);
        checkPlan(plan, tasks, existing);
        // Guaranteed by construction (both baselines are candidate plans), when they place as many tasks.
        for (const base of [planNodeGroups(input), planNodeGroups(input, groups)]) {
          checkPlan(base, tasks, existing);
          if (base.unschedulable.length === plan.unschedulable.length) expect(plan.newUsdPerHour).toBeLessThanOrEqual(base.newUsdPerHour + 1e-9);
          expect(plan.unschedulable.length).toBeLessThanOrEqual(base.unschedulable.length);
        }
        expect(provision(input)).toEqual(plan);
      }),
      { numRuns: 150 },
    );
  });

  it('spreads a spread group evenly over the zones', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), (n) => {
        const tasks: PendingTask[] = Array.from({ length: n }, (_, i) => ({ id: `s${i}`, demand: { cpu: 512, memoryMiB: 1024, gpus: 0 }, spreadGroup: 'web', capacityTypes: [CapacityType.OnDemand] }));
        const plan = provision({ tasks, offerings: OFFERINGS });
        const perZone = ZONES.map((z) => plan.nodes.filter((x) => x.offering.zone === z).reduce((s, x) => s + x.tasks.length, 0));
        expect(Math.max(...perZone) - Math.min(...perZone)).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('never costs less than the LP lower bound when every task may use every offering', () => {
    const onDemand = OFFERINGS.filter((o) => o.capacityType === CapacityType.OnDemand && o.type.gpus === 0);
    fc.assert(
      fc.property(fc.array(fc.record({ cpu: fc.integer({ min: 1, max: 8 }), mem: fc.integer({ min: 1, max: 16 }) }), { minLength: 1, maxLength: 60 }), (raw) => {
        const tasks: PendingTask[] = raw.map((r, i) => ({ id: `t${i}`, demand: { cpu: r.cpu * 256, memoryMiB: r.mem * 512, gpus: 0 } }));
        const plan = provision({ tasks, offerings: onDemand });
        const shapes = tasks.map((t) => ({ demand: t.demand, count: 1 }));
        expect(plan.newUsdPerHour).toBeGreaterThanOrEqual(taskSplitBound(shapes, onDemand)!.usdPerHour - 1e-9);
      }),
      { numRuns: 60 },
    );
  });

  it('explains its choices: Graviton for architecture-free work, and unplaceable tasks say why', () => {
    const tasks: PendingTask[] = [
      ...Array.from({ length: 8 }, (_, i) => ({ id: `w${i}`, demand: { cpu: 1024, memoryMiB: 2048, gpus: 0 }, capacityTypes: [CapacityType.OnDemand] })),
      { id: 'huge', demand: { cpu: 64 * 1024, memoryMiB: 1024, gpus: 0 } },
    ];
    const plan = provision({ tasks, offerings: OFFERINGS });
    expect(plan.unschedulable).toEqual([{ taskId: 'huge', reason: expect.stringMatching(/needs 65536 CPU units.*largest compatible offering/) }]);
    const archs = new Set(plan.nodes.map((n) => n.offering.type.arch));
    expect(archs).toEqual(new Set([Arch.ARM64]));
    expect(plan.launches[0]!.reason).toMatch(/holds \d+ task/);
  });
});
