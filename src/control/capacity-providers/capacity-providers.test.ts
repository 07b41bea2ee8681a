import { describe, expect, it } from 'vitest';
import { DomainError } from '../../lib/errors.js';
import type { TaskAgent } from '../../agent-contract/task-contract.js';
import { MemoryStore } from '../../store/memory-store.js';
import { createEcsControl } from '../ecs-control.js';
import { providerGroupName } from './capacity-provider.js';

const agent: TaskAgent = { launch: () => undefined, stop: () => undefined, capacity: () => ({ cpu: 4096, memory: 8192 }) };
const scope = { accountId: '000000000000', region: 'us-east-1', principalArn: 'arn:aws:iam::000000000000:root', now: new Date('2026-01-01T00:00:00Z') };
const asg = (name: string) => `arn:aws:autoscaling:us-east-1:000000000000:autoScalingGroup:0f2b4e8a-1c3d-4e5f-8a9b-0c1d2e3f4a5b:autoScalingGroupName/${name}`;

/** The domain error a promise rejects with (the test fails if it resolves). */
async function failure(p: Promise<unknown>): Promise<DomainError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  if (!(err instanceof DomainError)) throw new Error(`expected a DomainError, got ${String(err)}`);
  return err;
}

const setup = () => createEcsControl(new MemoryStore(), agent);

