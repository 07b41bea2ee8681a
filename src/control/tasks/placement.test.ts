import { describe, expect, it } from 'vitest';
import type { TaskAgent, TaskLaunchSpec } from '../../agent-contract/task-contract.js';
import { compileFilter } from '../../placement/query-language.js';
import { MemoryStore } from '../../store/memory-store.js';
import { CAPACITY_GROUP_ATTRIBUTE } from '../container-instances/container-instance.js';
import { createEcsControl } from '../ecs-control.js';
import type { TaskDefinitionRecord } from '../task-definitions/task-definition.js';
import { hostPortsOf } from './placement.js';

/** An agent that records launches and reports nothing by itself. */
function recordingAgent(): TaskAgent & { launched: TaskLaunchSpec[] } {
  const launched: TaskLaunchSpec[] = [];
  return { launched, launch: (s) => void launched.push(s), stop: () => undefined, capacity: () => ({ cpu: 4096, memory: 8192 }) };
}

const scope = { accountId: '000000000000', region: 'us-east-1', principalArn: 'arn:aws:iam::000000000000:root', now: new Date('2026-01-01T00:00:00Z') };

/** A control plane with cluster `c`, a task definition `f` of 256 MiB, and `instances` agents joined. */
async function cluster(instances: Array<{ memory: number; zone: string; group?: string }>) {
  const agent = recordingAgent();
  const ecs = createEcsControl(new MemoryStore(), agent, { compileFilter });
  await ecs.clusters.create(scope, { clusterName: 'c' });
  await ecs.taskDefinitions.register(scope, { family: 'f', containerDefinitions: [{ name: 'a', image: 'x', memory: 256 }] });
  const arns: string[] = [];
  for (const [i, spec] of instances.entries()) {
    const attributes = spec.group ? [{ name: CAPACITY_GROUP_ATTRIBUTE, value: spec.group }] : [];
    const record = await ecs.containerInstances.registerAgent(scope, {
      cluster: 'c',
      host: `10.0.0.${i + 1}`,
      agentVersion: '1.0.0',
      attributes,
      cpu: 2048,
      memory: spec.memory,
      availabilityZone: spec.zone,
    });
    arns.push(record.containerInstanceArn);
  }
  return { ecs, agent, arns };
}

