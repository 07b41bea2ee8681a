import {
  CreateCapacityProviderCommand,
  CreateServiceCommand,
  ListContainerInstancesCommand,
  PutClusterCapacityProvidersCommand,
  RunTaskCommand,
  StartTaskCommand,
  type RunTaskCommandInput,
  type Task,
  type TaskDefinition,
} from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRunning, waitForTask } from '../tasks/task-fixture.js';
import { describeAgents, NETWORK, registerEc2, resource, runningOn, sleeper, startHostsFixture, stopAndWait, until, type HostsFixture } from './hosts-fixture.js';

// Three agents in three zones; two of one instance type and capacity group, one of another.
const ZONES = ['us-east-1a', 'us-east-1b', 'us-east-1c'];
const TYPES = ['m5.large', 'm5.large', 'c5.large'];
const GROUPS = ['group-blue', 'group-blue', 'group-green'];
const MEMORY = 768;
const CPU = 1024;

let f: HostsFixture;
let td: TaskDefinition;

beforeAll(async () => {
  f = await startHostsFixture(
    'placing',
    ZONES.map((zone, i) => [
      '--attribute', `ecs.availability-zone=${zone}`,
      '--attribute', `ecs.instance-type=${TYPES[i]}`,
      '--attribute', `minato.capacity-group=${GROUPS[i]}`,
      '--cpu', String(CPU),
      '--memory', String(MEMORY),
    ]),
  );
  td = await registerEc2(f.ecs, 'tiny', sleeper(f.image));
}, 120_000);

afterAll(async () => {
  await f?.dispose();
}, 60_000);

const run = async (input: Partial<RunTaskCommandInput>) => f.ecs.send(new RunTaskCommand({ cluster: f.cluster, taskDefinition: td.taskDefinitionArn, networkConfiguration: NETWORK, ...input }));
const arnOf = (i: number) => f.agents[i]!.containerInstanceArn;
const hostIndex = (t: Task) => f.agents.findIndex((a) => a.containerInstanceArn === t.containerInstanceArn);
const arns = (tasks: Task[] | undefined) => (tasks ?? []).map((t) => t.taskArn!);

