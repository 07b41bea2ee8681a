import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AttributeLimitExceededException,
  ClientException,
  ClusterNotFoundException,
  CreateClusterCommand,
  DeleteAttributesCommand,
  DeregisterContainerInstanceCommand,
  DescribeClustersCommand,
  DescribeContainerInstancesCommand,
  ECSClient,
  InvalidParameterException,
  ListAttributesCommand,
  ListContainerInstancesCommand,
  PutAttributesCommand,
  RegisterContainerInstanceCommand,
  TargetNotFoundException,
  UpdateContainerInstancesStateCommand,
  type RegisterContainerInstanceCommandInput,
} from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ecsService } from '../../src/api/ecs/ecs-service.js';
import { CLUSTER_MEMBERS } from '../../src/control/clusters/activity.js';
import { createEcsControl, type EcsControl } from '../../src/control/ecs-control.js';
import type { TaskRecord } from '../../src/control/tasks/task.js';
import { DomainError } from '../../src/lib/errors.js';
import type { InstanceSnapshot } from '../../src/placement/types.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { awsCli } from '../support/aws-cli.js';
import { startFrontDoor, type TestFrontDoor } from '../support/front-door.js';

/** A stand-in for the cluster query language: `attribute:<name> == <value>` only. */
const fakeFilter = (expression: string) => {
  const m = /^attribute:(\S+) == (\S+)$/.exec(expression);
  if (!m) throw new DomainError('InvalidArgument', `Invalid filter expression: ${expression}`, 'parameter');
  return (i: InstanceSnapshot) => i.attributes[m[1]!] === m[2];
};

