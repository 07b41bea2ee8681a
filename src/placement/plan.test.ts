import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../lib/errors.js';
import type { LaunchGroup } from './launch-groups.js';
import { FailureReason } from './place.js';
import { checkPlacement } from './placement-rules.js';
import { DEFAULT_FARGATE_CPU_OVERCOMMIT, plan, type PlanSnapshot } from './plan.js';
import { instance, seededRandom } from './testing.js';
import type { InstanceSnapshot, TaskShape } from './types.js';

const NOW = new Date('2026-01-01T00:00:00Z');
const GROUP_ATTRIBUTE = 'minato.capacity-group';

/** A 2-core, 4 GiB control host with nothing on it. */
const controlHost = (over: Partial<InstanceSnapshot> = {}) => ({ instance: instance('host', { containerInstanceArn: 'control-host', remaining: { cpu: 2048, memory: 4096 }, ...over }), cpu: 2048 });

const snapshotOf = (instances: InstanceSnapshot[], over: Partial<PlanSnapshot> = {}): PlanSnapshot => ({
  instances,
  controlHost: controlHost(),
  fargateCpuOvercommit: DEFAULT_FARGATE_CPU_OVERCOMMIT,
  providerGroups: { od: 'asg-od', spot: 'asg-spot' },
  groupAttribute: GROUP_ATTRIBUTE,
  ...over,
});

const task = (over: Partial<TaskShape> = {}): TaskShape => ({ cpu: 256, memory: 512, hostPorts: [], group: 'family:f', ...over });
const NO_RULES = checkPlacement([], []);

const instanceArb = (n: number): fc.Arbitrary<InstanceSnapshot> =>
  fc
    .record({
      connected: fc.constantFrom(true, true, true, false),
      cpu: fc.integer({ min: 0, max: 16 }).map((x) => x * 256),
      memory: fc.integer({ min: 0, max: 16 }).map((x) => x * 256),
      usedPorts: fc.subarray([80, 8080]),
      group: fc.constantFrom(undefined, 'asg-od', 'asg-spot'),
    })
    .map((r) =>
      instance(`n${n}`, {
        agentConnected: r.connected,
        attributes: { 'ecs.availability-zone': 'us-east-1a', ...(r.group && { [GROUP_ATTRIBUTE]: r.group }) },
        remaining: { cpu: r.cpu, memory: r.memory },
        usedPorts: r.usedPorts,
      }),
    );
const clusterArb = fc.integer({ min: 0, max: 8 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, k) => instanceArb(k))));
const taskArb = fc.record({
  cpu: fc.integer({ min: 0, max: 8 }).map((x) => x * 128),
  memory: fc.integer({ min: 0, max: 8 }).map((x) => x * 256),
  hostPorts: fc.subarray([80, 8080]),
  group: fc.constant('service:web'),
});
const groupsArb: fc.Arbitrary<LaunchGroup[]> = fc.oneof(
  fc.integer({ min: 1, max: 30 }).map((count) => [{ launchType: 'EC2' as const, count }]),
  fc.integer({ min: 1, max: 30 }).map((count) => [{ launchType: 'FARGATE' as const, count }]),
  fc.tuple(fc.integer({ min: 1, max: 10 }), fc.integer({ min: 1, max: 10 })).map(([a, b]) => [
    { launchType: 'FARGATE' as const, capacityProviderName: 'FARGATE', count: a },
    { launchType: 'FARGATE' as const, capacityProviderName: 'FARGATE_SPOT', count: b },
  ]),
);