describe('CapacityProviders', () => {
  it('creates a provider with ECS defaults and finds it by name and ARN', async () => {
    const ecs = setup();
    const p = await ecs.capacityProviders.create(scope, { name: 'workers', autoScalingGroupProvider: { autoScalingGroupArn: asg('grp') } });
    expect(p).toMatchObject({
      capacityProviderArn: 'arn:aws:ecs:us-east-1:000000000000:capacity-provider/workers',
      status: 'ACTIVE',
      type: 'EC2_AUTOSCALING',
      autoScalingGroupProvider: {
        autoScalingGroupArn: asg('grp'),
        managedScaling: { status: 'DISABLED', targetCapacity: 100, minimumScalingStepSize: 1, maximumScalingStepSize: 10000, instanceWarmupPeriod: 300 },
        managedTerminationProtection: 'DISABLED',
        managedDraining: 'ENABLED',
      },
    });
    expect(providerGroupName(p)).toBe('grp');
    expect((await ecs.capacityProviders.get(scope, p.capacityProviderArn)).name).toBe('workers');
    expect((await ecs.capacityProviders.get(scope, 'FARGATE_SPOT')).type).toBe('FARGATE_SPOT');
    expect(providerGroupName(await ecs.capacityProviders.get(scope, 'FARGATE'))).toBe('');
  });

  it('turns a bare group name into a stable ARN, so the same group cannot back two providers', async () => {
    const ecs = setup();
    const a = await ecs.capacityProviders.create(scope, { name: 'a', autoScalingGroupProvider: { autoScalingGroupArn: 'my-group' } });
    expect(a.autoScalingGroupProvider?.autoScalingGroupArn).toMatch(/^arn:aws:autoscaling:us-east-1:000000000000:autoScalingGroup:[0-9a-f-]{36}:autoScalingGroupName\/my-group$/);
    const err = await failure(ecs.capacityProviders.create(scope, { name: 'b', autoScalingGroupProvider: { autoScalingGroupArn: 'my-group' } }));
    expect(err.message).toMatch(/already being used by another capacity provider/);
  });

  it.each(['aws-x', 'ECS1', 'Fargate2', 'bad name', '', 'x'.repeat(256)])('refuses the name %j with ECS message', async (name) => {
    const err = await failure(setup().capacityProviders.create(scope, { name, autoScalingGroupProvider: { autoScalingGroupArn: asg('g') } }));
    expect(err).toMatchObject({ kind: 'InvalidArgument', subject: 'request' });
    expect(err.message).toMatch(/cannot be prefixed with "aws", "ecs", or "fargate"/);
  });

  it('refuses a duplicate name, and managed termination protection without managed scaling', async () => {
    const ecs = setup();
    await ecs.capacityProviders.create(scope, { name: 'p', autoScalingGroupProvider: { autoScalingGroupArn: asg('g1') } });
    expect((await failure(ecs.capacityProviders.create(scope, { name: 'p', autoScalingGroupProvider: { autoScalingGroupArn: asg('g2') } }))).message).toMatch(
      /already exists/,
    );
    const err = await failure(
      ecs.capacityProviders.create(scope, { name: 'q', autoScalingGroupProvider: { autoScalingGroupArn: asg('g3'), managedTerminationProtection: 'ENABLED' } }),
    );
    expect(err.message).toMatch(/must have managed scaling enabled/);
    const ok = await ecs.capacityProviders.create(scope, {
      name: 'q',
      autoScalingGroupProvider: { autoScalingGroupArn: asg('g3'), managedTerminationProtection: 'ENABLED', managedScaling: { status: 'ENABLED', targetCapacity: 80 } },
    });
    expect(ok.autoScalingGroupProvider?.managedScaling).toMatchObject({ status: 'ENABLED', targetCapacity: 80 });
  });

  it('updates managed settings and keeps the rules', async () => {
    const ecs = setup();
    await ecs.capacityProviders.create(scope, { name: 'p', autoScalingGroupProvider: { autoScalingGroupArn: asg('g') } });
    const u = await ecs.capacityProviders.update(scope, { name: 'p', autoScalingGroupProvider: { managedScaling: { status: 'ENABLED', maximumScalingStepSize: 5 }, managedDraining: 'DISABLED' } });
    expect(u).toMatchObject({ updateStatus: 'UPDATE_COMPLETE', autoScalingGroupProvider: { managedDraining: 'DISABLED', managedScaling: { status: 'ENABLED', maximumScalingStepSize: 5, targetCapacity: 100 } } });
    expect((await failure(ecs.capacityProviders.update(scope, { name: 'p', autoScalingGroupProvider: { managedScaling: { minimumScalingStepSize: 6 } } }))).message).toMatch(/step size/);
    expect((await failure(ecs.capacityProviders.update(scope, { name: 'FARGATE', autoScalingGroupProvider: {} }))).message).toMatch(/reserved/);
    expect((await failure(ecs.capacityProviders.update(scope, { name: 'nope', autoScalingGroupProvider: {} }))).kind).toBe('NotFound');
  });

  it('lists FARGATE and FARGATE_SPOT first, then the account providers, a page at a time, and reports unknown names', async () => {
    const ecs = setup();
    for (const n of ['c', 'a', 'b']) await ecs.capacityProviders.create(scope, { name: n, autoScalingGroupProvider: { autoScalingGroupArn: asg(`g-${n}`) } });
    const names: string[] = [];
    let token: string | undefined;
    for (let i = 0; i < 10; i++) {
      const page = await ecs.capacityProviders.describe(scope, undefined, 2, token);
      names.push(...page.providers.map((p) => p.name));
      token = page.nextToken;
      if (!token) break;
    }
    expect(names).toEqual(['FARGATE', 'FARGATE_SPOT', 'a', 'b', 'c']);
    const some = await ecs.capacityProviders.describe(scope, ['b', 'zzz'], 10, undefined);
    expect(some.providers.map((p) => p.name)).toEqual(['b']);
    expect(some.failures).toEqual([{ arn: 'arn:aws:ecs:us-east-1:000000000000:capacity-provider/zzz', reason: 'MISSING' }]);
  });

  it('does not delete a provider a cluster uses (DELETE_FAILED, as ECS), and deletes it once removed', async () => {
    const ecs = setup();
    await ecs.capacityProviders.create(scope, { name: 'p', autoScalingGroupProvider: { autoScalingGroupArn: asg('g') } });
    await ecs.clusters.create(scope, { clusterName: 'web', capacityProviders: ['p'] });
    const failed = await ecs.capacityProviders.delete(scope, 'p');
    expect(failed).toMatchObject({ status: 'ACTIVE', updateStatus: 'DELETE_FAILED' });
    expect(failed.updateStatusReason).toMatch(/associated with cluster: web/);
    await ecs.clusters.putCapacityProviders(scope, 'web', [], []);
    const deleted = await ecs.capacityProviders.delete(scope, 'arn:aws:ecs:us-east-1:000000000000:capacity-provider/p');
    expect(deleted).toMatchObject({ status: 'INACTIVE', updateStatus: 'DELETE_COMPLETE' });
    expect(deleted.updateStatusReason).toBeUndefined();
    expect((await failure(ecs.capacityProviders.get(scope, 'p'))).kind).toBe('NotFound');
    expect((await failure(ecs.capacityProviders.delete(scope, 'p'))).kind).toBe('NotFound');
    expect((await failure(ecs.capacityProviders.delete(scope, 'FARGATE_SPOT'))).message).toMatch(/reserved/);
    // The group is free again once its provider is gone.
    await ecs.capacityProviders.create(scope, { name: 'p2', autoScalingGroupProvider: { autoScalingGroupArn: asg('g') } });
  });

  it('takes tags through the shared tagging, but not on the built-in providers', async () => {
    const ecs = setup();
    const p = await ecs.capacityProviders.create(scope, { name: 'p', autoScalingGroupProvider: { autoScalingGroupArn: asg('g') }, tags: [{ key: 'team', value: 'a' }] });
    await ecs.tagging.tag(scope, p.capacityProviderArn, [{ key: 'env', value: 'dev' }]);
    await ecs.tagging.untag(scope, p.capacityProviderArn, ['team']);
    expect(await ecs.tagging.list(scope, p.capacityProviderArn)).toEqual([{ key: 'env', value: 'dev' }]);
    const fargate = 'arn:aws:ecs:us-east-1:000000000000:capacity-provider/FARGATE';
    expect((await failure(ecs.tagging.tag(scope, fargate, [{ key: 'x', value: 'y' }]))).kind).toBe('NotFound');
  });
});
