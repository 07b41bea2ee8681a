import { describe, expect, it } from 'vitest';
import type { TaskAgent } from '../agent-contract/task-contract.js';
import { MemoryStore } from '../store/memory-store.js';
import { controlPlaneReads } from './control-plane-reads.js';
import { createEcsControl } from './ecs-control.js';

const agent: TaskAgent = { launch: () => undefined, stop: () => undefined, capacity: () => ({ cpu: 4096, memory: 8192 }) };
const now = new Date('2026-01-01T00:00:00Z');
const scope = { accountId: '000000000000', region: 'us-east-1', principalArn: 'arn:aws:iam::000000000000:root', now };

async function setup() {
  const store = new MemoryStore();
  const ecs = createEcsControl(store, agent);
  // Cluster names where one is a prefix of the other: a cluster's tasks must not include the other's.
  for (const clusterName of ['c', 'c2']) await ecs.clusters.create(scope, { clusterName });
  await ecs.taskDefinitions.register(scope, { family: 'f', containerDefinitions: [{ name: 'a', image: 'x', memory: 64 }] });
  return { ecs, reads: controlPlaneReads(store, ecs) };
}

describe('controlPlaneReads', () => {
  it('lists the ACTIVE services of every cluster and leaves draining ones out', async () => {
    const { ecs, reads } = await setup();
    await ecs.services.create(scope, { cluster: 'c', serviceName: 'web', taskDefinition: 'f', desiredCount: 0 });
    await ecs.services.create(scope, { cluster: 'c2', serviceName: 'api', taskDefinition: 'f', desiredCount: 0 });
    await ecs.services.create(scope, { cluster: 'c2', serviceName: 'old', taskDefinition: 'f', desiredCount: 0 });
    await ecs.services.delete(scope, 'c2', 'old', false);
    const names = (await reads.activeServices()).map((s) => s.serviceName).sort();
    expect(names).toEqual(['api', 'web']);
  });

  it('lists the tasks of one cluster only', async () => {
    const { ecs, reads } = await setup();
    const inC = (await ecs.tasks.run(scope, { cluster: 'c', taskDefinition: 'f', count: 2 })).tasks.map((t) => t.taskArn);
    await ecs.tasks.run(scope, { cluster: 'c2', taskDefinition: 'f', count: 1 });
    const clusterArn = 'arn:aws:ecs:us-east-1:000000000000:cluster/c';
    expect((await reads.clusterTasks(clusterArn)).map((t) => t.taskArn).sort()).toEqual(inC.sort());
    expect(await reads.clusterTasks(`${clusterArn}3`)).toEqual([]);
  });

  it('adds events to a service, newest first, and ignores a service that is gone', async () => {
    const { ecs, reads } = await setup();
    await ecs.services.create(scope, { cluster: 'c', serviceName: 'web', taskDefinition: 'f', desiredCount: 0 });
    const clusterArn = 'arn:aws:ecs:us-east-1:000000000000:cluster/c';
    await reads.appendServiceEvents(clusterArn, 'web', ['first', 'second'], now);
    const [web] = (await ecs.services.describe(scope, 'c', ['web'])).found;
    expect(web!.events.slice(0, 2).map((e) => e.message)).toEqual(['second', 'first']);
    expect(await reads.appendServiceEvents(clusterArn, 'nope', ['x'], now)).toBe(false);
  });
});