describe('plan', () => {
  it('accounts for every task, and never places more on an instance (or the control host) than its memory holds', () => {
    fc.assert(
      fc.property(clusterArb, taskArb, groupsArb, fc.integer(), (instances, shape, groups, seed) => {
        const snapshot = snapshotOf(instances);
        const result = plan(snapshot, { groups, task: shape, rules: NO_RULES }, NOW, seededRandom(seed));
        const requested = groups.reduce((n, g) => n + g.count, 0);
        expect(result.placements.length + result.failures.length).toBe(requested);
        const host = snapshot.controlHost!.instance;
        const byArn = new Map([...instances, host].map((i) => [i.containerInstanceArn, i]));
        const perInstance = new Map<string, number>();
        for (const p of result.placements) perInstance.set(p.instance.containerInstanceArn, (perInstance.get(p.instance.containerInstanceArn) ?? 0) + 1);
        for (const [arn, n] of perInstance) {
          const i = byArn.get(arn)!;
          expect(n * shape.memory).toBeLessThanOrEqual(i.remaining.memory);
          if (i === host) {
            // Shared CPU: up to the overcommit factor times the host's units, never more.
            expect(n * shape.cpu).toBeLessThanOrEqual(i.remaining.cpu + snapshot.controlHost!.cpu * (snapshot.fargateCpuOvercommit - 1));
          } else {
            expect(n * shape.cpu).toBeLessThanOrEqual(i.remaining.cpu);
            if (shape.hostPorts.length) expect(n).toBe(1);
          }
        }
        for (const p of result.placements) expect(p.onControlHost).toBe(p.launchType === 'FARGATE' || instances.length === 0);
        // The control host is no container instance: its failures name none.
        if (groups[0]!.launchType === 'FARGATE') for (const f of result.failures) expect(f.arn).toBeUndefined();
        // The snapshot is the caller's: the plan does not change it.
        expect(snapshot.instances).toEqual(instances);
      }),
      { numRuns: 300 },
    );
  });

  it('agrees between StartTask on a named instance and RunTask over that instance alone', () => {
    fc.assert(
      fc.property(instanceArb(0), taskArb, fc.integer({ min: 1, max: 4 }), (one, shape, times) => {
        const ec2: LaunchGroup[] = [{ launchType: 'EC2', count: times }];
        const targets = Array<string>(times).fill(one.containerInstanceArn.split('/').pop()!);
        const started = plan(snapshotOf([one]), { groups: ec2, task: shape, rules: NO_RULES, targets }, NOW, seededRandom(1));
        const run = plan(snapshotOf([one]), { groups: ec2, task: shape, rules: NO_RULES }, NOW, seededRandom(1));
        expect(started.placements.map((p) => p.instance)).toEqual(run.placements.map((p) => p.instance));
        expect(started.failures).toEqual(run.failures);
      }),
      { numRuns: 300 },
    );
  });

  it('admits 20 Fargate tasks of 0.25 vCPU on a 2-core host, and still refuses memory it does not have', () => {
    const quarter = task({ cpu: 256, memory: 128 });
    const result = plan(snapshotOf([]), { groups: [{ launchType: 'FARGATE', count: 20 }], task: quarter, rules: NO_RULES }, NOW, Math.random);
    expect(result.failures).toEqual([]);
    expect(result.placements).toHaveLength(20);
    // 4 GiB of memory holds 8 tasks of 512 MiB, whatever the CPU.
    const big = plan(snapshotOf([]), { groups: [{ launchType: 'FARGATE', count: 10 }], task: task({ cpu: 256, memory: 512 }), rules: NO_RULES }, NOW, Math.random);
    expect(big.placements).toHaveLength(8);
    expect(big.failures).toEqual([{ reason: FailureReason.Memory }, { reason: FailureReason.Memory }]);
    // The factor bounds CPU: at 8x a 2-core host takes 64 quarter-vCPU tasks.
    const host = controlHost({ remaining: { cpu: 2048, memory: 1 << 20 } });
    const many = plan(snapshotOf([], { controlHost: host }), { groups: [{ launchType: 'FARGATE', count: 70 }], task: task({ cpu: 256, memory: 0 }), rules: NO_RULES }, NOW, Math.random);
    expect(many.placements).toHaveLength(64);
    expect(many.failures).toEqual(Array(6).fill({ reason: FailureReason.Cpu }));
  });

  it('reserves the control host CPU exactly for EC2 tasks of a cluster without instances', () => {
    const result = plan(snapshotOf([]), { groups: [{ launchType: 'EC2', count: 10 }], task: task({ cpu: 256, memory: 128 }), rules: NO_RULES }, NOW, Math.random);
    expect(result.placements).toHaveLength(8);
    expect(result.placements.every((p) => p.onControlHost)).toBe(true);
    expect(result.failures).toEqual(Array(2).fill({ reason: FailureReason.Cpu }));
  });

  it('places a provider group on its own agents only, and refuses a provider without any', () => {
    const od = instance('od', { attributes: { [GROUP_ATTRIBUTE]: 'asg-od' } });
    const spot = instance('spot', { attributes: { [GROUP_ATTRIBUTE]: 'asg-spot' } });
    const groups: LaunchGroup[] = [
      { launchType: 'EC2', capacityProviderName: 'od', count: 2 },
      { launchType: 'EC2', capacityProviderName: 'spot', count: 3 },
    ];
    const result = plan(snapshotOf([od, spot]), { groups, task: task(), rules: NO_RULES }, NOW, Math.random);
    expect(result.placements.map((p) => [p.capacityProviderName, p.instance.ec2InstanceId])).toEqual([
      ['od', 'i-od'],
      ['od', 'i-od'],
      ['spot', 'i-spot'],
      ['spot', 'i-spot'],
      ['spot', 'i-spot'],
    ]);
    expect(() => plan(snapshotOf([od]), { groups: groups.slice(1), task: task(), rules: NO_RULES }, NOW, Math.random)).toThrow(DomainError);
    expect(() => plan(snapshotOf([od], { providerGroups: {} }), { groups: groups.slice(0, 1), task: task(), rules: NO_RULES }, NOW, Math.random)).toThrow('was not found');
  });

  it('carries what one group takes over to the next group on the same instances', () => {
    // Two providers over one agent group: the second sees what the first placed.
    const shared = instance('a', { attributes: { [GROUP_ATTRIBUTE]: 'asg-od' }, remaining: { cpu: 4096, memory: 1024 } });
    const groups: LaunchGroup[] = [
      { launchType: 'EC2', capacityProviderName: 'od', count: 1 },
      { launchType: 'EC2', capacityProviderName: 'od2', count: 2 },
    ];
    const result = plan(snapshotOf([shared], { providerGroups: { od: 'asg-od', od2: 'asg-od' } }), { groups, task: task({ memory: 512 }), rules: NO_RULES }, NOW, Math.random);
    expect(result.placements).toHaveLength(2);
    expect(result.failures).toEqual([{ arn: shared.containerInstanceArn, reason: FailureReason.Memory }]);
  });
});