let dataDir: string;
let store: SqliteStore;
let control: EcsControl;
let door: TestFrontDoor;
let ecs: ECSClient;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'minato-ci-'));
  store = new SqliteStore(join(dataDir, 'minato.db'));
  const agent = { launch: () => undefined, stop: () => undefined, capacity: () => ({ cpu: 1024, memory: 1024 }) };
  control = createEcsControl(store, agent, { compileFilter: fakeFilter });
  door = await startFrontDoor([ecsService(control)]);
  ecs = new ECSClient({ endpoint: door.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
  await ecs.send(new CreateClusterCommand({ clusterName: 'ci' }));
});
afterAll(async () => {
  ecs?.destroy();
  await door?.close();
  await store?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** What the ECS agent sends when it registers, with an EC2 identity document. */
const agentRequest = (over: Partial<RegisterContainerInstanceCommandInput> = {}): RegisterContainerInstanceCommandInput => ({
  cluster: 'ci',
  instanceIdentityDocument: JSON.stringify({
    instanceId: 'i-0abc1234def567890',
    availabilityZone: 'us-east-1c',
    instanceType: 'c7i.large',
    privateIp: '10.1.2.3',
    region: 'us-east-1',
  }),
  totalResources: [
    { name: 'CPU', type: 'INTEGER', integerValue: 2048 },
    { name: 'MEMORY', type: 'INTEGER', integerValue: 3800 },
    { name: 'PORTS', type: 'STRINGSET', stringSetValue: ['22', '2375', '2376', '51678', '51679'] },
    { name: 'PORTS_UDP', type: 'STRINGSET', stringSetValue: [] },
  ],
  versionInfo: { agentVersion: '1.80.0', agentHash: 'abc123', dockerVersion: 'DockerVersion: 25.0.3' },
  attributes: [{ name: 'ecs.capability.container-health-check' }, { name: 'stack', value: 'blue' }],
  tags: [{ key: 'team', value: 'core' }],
  ...over,
});

const attr = (list: { name?: string; value?: string }[] | undefined, name: string) => list?.find((a) => a.name === name);

describe('RegisterContainerInstance and DescribeContainerInstances', () => {
  it('registers as the ECS agent does and describes the instance as ECS lists it', async () => {
    const { containerInstance: ci } = await ecs.send(new RegisterContainerInstanceCommand(agentRequest()));
    expect(ci?.containerInstanceArn).toMatch(/^arn:aws:ecs:us-east-1:000000000000:container-instance\/ci\/[0-9a-f]{32}$/);
    expect(ci).toMatchObject({ ec2InstanceId: 'i-0abc1234def567890', status: 'ACTIVE', agentConnected: true, runningTasksCount: 0, pendingTasksCount: 0 });
    expect(attr(ci?.attributes, 'ecs.availability-zone')?.value).toBe('us-east-1c');
    expect(attr(ci?.attributes, 'ecs.instance-type')?.value).toBe('c7i.large');
    expect(attr(ci?.attributes, 'stack')?.value).toBe('blue');

    // A task placed on the instance takes its share of the remaining resources.
    const task = {
      taskArn: 'arn:aws:ecs:us-east-1:000000000000:task/ci/t1',
      clusterArn: ci!.containerInstanceArn!.replace(/container-instance\/ci\/.*$/, 'cluster/ci'),
      containerInstanceArn: ci!.containerInstanceArn,
      lastStatus: 'RUNNING',
      desiredStatus: 'RUNNING',
      cpu: '512',
      memory: '1024',
      group: 'family:web',
      containers: [{ networkBindings: [{ hostPort: 8080, containerPort: 80, protocol: 'tcp' }] }],
    } as unknown as TaskRecord;
    await store.collection<TaskRecord>(CLUSTER_MEMBERS.tasks).put(`${task.clusterArn}/t1`, task);

    const res = await ecs.send(
      new DescribeContainerInstancesCommand({ cluster: 'ci', containerInstances: [ci!.containerInstanceArn!, 'ffff'], include: ['TAGS', 'CONTAINER_INSTANCE_HEALTH'] }),
    );
    const d = res.containerInstances?.[0];
    expect(d?.registeredResources?.map((r) => [r.name, r.type, r.integerValue])).toEqual([
      ['CPU', 'INTEGER', 2048],
      ['MEMORY', 'INTEGER', 3800],
      ['PORTS', 'STRINGSET', 0],
      ['PORTS_UDP', 'STRINGSET', 0],
    ]);
    expect(d?.remainingResources?.find((r) => r.name === 'CPU')?.integerValue).toBe(1536);
    expect(d?.remainingResources?.find((r) => r.name === 'MEMORY')?.integerValue).toBe(2776);
    expect(d?.remainingResources?.find((r) => r.name === 'PORTS')?.stringSetValue).toEqual(['22', '2375', '2376', '51678', '51679', '8080']);
    expect(d).toMatchObject({ runningTasksCount: 1, pendingTasksCount: 0, versionInfo: { agentVersion: '1.80.0', agentHash: 'abc123' } });
    expect(d?.registeredAt).toBeInstanceOf(Date);
    expect(d?.agentUpdateStatus).toBeUndefined();
    expect(d?.tags).toEqual([{ key: 'team', value: 'core' }]);
    expect(d?.healthStatus?.overallStatus).toBe('OK');
    expect(res.failures).toEqual([{ arn: 'arn:aws:ecs:us-east-1:000000000000:container-instance/ci/ffff', reason: 'MISSING' }]);
    const cluster = await ecs.send(new DescribeClustersCommand({ clusters: ['ci'] }));
    expect(cluster.clusters?.[0]?.registeredContainerInstancesCount).toBe(1);
    await store.collection<TaskRecord>(CLUSTER_MEMBERS.tasks).delete(`${task.clusterArn}/t1`);
  });

  it('re-registers the same instance when the agent gives its ARN', async () => {
    const { containerInstance: first } = await ecs.send(new RegisterContainerInstanceCommand(agentRequest({ instanceIdentityDocument: undefined })));
    expect(first?.ec2InstanceId).toMatch(/^i-[0-9a-f]{17}$/);
    const { containerInstance: again } = await ecs.send(
      new RegisterContainerInstanceCommand(agentRequest({ instanceIdentityDocument: undefined, containerInstanceArn: first!.containerInstanceArn })),
    );
    expect(again?.containerInstanceArn).toBe(first?.containerInstanceArn);
    expect(again?.ec2InstanceId).toBe(first?.ec2InstanceId);
    expect(again?.version).toBe(2);
  });

  it('refuses an instance that declares GPUs (platformDevices), and registers nothing', async () => {
    const before = (await ecs.send(new ListContainerInstancesCommand({ cluster: 'ci' }))).containerInstanceArns;
    const gpus = agentRequest({ platformDevices: [{ id: 'GPU-5e5b2f6c-0000-0000-0000-000000000000', type: 'GPU' }] });
    const err = await ecs.send(new RegisterContainerInstanceCommand(gpus)).catch((e: unknown) => e);
    // ECS does not list UnsupportedFeatureException for this operation: the refusal is its catch-all.
    expect(err).toBeInstanceOf(ClientException);
    expect((err as Error).message).toBe('platformDevices (GPU registration) is not supported by this endpoint yet.');
    expect((await ecs.send(new ListContainerInstancesCommand({ cluster: 'ci' }))).containerInstanceArns).toEqual(before);
    // An empty list declares no device.
    const { containerInstance } = await ecs.send(new RegisterContainerInstanceCommand(agentRequest({ platformDevices: [] })));
    expect(containerInstance?.status).toBe('ACTIVE');
  });

  it('answers bad registrations with ECS exceptions', async () => {
    await expect(ecs.send(new RegisterContainerInstanceCommand(agentRequest({ cluster: 'ghost' })))).rejects.toBeInstanceOf(ClusterNotFoundException);
    await expect(
      ecs.send(new RegisterContainerInstanceCommand(agentRequest({ attributes: [{ name: 'no spaces allowed' }] }))),
    ).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(ecs.send(new RegisterContainerInstanceCommand(agentRequest({ totalResources: [] })))).rejects.toBeInstanceOf(
      InvalidParameterException,
    );
    await expect(ecs.send(new DescribeContainerInstancesCommand({ cluster: 'ghost', containerInstances: ['x'] }))).rejects.toBeInstanceOf(
      ClusterNotFoundException,
    );
  });
});

describe('ListContainerInstances and UpdateContainerInstancesState', () => {
  it('filters by status and query expression and pages', async () => {
    await ecs.send(new CreateClusterCommand({ clusterName: 'listing' }));
    const arns: string[] = [];
    for (const stack of ['red', 'green', 'red']) {
      const { containerInstance } = await ecs.send(
        new RegisterContainerInstanceCommand(agentRequest({ cluster: 'listing', attributes: [{ name: 'stack', value: stack }] })),
      );
      arns.push(containerInstance!.containerInstanceArn!);
    }
    const page1 = await ecs.send(new ListContainerInstancesCommand({ cluster: 'listing', maxResults: 2 }));
    const page2 = await ecs.send(new ListContainerInstancesCommand({ cluster: 'listing', maxResults: 2, nextToken: page1.nextToken }));
    expect(page2.nextToken).toBeUndefined();
    expect(new Set([...page1.containerInstanceArns!, ...page2.containerInstanceArns!])).toEqual(new Set(arns));

    const red = await ecs.send(new ListContainerInstancesCommand({ cluster: 'listing', filter: 'attribute:stack == red' }));
    expect(new Set(red.containerInstanceArns)).toEqual(new Set([arns[0], arns[2]]));
    await expect(ecs.send(new ListContainerInstancesCommand({ cluster: 'listing', filter: '!!' }))).rejects.toBeInstanceOf(InvalidParameterException);

    const drained = await ecs.send(
      new UpdateContainerInstancesStateCommand({ cluster: 'listing', containerInstances: [arns[1]!, 'ffff'], status: 'DRAINING' }),
    );
    expect(drained.containerInstances?.map((c) => c.status)).toEqual(['DRAINING']);
    expect(drained.failures?.[0]?.reason).toBe('MISSING');
    const draining = await ecs.send(new ListContainerInstancesCommand({ cluster: 'listing', status: 'DRAINING' }));
    expect(draining.containerInstanceArns).toEqual([arns[1]]);
    await expect(
      ecs.send(new UpdateContainerInstancesStateCommand({ cluster: 'listing', containerInstances: [arns[1]!], status: 'REGISTERING' })),
    ).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(
      ecs.send(new UpdateContainerInstancesStateCommand({ cluster: 'listing', containerInstances: [arns[1]!], status: 'BOGUS' as 'ACTIVE' })),
    ).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(ecs.send(new ListContainerInstancesCommand({ cluster: 'ghost' }))).rejects.toBeInstanceOf(ClusterNotFoundException);
  });
});

describe('PutAttributes, ListAttributes, DeleteAttributes', () => {
  it('manages custom attributes and answers ECS exceptions for bad ones', async () => {
    await ecs.send(new CreateClusterCommand({ clusterName: 'attrs' }));
    const { containerInstance } = await ecs.send(new RegisterContainerInstanceCommand(agentRequest({ cluster: 'attrs', attributes: [] })));
    const arn = containerInstance!.containerInstanceArn!;
    const id = arn.split('/').pop()!;
    const put = await ecs.send(
      new PutAttributesCommand({ cluster: 'attrs', attributes: [{ name: 'gpu', value: 'none', targetType: 'container-instance', targetId: id }] }),
    );
    expect(put.attributes).toEqual([{ name: 'gpu', value: 'none', targetType: 'container-instance', targetId: id }]);
    const listed = await ecs.send(new ListAttributesCommand({ cluster: 'attrs', targetType: 'container-instance', attributeName: 'gpu' }));
    expect(listed.attributes).toEqual([{ name: 'gpu', value: 'none', targetType: 'container-instance', targetId: arn }]);

    const many = Array.from({ length: 10 }, (_, i) => ({ name: `custom${i}`, targetId: arn }));
    await expect(ecs.send(new PutAttributesCommand({ cluster: 'attrs', attributes: many }))).rejects.toBeInstanceOf(AttributeLimitExceededException);
    await expect(
      ecs.send(new PutAttributesCommand({ cluster: 'attrs', attributes: [{ name: 'bad name', targetId: arn }] })),
    ).rejects.toBeInstanceOf(InvalidParameterException);
    const unknown = 'arn:aws:ecs:us-east-1:000000000000:container-instance/attrs/0000';
    await expect(ecs.send(new PutAttributesCommand({ cluster: 'attrs', attributes: [{ name: 'k', targetId: unknown }] }))).rejects.toBeInstanceOf(
      TargetNotFoundException,
    );
    await expect(ecs.send(new PutAttributesCommand({ cluster: 'ghost', attributes: [{ name: 'k', targetId: arn }] }))).rejects.toBeInstanceOf(
      ClusterNotFoundException,
    );
    await expect(
      ecs.send(new ListAttributesCommand({ cluster: 'attrs', targetType: 'container-instance', maxResults: 101 })),
    ).rejects.toBeInstanceOf(InvalidParameterException);

    const deleted = await ecs.send(new DeleteAttributesCommand({ cluster: 'attrs', attributes: [{ name: 'gpu', targetId: arn }] }));
    expect(deleted.attributes).toEqual([{ name: 'gpu', targetId: arn }]);
    const after = await ecs.send(new ListAttributesCommand({ cluster: 'attrs', targetType: 'container-instance', attributeName: 'gpu' }));
    expect(after.attributes).toEqual([]);
    await expect(ecs.send(new DeleteAttributesCommand({ cluster: 'attrs', attributes: [{ name: 'gpu', targetId: unknown }] }))).rejects.toBeInstanceOf(
      TargetNotFoundException,
    );
  });
});

describe('DeregisterContainerInstance', () => {
  it('refuses an instance with tasks unless forced, then keeps it describable as INACTIVE', async () => {
    await ecs.send(new CreateClusterCommand({ clusterName: 'dereg' }));
    const { containerInstance } = await ecs.send(new RegisterContainerInstanceCommand(agentRequest({ cluster: 'dereg' })));
    const arn = containerInstance!.containerInstanceArn!;
    const clusterArn = 'arn:aws:ecs:us-east-1:000000000000:cluster/dereg';
    const task = { taskArn: `${clusterArn}/t`, clusterArn, containerInstanceArn: arn, lastStatus: 'PENDING', desiredStatus: 'RUNNING', group: 'g', containers: [] };
    await store.collection(CLUSTER_MEMBERS.tasks).put(`${clusterArn}/t`, task);
    const refused = await ecs.send(new DeregisterContainerInstanceCommand({ cluster: 'dereg', containerInstance: arn })).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(InvalidParameterException);
    expect((refused as Error).message).toBe('Found running tasks on the instance.');

    const { containerInstance: gone } = await ecs.send(new DeregisterContainerInstanceCommand({ cluster: 'dereg', containerInstance: arn, force: true }));
    expect(gone?.status).toBe('INACTIVE');
    const described = await ecs.send(new DescribeContainerInstancesCommand({ cluster: 'dereg', containerInstances: [arn] }));
    expect(described.containerInstances?.[0]?.status).toBe('INACTIVE');
    expect((await ecs.send(new ListContainerInstancesCommand({ cluster: 'dereg' }))).containerInstanceArns).toEqual([]);
    await expect(ecs.send(new RegisterContainerInstanceCommand(agentRequest({ cluster: 'dereg', containerInstanceArn: arn })))).rejects.toBeInstanceOf(
      ClientException,
    );
    await store.collection(CLUSTER_MEMBERS.tasks).delete(`${clusterArn}/t`);
  });
});

describe('the AWS CLI', () => {
  it('describes a container instance', async () => {
    await ecs.send(new CreateClusterCommand({ clusterName: 'cli' }));
    const { containerInstance } = await ecs.send(new RegisterContainerInstanceCommand(agentRequest({ cluster: 'cli' })));
    const home = mkdtempSync(join(tmpdir(), 'minato-ci-cli-'));
    try {
      const args = ['ecs', 'describe-container-instances', '--cluster', 'cli', '--container-instances', containerInstance!.containerInstanceArn!];
      const res = await awsCli(door.endpoint, home, args);
      expect(res.code, res.stderr).toBe(0);
      const [described] = JSON.parse(res.stdout).containerInstances;
      expect(described).toMatchObject({ ec2InstanceId: 'i-0abc1234def567890', status: 'ACTIVE', agentConnected: true });
      expect(typeof described.registeredAt).toBe('number');
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
