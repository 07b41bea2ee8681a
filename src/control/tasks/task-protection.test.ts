import { describe, expect, it } from 'vitest';
import type { TaskAgent } from '../../agent-contract/task-contract.js';
import { MemoryStore } from '../../store/memory-store.js';
import { createEcsControl } from '../ecs-control.js';

const agent: TaskAgent = { launch: () => undefined, stop: () => undefined, capacity: () => ({ cpu: 4096, memory: 8192 }) };
const scope = (now: Date) => ({ accountId: '000000000000', region: 'us-east-1', principalArn: 'arn:aws:iam::000000000000:root', now });
const t0 = new Date('2026-01-01T00:00:00Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);

async function setup() {
  const store = new MemoryStore();
  const ecs = createEcsControl(store, agent);
  await ecs.clusters.create(scope(t0), { clusterName: 'c' });
  await ecs.taskDefinitions.register(scope(t0), { family: 'f', containerDefinitions: [{ name: 'a', image: 'x', memory: 64 }] });
  const { tasks } = await ecs.tasks.run(scope(t0), { cluster: 'c', taskDefinition: 'f', count: 2, group: 'service:web' });
  const { tasks: [standalone] } = await ecs.tasks.run(scope(t0), { cluster: 'c', taskDefinition: 'f' });
  return { ecs, store, service: tasks.map((t) => t.taskArn), standalone: standalone!.taskArn };
}

describe('TaskProtections', () => {
  it('keeps the protection in the task record until it lapses by the clock', async () => {
    const { ecs, service: [a, b] } = await setup();
    const out = await ecs.taskProtection.update(scope(t0), { cluster: 'c', tasks: [a!], protectionEnabled: true, expiresInMinutes: 5 });
    expect(out).toEqual({ protectedTasks: [{ taskArn: a, protectionEnabled: true, expirationDate: at(5).getTime() }], failures: [] });
    // Stored with the task (the service scheduler reads it from there).
    const [stored] = (await ecs.tasks.describe(scope(t0), 'c', [a!])).found;
    expect(stored?.protection).toEqual({ expiresAt: at(5).getTime() });
    expect((await ecs.taskProtection.get(scope(at(4)), 'c', undefined)).protectedTasks.map((p) => p.taskArn)).toEqual([a]);
    expect((await ecs.taskProtection.get(scope(at(5)), 'c', [a!, b!])).protectedTasks).toEqual([
      { taskArn: a, protectionEnabled: false },
      { taskArn: b, protectionEnabled: false },
    ]);
    // Default: two hours; a report from the agent keeps it.
    await ecs.taskProtection.update(scope(t0), { cluster: 'c', tasks: [b!], protectionEnabled: true });
    await ecs.tasks.applyReport(b!, { lastStatus: 'RUNNING' });
    expect((await ecs.taskProtection.get(scope(t0), 'c', [b!])).protectedTasks[0]?.expirationDate).toBe(at(120).getTime());
    await ecs.taskProtection.update(scope(t0), { cluster: 'c', tasks: [b!], protectionEnabled: false });
    expect((await ecs.tasks.describe(scope(t0), 'c', [b!])).found[0]?.protection).toBeUndefined();
  });

  it('refuses bad input before anything is stored, and fails tasks it cannot protect', async () => {
    const { ecs, store, service: [a], standalone } = await setup();
    const snapshot = async () => JSON.stringify(await store.collection('ecs-tasks').list());
    const before = await snapshot();
    await expect(ecs.taskProtection.update(scope(t0), { cluster: 'c', tasks: [a!], protectionEnabled: true, expiresInMinutes: 2881 })).rejects.toMatchObject({ kind: 'InvalidArgument' });
    await expect(ecs.taskProtection.update(scope(t0), { cluster: 'nope', tasks: [a!], protectionEnabled: true })).rejects.toMatchObject({ kind: 'NotFound', subject: 'cluster' });
    expect(await snapshot()).toBe(before);
    const out = await ecs.taskProtection.update(scope(t0), { cluster: 'c', tasks: [standalone, 'ffffffffffffffffffffffffffffffff'], protectionEnabled: true });
    expect(out.protectedTasks).toEqual([]);
    expect(out.failures.map((f) => f.reason)).toEqual(['TASK_NOT_VALID', 'MISSING']);
    expect(await snapshot()).toBe(before);
  });
});
