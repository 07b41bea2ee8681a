import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../lib/errors.js';
import { FailureReason, place } from './place.js';
import { compileFilter } from './query-language.js';
import { instance, seededRandom } from './testing.js';
import type { InstanceSnapshot, PlacementRequest, PlacementStrategyInput } from './types.js';

const ZONES = ['us-east-1a', 'us-east-1b', 'us-east-1c'];
const EXPRESSIONS = ['attribute:ecs.instance-type =~ t3.*', 'attribute:ecs.availability-zone != us-east-1c', 'not(task:group == service:db)', 'runningTasksCount < 3'];

const instanceArb = (n: number): fc.Arbitrary<InstanceSnapshot> =>
  fc
    .record({
      status: fc.constantFrom('ACTIVE', 'ACTIVE', 'ACTIVE', 'DRAINING'),
      connected: fc.constantFrom(true, true, true, false),
      zone: fc.constantFrom(...ZONES),
      type: fc.constantFrom('t3.small', 't3.large', 'm5.large'),
      cpu: fc.integer({ min: 0, max: 32 }).map((x) => x * 128),
      memory: fc.integer({ min: 0, max: 32 }).map((x) => x * 256),
      usedPorts: fc.subarray([80, 443, 8080]),
      taskGroups: fc.array(fc.constantFrom('service:web', 'service:db'), { maxLength: 3 }),
    })
    .map((r) =>
      instance(`n${n}`, {
        status: r.status,
        agentConnected: r.connected,
        attributes: { 'ecs.availability-zone': r.zone, 'ecs.instance-type': r.type },
        remaining: { cpu: r.cpu, memory: r.memory },
        usedPorts: r.usedPorts,
        taskGroups: r.taskGroups,
        runningTasksCount: r.taskGroups.length,
      }),
    );

const clusterArb = fc.integer({ min: 0, max: 10 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, k) => instanceArb(k))));

const strategyArb: fc.Arbitrary<PlacementStrategyInput[]> = fc.array(
  fc.constantFrom<PlacementStrategyInput>(
    { type: 'binpack', field: 'memory' },
    { type: 'binpack', field: 'cpu' },
    { type: 'spread', field: 'attribute:ecs.availability-zone' },
    { type: 'spread', field: 'instanceId' },
    { type: 'random' },
  ),
  { maxLength: 3 },
);

const requestArb: fc.Arbitrary<PlacementRequest> = fc.record({
  count: fc.integer({ min: 1, max: 25 }),
  cpu: fc.integer({ min: 0, max: 8 }).map((x) => x * 128),
  memory: fc.integer({ min: 0, max: 8 }).map((x) => x * 256),
  hostPorts: fc.subarray([80, 8080]),
  group: fc.constant('service:web'),
  constraints: fc.tuple(fc.subarray(EXPRESSIONS, { maxLength: 2 }), fc.boolean()).map(([exprs, distinct]) => [
    ...exprs.map((expression) => ({ type: 'memberOf' as const, expression })),
    ...(distinct ? [{ type: 'distinctInstance' as const }] : []),
  ]),
  strategy: strategyArb,
});

/** A deep copy that the test mutates while replaying a result, independently of the placer. */
const copy = (i: InstanceSnapshot) => ({ ...i, remaining: { ...i.remaining }, usedPorts: [...i.usedPorts], taskGroups: [...i.taskGroups] });
type Copy = ReturnType<typeof copy>;

/** Whether a task of `req` may go on `i` as it stands (the oracle, written apart from the placer). */
function admits(i: Copy, req: PlacementRequest): boolean {
  const member = req.constraints.filter((c) => c.type === 'memberOf').map((c) => compileFilter(c.expression!));
  const distinct = req.constraints.some((c) => c.type === 'distinctInstance');
  return (
    i.status === 'ACTIVE' &&
    i.agentConnected &&
    i.remaining.cpu >= req.cpu &&
    i.remaining.memory >= req.memory &&
    req.hostPorts.every((p) => !i.usedPorts.includes(p)) &&
    member.every((f) => f(i)) &&
    !(distinct && i.taskGroups.includes(req.group))
  );
}

function land(i: Copy, req: PlacementRequest): void {
  i.remaining.cpu -= req.cpu;
  i.remaining.memory -= req.memory;
  i.usedPorts.push(...req.hostPorts);
  i.taskGroups.push(req.group);
  i.runningTasksCount++;
}

