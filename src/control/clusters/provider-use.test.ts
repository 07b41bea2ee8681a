import { describe, expect, it } from 'vitest';
import { DomainError } from '../../lib/errors.js';
import type { TaskAgent } from '../../agent-contract/task-contract.js';
import { MemoryStore } from '../../store/memory-store.js';
import { createEcsControl } from '../ecs-control.js';
import { CLUSTER_MEMBERS } from './activity.js';

const agent: TaskAgent = { launch: () => undefined, stop: () => undefined, capacity: () => ({ cpu: 4096, memory: 8192 }) };
const scope = { accountId: '000000000000', region: 'us-east-1', principalArn: 'arn:aws:iam::000000000000:root', now: new Date('2026-01-01T00:00:00Z') };

async function failure(p: Promise<unknown>): Promise<DomainError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  if (!(err instanceof DomainError)) throw new Error(`expected a DomainError, got ${String(err)}`);
  return err;
}

function setup() {
  const store = new MemoryStore();
  return { store, ecs: createEcsControl(store, agent) };
}

describe('cluster ↔ capacity provider association', () => {
  it('accepts ACTIVE providers of the account besides the Fargate ones, and refuses unknown or deleted ones', async () => {
    const { ecs } = setup();
    await ecs.capacityProviders.create(scope, { name: 'ec2', autoScalingGroupProvider: { autoScalingGroupArn: 'grp' } });
    const c = await ecs.clusters.create(scope, {
      clusterName: 'a',
      capacityProviders: ['ec2', 'FARGATE'],
      defaultCapacityProviderStrategy: [{ capacityProvider: 'ec2', base: 2, weight: 1 }],
    });
    expect(c.capacityProviders).toEqual(['ec2', 'FARGATE']);
    expect((await failure(ecs.clusters.create(scope, { clusterName: 'b', capacityProviders: ['ghost'] }))).message).toMatch(/ghost does not exist/);
    await ecs.capacityProviders.create(scope, { name: 'gone', autoScalingGroupProvider: { autoScalingGroupArn: 'grp2' } });
    await ecs.capacityProviders.delete(scope, 'gone');
    expect((await failure(ecs.clusters.putCapacityProviders(scope, 'a', ['gone'], []))).subject).toBe('parameter');
  });

  it('checks strategies as ECS does', async () => {
    const { ecs } = setup();
    await ecs.capacityProviders.create(scope, { name: 'ec2', autoScalingGroupProvider: { autoScalingGroupArn: 'grp' } });
    await ecs.clusters.create(scope, { clusterName: 'a' });
    const put = (providers: string[], strategy: Array<{ capacityProvider: string; weight?: number; base?: number }>) =>
      failure(ecs.clusters.putCapacityProviders(scope, 'a', providers, strategy));
    expect((await put(['ec2', 'FARGATE'], [{ capacityProvider: 'ec2', weight: 1 }, { capacityProvider: 'FARGATE', weight: 1 }])).message).toMatch(/cannot contain a mix/);
    expect((await put(['FARGATE'], [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }])).message).toMatch(/not associated with the cluster/);
    expect((await put(['FARGATE', 'FARGATE_SPOT'], [{ capacityProvider: 'FARGATE', base: 1, weight: 1 }, { capacityProvider: 'FARGATE_SPOT', base: 1 }])).message).toMatch(
      /Only one capacity provider/,
    );
    expect((await put(['FARGATE'], [{ capacityProvider: 'FARGATE', weight: 0 }])).message).toMatch(/weight greater than zero/);
    expect((await put(['FARGATE', 'FARGATE'], [])).message).toMatch(/duplicates/);
    const many = Array.from({ length: 21 }, (_, i) => `p${i}`);
    expect((await put(many, [])).message).toMatch(/maximum number of capacity providers per cluster/);
  });

  it('refuses to remove a provider an unstopped task or a service uses (ResourceInUse)', async () => {
    const { ecs, store } = setup();
    await ecs.clusters.create(scope, { clusterName: 'a', capacityProviders: ['FARGATE', 'FARGATE_SPOT'] });
    await ecs.taskDefinitions.register(scope, { family: 'f', requiresCompatibilities: ['FARGATE'], networkMode: 'awsvpc', cpu: '256', memory: '512', containerDefinitions: [{ name: 'x', image: 'x' }] });
    const { tasks } = await ecs.tasks.run(scope, {
      cluster: 'a',
      taskDefinition: 'f',
      networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-1'] } },
      capacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }],
    });
    const err = await failure(ecs.clusters.putCapacityProviders(scope, 'a', ['FARGATE'], []));
    expect(err).toMatchObject({ kind: 'FailedPrecondition', subject: 'capacity-provider-in-use', message: 'The specified capacity provider is in use and cannot be removed.' });
    // FARGATE itself is free to go.
    await ecs.clusters.putCapacityProviders(scope, 'a', ['FARGATE_SPOT'], []);
    await ecs.tasks.applyReport(tasks[0]!.taskArn, { lastStatus: 'STOPPED' });
    // A service whose strategy names the provider holds it, until the service is INACTIVE.
    const clusterArn = tasks[0]!.clusterArn;
    await store.collection(CLUSTER_MEMBERS.services).put(`${clusterArn}/s1`, { serviceName: 's1', status: 'ACTIVE', capacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }] });
    expect((await failure(ecs.clusters.putCapacityProviders(scope, 'a', [], []))).subject).toBe('capacity-provider-in-use');
    await store.collection(CLUSTER_MEMBERS.services).put(`${clusterArn}/s1`, { serviceName: 's1', status: 'INACTIVE', capacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }] });
    expect((await ecs.clusters.putCapacityProviders(scope, 'a', [], [])).capacityProviders).toEqual([]);
  });
});