describe('RunTask placement on container instances', () => {
  it('binpacks on memory: the fullest instance that fits takes every task', async () => {
    const { ecs, agent, arns } = await cluster([
      { memory: 4096, zone: 'us-east-1a' },
      { memory: 1024, zone: 'us-east-1b' },
      { memory: 2048, zone: 'us-east-1c' },
    ]);
    const { tasks, failures } = await ecs.tasks.run(scope, { cluster: 'c', taskDefinition: 'f', count: 4, placementStrategy: [{ type: 'binpack', field: 'memory' }] });
    expect(failures).toEqual([]);
    expect(tasks.map((t) => t.containerInstanceArn)).toEqual([arns[1], arns[1], arns[1], arns[1]]);
    expect(tasks[0]!.availabilityZone).toBe('us-east-1b');
    expect(agent.launched.map((s) => s.containerInstanceArn)).toEqual(tasks.map((t) => t.containerInstanceArn));
  });

  it('spreads over zones, and the tasks count against the instances they run on', async () => {
    const { ecs, arns } = await cluster([
      { memory: 1024, zone: 'us-east-1a' },
      { memory: 1024, zone: 'us-east-1b' },
      { memory: 1024, zone: 'us-east-1c' },
    ]);
    const strategy = [{ type: 'spread' as const, field: 'attribute:ecs.availability-zone' }];
    const first = await ecs.tasks.run(scope, { cluster: 'c', taskDefinition: 'f', count: 6, placementStrategy: strategy });
    const perInstance = arns.map((a) => first.tasks.filter((t) => t.containerInstanceArn === a).length);
    expect(perInstance).toEqual([2, 2, 2]);
    // 1024 MiB each: two more tasks per instance fit, the seventh of this call does not.
    const second = await ecs.tasks.run(scope, { cluster: 'c', taskDefinition: 'f', count: 7, placementStrategy: strategy });
    expect(second.tasks).toHaveLength(6);
    expect(second.failures).toHaveLength(1);
    expect(second.failures[0]!.reason).toBe('RESOURCE:MEMORY');
  });

  it('honours memberOf and reports the constraint when no instance satisfies it', async () => {
    const { ecs, arns } = await cluster([
      { memory: 4096, zone: 'us-east-1a' },
      { memory: 4096, zone: 'us-east-1b' },
    ]);
    const placed = await ecs.tasks.run(scope, {
      cluster: 'c',
      taskDefinition: 'f',
      count: 3,
      placementConstraints: [{ type: 'memberOf', expression: 'attribute:ecs.availability-zone == us-east-1b' }],
    });
    expect(placed.tasks.map((t) => t.containerInstanceArn)).toEqual([arns[1], arns[1], arns[1]]);
    const none = await ecs.tasks.run(scope, {
      cluster: 'c',
      taskDefinition: 'f',
      placementConstraints: [{ type: 'memberOf', expression: 'attribute:ecs.availability-zone == us-east-1z' }],
    });
    expect(none.tasks).toEqual([]);
    expect(none.failures[0]!.reason).toMatch(/MemberOf/);
  });

  it('splits a capacity provider strategy by base and weight over the providers’ agent groups', async () => {
    const { ecs, arns } = await cluster([
      { memory: 8192, zone: 'us-east-1a', group: 'blue' },
      { memory: 8192, zone: 'us-east-1b', group: 'green' },
    ]);
    for (const name of ['blue', 'green']) {
      await ecs.capacityProviders.create(scope, { name: `cp-${name}`, autoScalingGroupProvider: { autoScalingGroupArn: name } });
    }
    await ecs.clusters.putCapacityProviders(scope, 'c', ['cp-blue', 'cp-green'], []);
    const { tasks } = await ecs.tasks.run(scope, {
      cluster: 'c',
      taskDefinition: 'f',
      count: 7,
      capacityProviderStrategy: [
        { capacityProvider: 'cp-blue', base: 1, weight: 1 },
        { capacityProvider: 'cp-green', weight: 2 },
      ],
    });
    const blue = tasks.filter((t) => t.capacityProviderName === 'cp-blue');
    const green = tasks.filter((t) => t.capacityProviderName === 'cp-green');
    expect([blue.length, green.length]).toEqual([3, 4]);
    expect(new Set(blue.map((t) => t.containerInstanceArn))).toEqual(new Set([arns[0]]));
    expect(new Set(green.map((t) => t.containerInstanceArn))).toEqual(new Set([arns[1]]));
    expect(tasks.every((t) => t.launchType === 'EC2')).toBe(true);
    // An agent joining a provider's group shows the provider, as DescribeContainerInstances does.
    const late = await ecs.containerInstances.registerAgent(scope, {
      cluster: 'c',
      host: '10.0.0.9',
      agentVersion: '1.0.0',
      attributes: [{ name: CAPACITY_GROUP_ATTRIBUTE, value: 'green' }],
      cpu: 1024,
      memory: 1024,
    });
    expect(late.capacityProviderName).toBe('cp-green');
  });

  it('refuses a strategy naming a provider the cluster does not have', async () => {
    const { ecs } = await cluster([{ memory: 1024, zone: 'us-east-1a' }]);
    await expect(
      ecs.tasks.run(scope, { cluster: 'c', taskDefinition: 'f', capacityProviderStrategy: [{ capacityProvider: 'FARGATE', weight: 1 }] }),
    ).rejects.toThrow(/not associated with the cluster/);
  });

  it('reserves host ports from placement on, before the agent reports its bindings', async () => {
    const { ecs, arns } = await cluster([
      { memory: 4096, zone: 'us-east-1a' },
      { memory: 4096, zone: 'us-east-1b' },
    ]);
    await ecs.taskDefinitions.register(scope, {
      family: 'web',
      networkMode: 'bridge',
      containerDefinitions: [{ name: 'a', image: 'x', memory: 64, portMappings: [{ containerPort: 80, hostPort: 8080 }] }],
    });
    const { tasks, failures } = await ecs.tasks.run(scope, { cluster: 'c', taskDefinition: 'web', count: 3, placementStrategy: [{ type: 'binpack', field: 'memory' }] });
    expect(new Set(tasks.map((t) => t.containerInstanceArn))).toEqual(new Set(arns));
    expect(failures.map((f) => f.reason)).toEqual(['RESOURCE:PORTS']);
    // StartTask naming one instance twice cannot place two tasks on the same port either.
    const { tasks: none } = await ecs.tasks.start(scope, { cluster: 'c', taskDefinition: 'web', containerInstances: [arns[0]!, arns[0]!] });
    expect(none).toEqual([]);
  });

  it('StartTask charges each task it places: one instance named twice gets two tasks only if both fit', async () => {
    const { ecs, arns } = await cluster([{ memory: 384, zone: 'us-east-1a' }]);
    const { tasks, failures } = await ecs.tasks.start(scope, { cluster: 'c', taskDefinition: 'f', containerInstances: [arns[0]!, arns[0]!.split('/').pop()!] });
    expect(tasks).toHaveLength(1);
    expect(failures).toEqual([{ arn: arns[0], reason: 'RESOURCE:MEMORY' }]);
  });

  it('StartTask runs one task per named instance and reports the others', async () => {
    const { ecs, arns } = await cluster([
      { memory: 1024, zone: 'us-east-1a' },
      { memory: 128, zone: 'us-east-1b' },
    ]);
    const id = arns[0]!.split('/').pop()!;
    const { tasks, failures } = await ecs.tasks.start(scope, { cluster: 'c', taskDefinition: 'f', containerInstances: [id, arns[1]!, 'unknown'] });
    expect(tasks.map((t) => t.containerInstanceArn)).toEqual([arns[0]]);
    expect(failures).toEqual([
      { arn: arns[1], reason: 'RESOURCE:MEMORY' },
      { arn: 'unknown', reason: 'MISSING' },
    ]);
    const listed = await ecs.tasks.list(scope, 'c', { containerInstance: id, maxResults: 100 });
    expect(listed.items).toEqual([tasks[0]!.taskArn]);
  });
});