describe('place', () => {
  it('places every task only where it fits, and accounts for every task', () => {
    fc.assert(
      fc.property(clusterArb, requestArb, fc.integer(), (cluster, req, seed) => {
        const result = place(cluster, req, seededRandom(seed));
        expect(result.placements.length + result.failures.length).toBe(req.count);
        const state = new Map(cluster.map((i) => [i.containerInstanceArn, copy(i)]));
        for (const arn of result.placements) {
          const i = state.get(arn)!;
          expect(admits(i, req)).toBe(true);
          land(i, req);
        }
        // A failure means that nothing could take the next task.
        if (result.failures.length) expect([...state.values()].some((i) => admits(i, req))).toBe(false);
        for (const f of result.failures) expect(Object.values(FailureReason)).toContain(f.reason);
      }),
      { numRuns: 300 },
    );
  });

  it('gives the same result for the same random source', () => {
    fc.assert(
      fc.property(clusterArb, requestArb, fc.integer(), (cluster, req, seed) => {
        expect(place(cluster, req, seededRandom(seed))).toEqual(place(cluster, req, seededRandom(seed)));
      }),
      { numRuns: 100 },
    );
  });

  it('binpack puts each task on the fitting instance with the least of the field left', () => {
    fc.assert(
      fc.property(clusterArb, requestArb, fc.constantFrom('cpu', 'memory') as fc.Arbitrary<'cpu' | 'memory'>, (cluster, base, field) => {
        const req = { ...base, strategy: [{ type: 'binpack' as const, field }] };
        const result = place(cluster, req, seededRandom(1));
        const state = cluster.map(copy);
        for (const arn of result.placements) {
          const least = Math.min(...state.filter((i) => admits(i, req)).map((i) => i.remaining[field]));
          const chosen = state.find((i) => i.containerInstanceArn === arn)!;
          expect(chosen.remaining[field]).toBe(least);
          land(chosen, req);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('spread keeps the tasks of the group within one of each other across values when resources allow', () => {
    const roomy = fc.array(fc.constantFrom(...ZONES), { minLength: 1, maxLength: 9 }).map((zones) =>
      zones.map((z, k) => instance(`s${k}`, { attributes: { 'ecs.availability-zone': z }, remaining: { cpu: 1 << 20, memory: 1 << 20 } })),
    );
    fc.assert(
      fc.property(roomy, fc.integer({ min: 1, max: 60 }), fc.constantFrom('attribute:ecs.availability-zone', 'instanceId', 'host'), (cluster, count, field) => {
        const req: PlacementRequest = { count, cpu: 128, memory: 128, hostPorts: [], group: 'service:web', constraints: [], strategy: [{ type: 'spread', field }] };
        const result = place(cluster, req, seededRandom(3));
        const valueOf = (arn: string) => {
          const i = cluster.find((x) => x.containerInstanceArn === arn)!;
          return field === 'attribute:ecs.availability-zone' ? i.attributes['ecs.availability-zone']! : arn;
        };
        const values = new Set(cluster.map((i) => valueOf(i.containerInstanceArn)));
        const counts = new Map([...values].map((v) => [v, 0]));
        for (const arn of result.placements) counts.set(valueOf(arn), counts.get(valueOf(arn))! + 1);
        expect(result.placements).toHaveLength(count);
        expect(Math.max(...counts.values()) - Math.min(...counts.values())).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('counts tasks of the group already running when spreading', () => {
    const cluster = [
      instance('a', { attributes: { 'ecs.availability-zone': 'us-east-1a' }, taskGroups: ['service:web', 'service:web'], runningTasksCount: 2 }),
      instance('b', { attributes: { 'ecs.availability-zone': 'us-east-1b' }, taskGroups: ['service:db', 'service:db'], runningTasksCount: 2 }),
    ];
    const req: PlacementRequest = { count: 2, cpu: 0, memory: 0, hostPorts: [], group: 'service:web', constraints: [], strategy: [{ type: 'spread', field: 'attribute:ecs.availability-zone' }] };
    expect(place(cluster, req, seededRandom(1)).placements).toEqual([cluster[1]!.containerInstanceArn, cluster[1]!.containerInstanceArn]);
  });

  it('sees tasks placed earlier in the same call (distinctInstance, ports)', () => {
    const cluster = [instance('a'), instance('b')];
    const base: PlacementRequest = { count: 3, cpu: 0, memory: 0, hostPorts: [], group: 'service:web', constraints: [], strategy: [] };
    const distinct = place(cluster, { ...base, constraints: [{ type: 'distinctInstance' }] }, seededRandom(1));
    expect(new Set(distinct.placements).size).toBe(2);
    expect(distinct.failures).toEqual([{ arn: cluster[0]!.containerInstanceArn, reason: FailureReason.DistinctInstance }]);
    const ports = place(cluster, { ...base, hostPorts: [80] }, seededRandom(1));
    expect(ports.placements).toHaveLength(2);
    expect(ports.failures[0]?.reason).toBe(FailureReason.Ports);
  });

  it('names the reason of the instance that came closest', () => {
    const req: PlacementRequest = { count: 2, cpu: 512, memory: 1024, hostPorts: [], group: 'family:x', constraints: [], strategy: [] };
    expect(place([], req, seededRandom(1)).failures).toEqual([{ reason: FailureReason.NoInstances }, { reason: FailureReason.NoInstances }]);
    expect(place([instance('d', { status: 'DRAINING' })], req, seededRandom(1)).failures[0]).toEqual({ reason: FailureReason.NoInstances });
    const off = instance('off', { agentConnected: false });
    const small = instance('small', { remaining: { cpu: 4096, memory: 512 } });
    const busy = instance('busy', { remaining: { cpu: 256, memory: 8192 } });
    expect(place([off], req, seededRandom(1)).failures[0]).toEqual({ arn: off.containerInstanceArn, reason: FailureReason.Agent });
    expect(place([off, busy], req, seededRandom(1)).failures[0]).toEqual({ arn: busy.containerInstanceArn, reason: FailureReason.Cpu });
    expect(place([busy, small], req, seededRandom(1)).failures[0]).toEqual({ arn: small.containerInstanceArn, reason: FailureReason.Memory });
    const member = { ...req, constraints: [{ type: 'memberOf' as const, expression: 'attribute:ecs.instance-type == g4dn.xlarge' }] };
    expect(place([small, instance('ok')], member, seededRandom(1)).failures[0]).toEqual({ arn: instance('ok').containerInstanceArn, reason: FailureReason.MemberOf });
  });

  it('rejects invalid rules before placing anything', () => {
    const req: PlacementRequest = { count: 1, cpu: 0, memory: 0, hostPorts: [], group: 'g', constraints: [{ type: 'memberOf', expression: 'attribute:x ==' }], strategy: [] };
    expect(() => place([instance('a')], req, seededRandom(1))).toThrow(DomainError);
  });
});
