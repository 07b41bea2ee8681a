import {
  ClientException,
  CreateCapacityProviderCommand,
  CreateClusterCommand,
  DeleteCapacityProviderCommand,
  DescribeCapacityProvidersCommand,
  ECSClient,
  InvalidParameterException,
  ListTagsForResourceCommand,
  PutClusterCapacityProvidersCommand,
  RegisterTaskDefinitionCommand,
  ResourceInUseException,
  RunTaskCommand,
  TagResourceCommand,
  UpdateCapacityProviderCommand,
} from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminService } from '../../src/api/admin/admin-service.js';
import { ecsService } from '../../src/api/ecs/ecs-service.js';
import { createEcsControl } from '../../src/control/ecs-control.js';
import type { TaskAgent } from '../../src/agent-contract/task-contract.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { startFrontDoor, type TestFrontDoor } from '../support/front-door.js';
import { rawCall } from '../support/signed-fetch.js';
import { defaultSubnets } from '../support/default-vpc.js';

// The ECS API and the admin API over a real front door (SigV4, model validation, error shapes);
// tasks go to an agent that only records, since no container runs in this file.
const agent: TaskAgent = { launch: () => undefined, stop: () => undefined, capacity: () => ({ cpu: 4096, memory: 8192 }) };
let door: TestFrontDoor;
let ecs: ECSClient;

