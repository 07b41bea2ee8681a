import { describe, expect, it } from 'vitest';
import { DomainError } from '../../lib/errors.js';
import type { StopReason, TaskAgent } from '../../agent-contract/task-contract.js';
import { MemoryStore } from '../../store/memory-store.js';
import { createEcsControl } from '../ecs-control.js';
import { interruptSpotTask, SPOT_INTERRUPTION_REASON } from './spot-interruption.js';

const scope = { accountId: '000000000000', region: 'us-east-1', principalArn: 'arn:aws:iam::000000000000:root', now: new Date('2026-01-01T00:00:00Z') };

describe('interruptSpotTask', () => {
  it('stops a FARGATE_SPOT task with SpotInterruption and refuses a FARGATE one', async () => {
    const stops: Array<{ arn: string; reason: StopReason }> = [];
    const agent: TaskAgent = { launch: () => undefined, stop: (arn, reason) => void stops.push({ arn, reason }), capacity: () => ({ cpu: 4096, memory: 8192 }) };
    const ecs = createEcsControl(new MemoryStore(), agent);
    await ecs.clusters.create(scope, {
      clusterName: 'c',
      capacityProviders: ['FARGATE', 'FARGATE_SPOT'],
      defaultCapacityProviderStrategy: [{ capacityProvider: 'FARGATE', weight: 1 }],
    });
    await ecs.taskDefinitions.register(scope, {
      family: 'f',
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: '256',
      memory: '512',
      containerDefinitions: [{ name: 'a', image: 'x' }],
    });
    const vpc = { awsvpcConfiguration: { subnets: ['subnet-1'] } };
    const spot = (await ecs.tasks.run(scope, { cluster: 'c', taskDefinition: 'f', networkConfiguration: vpc, capacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }] })).tasks[0]!;
    const plain = (await ecs.tasks.run(scope, { cluster: 'c', taskDefinition: 'f', networkConfiguration: vpc })).tasks[0]!;
    expect(spot.capacityProviderName).toBe('FARGATE_SPOT');
    expect(plain.capacityProviderName).toBe('FARGATE');

    const stopped = await interruptSpotTask(ecs.tasks, scope, 'c', spot.taskId);
    expect(stopped).toMatchObject({ desiredStatus: 'STOPPED', stopCode: 'SpotInterruption', stoppedReason: SPOT_INTERRUPTION_REASON });
    expect(stops).toEqual([{ arn: spot.taskArn, reason: { stopCode: 'SpotInterruption', stoppedReason: 'Your Spot Task was interrupted.' } }]);

    const err = await interruptSpotTask(ecs.tasks, scope, 'c', plain.taskArn).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).message).toMatch(/FARGATE_SPOT/);
    const missing = await interruptSpotTask(ecs.tasks, scope, 'c', '0'.repeat(32)).catch((e: unknown) => e);
    expect((missing as DomainError).message).toBe('The referenced task was not found.');
    expect(stops).toHaveLength(1);
  });
});
