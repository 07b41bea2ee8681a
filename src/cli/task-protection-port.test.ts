import { describe, expect, it } from 'vitest';
import type { TaskAgent } from '../agent-contract/task-contract.js';
import { createEcsControl } from '../control/ecs-control.js';
import { MemoryStore } from '../store/memory-store.js';
import { taskProtectionPort } from './task-protection-port.js';

const agent: TaskAgent = { launch: () => undefined, stop: () => undefined, capacity: () => ({ cpu: 4096, memory: 8192 }) };
const now = new Date('2026-01-01T00:00:00Z');
const scope = { accountId: '000000000000', region: 'us-east-1', principalArn: 'arn:aws:iam::000000000000:root', now };

describe('taskProtectionPort', () => {
  it('acts for one task in its own cluster, and passes on ECS failures and errors', async () => {
    const ecs = createEcsControl(new MemoryStore(), agent);
    await ecs.clusters.create(scope, { clusterName: 'c' });
    await ecs.taskDefinitions.register(scope, { family: 'f', containerDefinitions: [{ name: 'a', image: 'x', memory: 64 }] });
    const [svc] = (await ecs.tasks.run(scope, { cluster: 'c', taskDefinition: 'f', group: 'service:web' })).tasks;
    const [solo] = (await ecs.tasks.run(scope, { cluster: 'c', taskDefinition: 'f' })).tasks;
    const port = taskProtectionPort(() => ecs.taskProtection, () => now);

    expect(await port.update(svc!.taskArn, true, 60)).toEqual({ protection: { taskArn: svc!.taskArn, protectionEnabled: true, expirationDate: now.getTime() + 3_600_000 } });
    expect(await port.get(svc!.taskArn)).toEqual({ protection: { taskArn: svc!.taskArn, protectionEnabled: true, expirationDate: now.getTime() + 3_600_000 } });
    expect(await port.update(solo!.taskArn, true)).toEqual({ failure: { arn: solo!.taskArn, reason: 'TASK_NOT_VALID', detail: 'The task is not part of a service.' } });
    expect(await port.update(svc!.taskArn, true, 0)).toEqual({
      error: { code: 'InvalidParameterException', message: 'expiresInMinutes must be between 1 and 2880.', status: 400 },
    });
    expect(await port.get(svc!.taskArn.replace('/c/', '/gone/'))).toMatchObject({ error: { code: 'ClusterNotFoundException', status: 400 } });
  });
});