beforeAll(async () => {
  const control = createEcsControl(new MemoryStore(), agent);
  door = await startFrontDoor([ecsService(control), adminService(control)]);
  ecs = new ECSClient({ endpoint: door.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
});
afterAll(async () => {
  ecs?.destroy();
  await door?.close();
});

const asg = (name: string) => ({ autoScalingGroupArn: name });
const rejection = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as Error & { name: string });

describe('capacity providers over the ECS API', () => {
  it('creates, describes (with TAGS), updates and deletes a provider', async () => {
    const created = await ecs.send(new CreateCapacityProviderCommand({ name: 'api-workers', autoScalingGroupProvider: asg('api-grp'), tags: [{ key: 'team', value: 'infra' }] }));
    expect(created.capacityProvider).toMatchObject({
      name: 'api-workers',
      capacityProviderArn: 'arn:aws:ecs:us-east-1:000000000000:capacity-provider/api-workers',
      status: 'ACTIVE',
      type: 'EC2_AUTOSCALING',
      autoScalingGroupProvider: { managedScaling: { status: 'DISABLED', targetCapacity: 100 }, managedTerminationProtection: 'DISABLED', managedDraining: 'ENABLED' },
    });
    const arn = created.capacityProvider!.capacityProviderArn!;
    await ecs.send(new TagResourceCommand({ resourceArn: arn, tags: [{ key: 'env', value: 'dev' }] }));
    expect((await ecs.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toHaveLength(2);

    const plain = await ecs.send(new DescribeCapacityProvidersCommand({ capacityProviders: ['api-workers', 'nobody'] }));
    expect(plain.capacityProviders?.[0]?.tags).toBeUndefined();
    expect(plain.failures).toEqual([{ arn: 'arn:aws:ecs:us-east-1:000000000000:capacity-provider/nobody', reason: 'MISSING' }]);
    const tagged = await ecs.send(new DescribeCapacityProvidersCommand({ capacityProviders: [arn], include: ['TAGS'] }));
    expect(tagged.capacityProviders?.[0]?.tags).toEqual(expect.arrayContaining([{ key: 'team', value: 'infra' }, { key: 'env', value: 'dev' }]));

    const updated = await ecs.send(
      new UpdateCapacityProviderCommand({ name: 'api-workers', autoScalingGroupProvider: { managedScaling: { status: 'ENABLED', targetCapacity: 75 }, managedTerminationProtection: 'ENABLED' } }),
    );
    expect(updated.capacityProvider).toMatchObject({ updateStatus: 'UPDATE_COMPLETE', autoScalingGroupProvider: { managedTerminationProtection: 'ENABLED', managedScaling: { targetCapacity: 75 } } });

    const deleted = await ecs.send(new DeleteCapacityProviderCommand({ capacityProvider: 'api-workers' }));
    expect(deleted.capacityProvider).toMatchObject({ status: 'INACTIVE', updateStatus: 'DELETE_COMPLETE' });
  });

  it('lists FARGATE and FARGATE_SPOT with the account providers, page by page', async () => {
    for (const n of ['list-a', 'list-b']) await ecs.send(new CreateCapacityProviderCommand({ name: n, autoScalingGroupProvider: asg(`grp-${n}`) }));
    const names: string[] = [];
    let nextToken: string | undefined;
    for (let i = 0; i < 20; i++) {
      const page = await ecs.send(new DescribeCapacityProvidersCommand({ maxResults: 1, ...(nextToken && { nextToken }) }));
      expect(page.capacityProviders?.length).toBeLessThanOrEqual(1);
      names.push(...(page.capacityProviders ?? []).map((p) => p.name!));
      nextToken = page.nextToken;
      if (!nextToken) break;
    }
    expect(names.slice(0, 2)).toEqual(['FARGATE', 'FARGATE_SPOT']);
    expect(names).toEqual(expect.arrayContaining(['list-a', 'list-b']));
    const tooMany = await rejection(ecs.send(new DescribeCapacityProvidersCommand({ maxResults: 11 })));
    expect(tooMany).toBeInstanceOf(InvalidParameterException);
  });

  it('answers ECS exception names for invalid requests', async () => {
    const reserved = await rejection(ecs.send(new CreateCapacityProviderCommand({ name: 'fargate-x', autoScalingGroupProvider: asg('g1') })));
    expect(reserved).toBeInstanceOf(ClientException);
    expect(reserved?.message).toMatch(/cannot be prefixed with "aws", "ecs", or "fargate"/);
    await ecs.send(new CreateCapacityProviderCommand({ name: 'dup', autoScalingGroupProvider: asg('g-dup') }));
    expect(await rejection(ecs.send(new CreateCapacityProviderCommand({ name: 'dup', autoScalingGroupProvider: asg('g-other') })))).toBeInstanceOf(ClientException);
    const sameGroup = await rejection(ecs.send(new CreateCapacityProviderCommand({ name: 'dup2', autoScalingGroupProvider: asg('g-dup') })));
    expect(sameGroup?.message).toMatch(/already being used by another capacity provider/);
    // Ranges come from the model: targetCapacity is 1–100.
    const range = await rejection(
      ecs.send(new CreateCapacityProviderCommand({ name: 'range', autoScalingGroupProvider: { autoScalingGroupArn: 'g-r', managedScaling: { targetCapacity: 0 } } })),
    );
    expect(range).toBeInstanceOf(InvalidParameterException);
    const protection = await rejection(
      ecs.send(new CreateCapacityProviderCommand({ name: 'prot', autoScalingGroupProvider: { autoScalingGroupArn: 'g-p', managedTerminationProtection: 'ENABLED' } })),
    );
    expect(protection).toBeInstanceOf(ClientException);
    expect(await rejection(ecs.send(new DeleteCapacityProviderCommand({ capacityProvider: 'FARGATE' })))).toBeInstanceOf(ClientException);
  });

  it('associates providers with clusters by ECS rules and keeps one in use', async () => {
    await ecs.send(new CreateCapacityProviderCommand({ name: 'assoc', autoScalingGroupProvider: asg('g-assoc') }));
    const cluster = await ecs.send(
      new CreateClusterCommand({ clusterName: 'cp-assoc', capacityProviders: ['assoc'], defaultCapacityProviderStrategy: [{ capacityProvider: 'assoc', weight: 1, base: 1 }] }),
    );
    expect(cluster.cluster?.defaultCapacityProviderStrategy).toEqual([{ capacityProvider: 'assoc', weight: 1, base: 1 }]);
    const deleting = await ecs.send(new DeleteCapacityProviderCommand({ capacityProvider: 'assoc' }));
    expect(deleting.capacityProvider).toMatchObject({ status: 'ACTIVE', updateStatus: 'DELETE_FAILED' });
    expect(deleting.capacityProvider?.updateStatusReason).toMatch(/associated with cluster: cp-assoc/);
    const mixed = await rejection(
      ecs.send(
        new PutClusterCapacityProvidersCommand({
          cluster: 'cp-assoc',
          capacityProviders: ['assoc', 'FARGATE'],
          defaultCapacityProviderStrategy: [{ capacityProvider: 'assoc', weight: 1 }, { capacityProvider: 'FARGATE', weight: 1 }],
        }),
      ),
    );
    expect(mixed).toBeInstanceOf(InvalidParameterException);
    expect(mixed?.message).toMatch(/mix of capacity providers/);
    const unknown = await rejection(ecs.send(new PutClusterCapacityProvidersCommand({ cluster: 'cp-assoc', capacityProviders: ['nope'], defaultCapacityProviderStrategy: [] })));
    expect(unknown).toBeInstanceOf(InvalidParameterException);

    // A FARGATE_SPOT task that has not stopped keeps FARGATE_SPOT on the cluster.
    await ecs.send(new PutClusterCapacityProvidersCommand({ cluster: 'cp-assoc', capacityProviders: ['FARGATE', 'FARGATE_SPOT'], defaultCapacityProviderStrategy: [] }));
    const { taskDefinition } = await ecs.send(
      new RegisterTaskDefinitionCommand({ family: 'cp-spot', requiresCompatibilities: ['FARGATE'], networkMode: 'awsvpc', cpu: '256', memory: '512', containerDefinitions: [{ name: 'a', image: 'x' }] }),
    );
    const run = await ecs.send(
      new RunTaskCommand({
        cluster: 'cp-assoc',
        taskDefinition: taskDefinition!.taskDefinitionArn,
        capacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }],
        networkConfiguration: { awsvpcConfiguration: { subnets: defaultSubnets() } },
      }),
    );
    expect(run.tasks?.[0]?.capacityProviderName).toBe('FARGATE_SPOT');
    const inUse = await rejection(ecs.send(new PutClusterCapacityProvidersCommand({ cluster: 'cp-assoc', capacityProviders: ['FARGATE'], defaultCapacityProviderStrategy: [] })));
    expect(inUse).toBeInstanceOf(ResourceInUseException);
    expect(inUse?.message).toBe('The specified capacity provider is in use and cannot be removed.');
  });
});

describe('the admin API', () => {
  it('needs a signature scoped to the minato service, and refuses to interrupt a task not on FARGATE_SPOT', async () => {
    const body = JSON.stringify({ cluster: 'nowhere', task: '0'.repeat(32) });
    const wrongScope = await rawCall(door.endpoint, { target: 'MinatoAdmin.InterruptSpotTask', body, service: 'ecs' });
    expect(wrongScope.json?.__type).toBe('InvalidSignatureException');
    const unsigned = await rawCall(door.endpoint, { target: 'MinatoAdmin.InterruptSpotTask', body, sign: false });
    expect(unsigned.status).toBe(403);
    const missing = await rawCall(door.endpoint, { target: 'MinatoAdmin.InterruptSpotTask', body, service: 'minato' });
    expect(missing.json?.__type).toBe('ClusterNotFoundException');
    const noTask = await rawCall(door.endpoint, { target: 'MinatoAdmin.InterruptSpotTask', body: '{}', service: 'minato' });
    expect(noTask.json?.__type).toBe('InvalidParameterException');

    await ecs.send(new CreateClusterCommand({ clusterName: 'cp-admin', capacityProviders: ['FARGATE'] }));
    const { taskDefinition } = await ecs.send(
      new RegisterTaskDefinitionCommand({ family: 'cp-admin', requiresCompatibilities: ['FARGATE'], networkMode: 'awsvpc', cpu: '256', memory: '512', containerDefinitions: [{ name: 'a', image: 'x' }] }),
    );
    const run = await ecs.send(
      new RunTaskCommand({ cluster: 'cp-admin', taskDefinition: taskDefinition!.taskDefinitionArn, launchType: 'FARGATE', networkConfiguration: { awsvpcConfiguration: { subnets: defaultSubnets() } } }),
    );
    const refused = await rawCall(door.endpoint, {
      target: 'MinatoAdmin.InterruptSpotTask',
      body: JSON.stringify({ cluster: 'cp-admin', task: run.tasks![0]!.taskArn }),
      service: 'minato',
    });
    expect(refused.json).toMatchObject({ __type: 'ClientException' });
    expect(String(refused.json?.message)).toMatch(/FARGATE_SPOT/);
  });
});