describe('RunTask on the control host', () => {
  /** A control plane on a 2-core control host of `hostMemory` MiB, with a Fargate task definition of 0.25 vCPU and `memory` MiB. */
  async function host(hostMemory: number, memory: string, options: { fargateCpuOvercommit?: number } = {}) {
    const agent: TaskAgent = { launch: () => undefined, stop: () => undefined, capacity: () => ({ cpu: 2048, memory: hostMemory }) };
    const ecs = createEcsControl(new MemoryStore(), agent, options);
    await ecs.clusters.create(scope, { clusterName: 'c' });
    await ecs.taskDefinitions.register(scope, {
      family: 'quarter',
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: '256',
      memory,
      containerDefinitions: [{ name: 'a', image: 'x' }],
    });
    const run = (count: number) =>
      ecs.tasks.run(scope, { cluster: 'c', taskDefinition: 'quarter', launchType: 'FARGATE', count, networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-1'] } } });
    return { ecs, run };
  }

  it('admits 20 Fargate tasks of 0.25 vCPU on a 2-core host: CPU is shared, each task keeps its own limit', async () => {
    const { run } = await host(16_384, '512');
    const placed = [];
    for (let i = 0; i < 2; i++) placed.push(...(await run(10)).tasks);
    expect(placed).toHaveLength(20);
    expect(placed.every((t) => t.containerInstanceArn === undefined && t.cpu === '256' && t.availabilityZone === 'us-east-1a')).toBe(true);
  });

  it('still refuses memory the host does not have, with RESOURCE:MEMORY', async () => {
    const { run } = await host(3072, '1024');
    const first = await run(2);
    expect(first.tasks).toHaveLength(2);
    // 3 GiB: the third task of 1 GiB fits, the fourth and fifth do not.
    const second = await run(3);
    expect(second.tasks).toHaveLength(1);
    expect(second.failures).toEqual([{ reason: 'RESOURCE:MEMORY' }, { reason: 'RESOURCE:MEMORY' }]);
  });

  it('reserves the CPU exactly with an overcommit factor of 1', async () => {
    const { run } = await host(16_384, '512', { fargateCpuOvercommit: 1 });
    const { tasks, failures } = await run(10);
    expect(tasks).toHaveLength(8);
    expect(failures).toEqual([{ reason: 'RESOURCE:CPU' }, { reason: 'RESOURCE:CPU' }]);
  });
});

describe('hostPortsOf', () => {
  const def = (networkMode: string, portMappings: Array<{ containerPort: number; hostPort?: number }>) =>
    ({ networkMode, containerDefinitions: [{ name: 'a', portMappings }] }) as unknown as TaskDefinitionRecord;

  it('reserves nothing for awsvpc tasks, which have addresses of their own, even with hostPort set', () => {
    expect(hostPortsOf(def('awsvpc', [{ containerPort: 8080, hostPort: 8080 }]))).toEqual([]);
  });

  it('reserves fixed bridge host ports, not dynamic ones (0 or absent)', () => {
    expect(hostPortsOf(def('bridge', [{ containerPort: 80, hostPort: 8080 }, { containerPort: 81, hostPort: 0 }, { containerPort: 82 }]))).toEqual([8080]);
  });

  it('reserves the container port in host mode', () => {
    expect(hostPortsOf(def('host', [{ containerPort: 7000 }]))).toEqual([7000]);
  });
});