describe('placement on three agents', () => {
  it('lists instances by a cluster query language filter and describes their resources', async () => {
    const list = async (filter: string) => (await f.ecs.send(new ListContainerInstancesCommand({ cluster: f.cluster, filter }))).containerInstanceArns?.sort();
    expect(await list('attribute:ecs.availability-zone == us-east-1b')).toEqual([arnOf(1)]);
    expect(await list('attribute:ecs.instance-type =~ m5.*')).toEqual([arnOf(0), arnOf(1)].sort());
    expect(await list('attribute:ecs.availability-zone in [us-east-1a, us-east-1c] and attribute:ecs.instance-type == c5.large')).toEqual([arnOf(2)]);
    for (const [i, instance] of (await describeAgents(f)).entries()) {
      expect(instance).toMatchObject({ status: 'ACTIVE', agentConnected: true, runningTasksCount: 0, pendingTasksCount: 0 });
      expect(resource(instance.registeredResources, 'MEMORY')).toBe(MEMORY);
      expect(resource(instance.registeredResources, 'CPU')).toBe(CPU);
      expect(resource(instance.remainingResources, 'MEMORY')).toBe(MEMORY);
      expect(instance.attributes).toEqual(expect.arrayContaining([{ name: 'ecs.availability-zone', value: ZONES[i] }, { name: 'ecs.instance-type', value: TYPES[i] }]));
    }
  });

  it('binpack(memory) puts all tasks on one instance; its remaining resources and running count follow', async () => {
    const res = await run({ launchType: 'EC2', count: 3, placementStrategy: [{ type: 'binpack', field: 'memory' }] });
    expect(res.failures).toEqual([]);
    const on = new Set(res.tasks!.map(hostIndex));
    expect(on.size).toBe(1);
    const [i] = [...on] as [number];
    for (const t of res.tasks!) {
      expect(t.availabilityZone).toBe(ZONES[i]);
      await waitForTask(f.ecs, f.cluster, t.taskArn!, isRunning, 60_000);
    }
    // The containers run on that agent only.
    expect(runningOn(f, i)).toEqual(res.tasks!.map((t) => t.taskArn!.split('/').pop()!).sort());
    for (const j of [0, 1, 2].filter((j) => j !== i)) expect(runningOn(f, j)).toEqual([]);
    const instances = await describeAgents(f);
    expect(instances[i]).toMatchObject({ runningTasksCount: 3, pendingTasksCount: 0 });
    expect(resource(instances[i]!.remainingResources, 'MEMORY')).toBe(MEMORY - 3 * 128);
    expect(resource(instances[i]!.remainingResources, 'CPU')).toBe(CPU - 3 * 128);
    for (const j of [0, 1, 2].filter((j) => j !== i)) expect(resource(instances[j]!.remainingResources, 'MEMORY')).toBe(MEMORY);

    // A further binpack task goes to the fullest instance that still fits.
    const more = await run({ launchType: 'EC2', placementStrategy: [{ type: 'binpack', field: 'memory' }] });
    expect(hostIndex(more.tasks![0]!)).toBe(i);
    await stopAndWait(f.ecs, f.cluster, [...arns(res.tasks), ...arns(more.tasks)]);
    const after = await describeAgents(f);
    expect(after[i]).toMatchObject({ runningTasksCount: 0 });
    expect(resource(after[i]!.remainingResources, 'MEMORY')).toBe(MEMORY);
  }, 90_000);

  it('spread(attribute:ecs.availability-zone) puts one task in each zone', async () => {
    const res = await run({ launchType: 'EC2', count: 3, placementStrategy: [{ type: 'spread', field: 'attribute:ecs.availability-zone' }] });
    expect(res.failures).toEqual([]);
    expect(new Set(res.tasks!.map((t) => t.availabilityZone))).toEqual(new Set(ZONES));
    expect(new Set(res.tasks!.map(hostIndex))).toEqual(new Set([0, 1, 2]));
    await stopAndWait(f.ecs, f.cluster, arns(res.tasks));
  }, 90_000);

  it('distinctInstance places at most one task of the group per instance; the rest fail', async () => {
    const res = await run({ launchType: 'EC2', count: 4, group: 'one-each', placementConstraints: [{ type: 'distinctInstance' }] });
    expect(new Set(res.tasks!.map(hostIndex))).toEqual(new Set([0, 1, 2]));
    expect(res.failures).toHaveLength(1);
    expect(res.failures![0]!.reason).toBe('DistinctInstance placement constraint unsatisfied.');
    await stopAndWait(f.ecs, f.cluster, arns(res.tasks));
  }, 90_000);

  it('memberOf keeps tasks to the instances its expression selects', async () => {
    const res = await run({ launchType: 'EC2', count: 2, placementConstraints: [{ type: 'memberOf', expression: 'attribute:ecs.instance-type == c5.large' }] });
    expect(res.failures).toEqual([]);
    expect(res.tasks!.map(hostIndex)).toEqual([2, 2]);
    const none = await run({ launchType: 'EC2', placementConstraints: [{ type: 'memberOf', expression: 'attribute:ecs.instance-type == t3.nano' }] });
    expect(none.tasks).toEqual([]);
    expect(none.failures![0]!.reason).toBe('MemberOf placement constraint unsatisfied.');
    await stopAndWait(f.ecs, f.cluster, arns(res.tasks));
  }, 90_000);

  it('a capacity provider strategy splits tasks by base and weight between EC2-style providers and their agents', async () => {
    for (const [name, group] of [['blue', 'group-blue'], ['green', 'group-green']] as const) {
      await f.ecs.send(new CreateCapacityProviderCommand({ name, autoScalingGroupProvider: { autoScalingGroupArn: group } }));
    }
    await f.ecs.send(new PutClusterCapacityProvidersCommand({ cluster: f.cluster, capacityProviders: ['blue', 'green'], defaultCapacityProviderStrategy: [] }));
    // Base 2 on blue first, then the remaining 2 by weight 1:1.
    const res = await run({
      count: 4,
      capacityProviderStrategy: [
        { capacityProvider: 'blue', base: 2, weight: 1 },
        { capacityProvider: 'green', weight: 1 },
      ],
    });
    expect(res.failures).toEqual([]);
    const blue = res.tasks!.filter((t) => t.capacityProviderName === 'blue');
    const green = res.tasks!.filter((t) => t.capacityProviderName === 'green');
    expect([blue.length, green.length]).toEqual([3, 1]);
    for (const t of blue) expect([0, 1]).toContain(hostIndex(t));
    expect(green.map(hostIndex)).toEqual([2]);
    for (const t of res.tasks!) expect(t.launchType).toBe('EC2');
    for (const t of green) await waitForTask(f.ecs, f.cluster, t.taskArn!, isRunning, 60_000);
    expect(runningOn(f, 2)).toEqual(green.map((t) => t.taskArn!.split('/').pop()!));
    await stopAndWait(f.ecs, f.cluster, arns(res.tasks));
  }, 90_000);

  it('answers bad input with ECS exception names', async () => {
    const failure = async (p: Promise<unknown>) => p.then(() => undefined, (err: Error) => ({ name: err.name, message: err.message }));
    expect(await failure(f.ecs.send(new RunTaskCommand({ cluster: 'no-such-cluster', taskDefinition: td.taskDefinitionArn, launchType: 'EC2', networkConfiguration: NETWORK })))).toMatchObject({
      name: 'ClusterNotFoundException',
    });
    expect(await failure(run({ launchType: 'EC2', placementStrategy: [{ type: 'binpack', field: 'disk' }] }))).toMatchObject({ name: 'InvalidParameterException' });
    expect(await failure(run({ launchType: 'EC2', placementStrategy: [{ type: 'spread', field: 'attribute:' }] }))).toMatchObject({ name: 'InvalidParameterException' });
    expect(await failure(run({ capacityProviderStrategy: [{ capacityProvider: 'blue', weight: 1 }, { capacityProvider: 'blue', weight: 1 }] }))).toMatchObject({
      name: 'InvalidParameterException',
    });
    expect(
      await failure(f.ecs.send(new CreateServiceCommand({ cluster: f.cluster, serviceName: 'negative', taskDefinition: td.taskDefinitionArn, desiredCount: -1, launchType: 'EC2', networkConfiguration: NETWORK }))),
    ).toMatchObject({ name: 'InvalidParameterException' });
    // StartTask answers an instance the cluster does not know as a MISSING failure, and starts nothing.
    const missing = `${arnOf(0).split('/').slice(0, -1).join('/')}/00000000000000000000000000000000`;
    const started = await f.ecs.send(new StartTaskCommand({ cluster: f.cluster, taskDefinition: td.taskDefinitionArn, containerInstances: [missing], networkConfiguration: NETWORK }));
    expect(started.tasks).toEqual([]);
    expect(started.failures).toEqual([{ arn: missing, reason: 'MISSING' }]);
    expect(await failure(f.ecs.send(new StartTaskCommand({ cluster: f.cluster, taskDefinition: td.taskDefinitionArn, containerInstances: [], networkConfiguration: NETWORK })))).toMatchObject({
      name: 'InvalidParameterException',
    });
    await until('nothing running anywhere', () => [0, 1, 2].every((i) => runningOn(f, i).length === 0), 10_000);
  });
});
