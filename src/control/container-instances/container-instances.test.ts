import { describe, expect, it } from 'vitest';
import { DomainError } from '../../lib/errors.js';
import type { TaskAgent } from '../../agent-contract/task-contract.js';
import type { InstanceSnapshot } from '../../placement/types.js';
import { MemoryStore } from '../../store/memory-store.js';
import { CLUSTER_MEMBERS } from '../clusters/activity.js';
import { createEcsControl } from '../ecs-control.js';
import type { TaskRecord } from '../tasks/task.js';
import type { AgentRegistration } from '../../agent-contract/registration.js';

const agent: TaskAgent = { launch: () => undefined, stop: () => undefined, capacity: () => ({ cpu: 4096, memory: 8192 }) };
const scope = (now = new Date('2026-01-01T00:00:00Z'), region = 'us-east-1') => ({
  accountId: '000000000000',
  region,
  principalArn: 'arn:aws:iam::000000000000:root',
  now,
});

/** Understands `attribute:<name> == <value>` only: enough to see the filter is applied. */
const fakeFilter = (expression: string) => {
  const m = /^attribute:(\S+) == (\S+)$/.exec(expression);
  if (!m) throw new DomainError('InvalidArgument', 'bad expression', 'parameter');
  return (i: InstanceSnapshot) => i.attributes[m[1]!] === m[2];
};

const registration = (over: Partial<AgentRegistration> = {}): AgentRegistration => ({
  cluster: 'c',
  host: '10.0.0.5',
  agentVersion: '1.80.0',
  attributes: [],
  cpu: 2048,
  memory: 4096,
  ...over,
});

async function setup() {
  const store = new MemoryStore();
  const ecs = createEcsControl(store, agent, { compileFilter: fakeFilter });
  await ecs.clusters.create(scope(), { clusterName: 'c' });
  return { store, ecs, instances: ecs.containerInstances };
}

/** A task placed on `instanceArn`, stored as the task runner stores tasks. */
async function placeTask(store: MemoryStore, clusterArn: string, instanceArn: string, id: string, over: Partial<TaskRecord> = {}) {
  const task = {
    taskArn: `arn:aws:ecs:us-east-1:000000000000:task/c/${id}`,
    taskId: id,
    clusterArn,
    containerInstanceArn: instanceArn,
    lastStatus: 'RUNNING',
    desiredStatus: 'RUNNING',
    cpu: '256',
    memory: '512',
    group: 'family:web',
    containers: [{ networkBindings: [{ hostPort: 8080, containerPort: 80, protocol: 'tcp' }, { hostPort: 5353, protocol: 'udp' }] }],
    ...over,
  } as TaskRecord;
  await store.collection<TaskRecord>(CLUSTER_MEMBERS.tasks).put(`${clusterArn}/${id}`, task);
}

describe('ContainerInstances.registerAgent', () => {
  it('registers with ECS ARNs, ids and automatic attributes, and counts in the cluster', async () => {
    const { ecs, instances } = await setup();
    const r = await instances.registerAgent(scope(), registration({ attributes: [{ name: 'stack', value: 'blue' }] }));
    expect(r.containerInstanceArn).toMatch(/^arn:aws:ecs:us-east-1:000000000000:container-instance\/c\/[0-9a-f]{32}$/);
    expect(r.ec2InstanceId).toMatch(/^i-[0-9a-f]{17}$/);
    expect(r).toMatchObject({ status: 'ACTIVE', agentConnected: true, version: 1, host: '10.0.0.5' });
    const attrs = Object.fromEntries(r.attributes.map((a) => [a.name, a.value]));
    expect(attrs['ecs.os-type']).toBe('linux');
    expect(attrs['ecs.availability-zone']).toBe('us-east-1a');
    expect(attrs['ecs.instance-type']).toBe('minato.custom');
    expect(['x86_64', 'arm64']).toContain(attrs['ecs.cpu-architecture']);
    expect(attrs.stack).toBe('blue');
    expect('com.amazonaws.ecs.capability.logging-driver.awslogs' in attrs).toBe(true);
    const [cluster] = (await ecs.clusters.describe(scope(), ['c'])).found;
    expect(cluster?.registeredContainerInstancesCount).toBe(1);
  });

  it('re-registers the same instance by ARN, keeping DRAINING and custom attributes', async () => {
    const { instances } = await setup();
    const first = await instances.registerAgent(scope(), registration({ ec2InstanceId: 'i-0123456789abcdef0' }));
    await instances.attributes.put(scope(), 'c', [{ name: 'team', value: 'a', targetId: first.containerInstanceArn }]);
    await instances.updateState(scope(), 'c', [first.id], 'DRAINING');
    await instances.markDisconnected(new Date('2026-01-01T01:00:00Z'), 60_000);
    const later = new Date('2026-01-01T02:00:00Z');
    const again = await instances.registerAgent(
      scope(later),
      registration({ containerInstanceArn: first.containerInstanceArn, cpu: 1024, agentVersion: '1.81.0' }),
    );
    expect(again.containerInstanceArn).toBe(first.containerInstanceArn);
    expect(again).toMatchObject({ status: 'DRAINING', agentConnected: true, cpu: 1024, ec2InstanceId: 'i-0123456789abcdef0' });
    expect(again.registeredAt).toBe(first.registeredAt);
    expect(again.lastSeenAt).toBe(later.getTime());
    expect(again.attributes).toContainEqual({ name: 'team', value: 'a' });
  });

  it('refuses an unknown cluster, a deregistered instance and bad attributes', async () => {
    const { instances } = await setup();
    await expect(instances.registerAgent(scope(), registration({ cluster: 'nope' }))).rejects.toMatchObject({ kind: 'NotFound', subject: 'cluster' });
    await expect(instances.registerAgent(scope(), registration({ attributes: [{ name: 'bad name!' }] }))).rejects.toMatchObject({
      kind: 'InvalidArgument',
    });
    const r = await instances.registerAgent(scope(), registration());
    await instances.deregister(scope(), 'c', r.containerInstanceArn, false);
    await expect(instances.registerAgent(scope(), registration({ containerInstanceArn: r.containerInstanceArn }))).rejects.toMatchObject({
      subject: 'request',
    });
  });
});

describe('liveness', () => {
  it('marks silent agents disconnected and a heartbeat connects them again', async () => {
    const { instances } = await setup();
    const t0 = new Date('2026-01-01T00:00:00Z');
    const a = await instances.registerAgent(scope(t0), registration());
    const b = await instances.registerAgent(scope(new Date(t0.getTime() + 50_000)), registration());
    const marked = await instances.markDisconnected(new Date(t0.getTime() + 70_000), 60_000);
    expect(marked.map((m) => m.containerInstanceArn)).toEqual([a.containerInstanceArn]);
    expect((await instances.byArn(a.containerInstanceArn))).toMatchObject({ agentConnected: false, status: 'ACTIVE' });
    expect((await instances.byArn(b.containerInstanceArn))?.agentConnected).toBe(true);
    const back = await instances.heartbeat(a.containerInstanceArn, new Date(t0.getTime() + 80_000));
    expect(back).toMatchObject({ agentConnected: true, lastSeenAt: t0.getTime() + 80_000 });
    expect(await instances.heartbeat('arn:aws:ecs:us-east-1:000000000000:container-instance/c/none', t0)).toBeUndefined();
  });
});

describe('usage derived from tasks', () => {
  it('subtracts the non-STOPPED tasks placed on an instance and lists their ports and groups', async () => {
    const { store, instances } = await setup();
    const r = await instances.registerAgent(scope(), registration());
    const other = await instances.registerAgent(scope(), registration());
    await placeTask(store, r.clusterArn, r.containerInstanceArn, 't1');
    await placeTask(store, r.clusterArn, r.containerInstanceArn, 't2', { lastStatus: 'PENDING', cpu: '128', memory: '256', containers: [] });
    await placeTask(store, r.clusterArn, r.containerInstanceArn, 't3', { lastStatus: 'STOPPED', desiredStatus: 'STOPPED' });
    const snap = await instances.snapshot(r.clusterArn);
    const mine = snap.find((s) => s.containerInstanceArn === r.containerInstanceArn)!;
    expect(mine.remaining).toEqual({ cpu: 2048 - 384, memory: 4096 - 768 });
    expect(mine.usedPorts).toEqual([22, 2375, 2376, 8080, 51678, 51679]);
    expect(mine.runningTasksCount).toBe(2);
    expect(mine.taskGroups).toEqual(['family:web', 'family:web']);
    expect(snap.find((s) => s.containerInstanceArn === other.containerInstanceArn)?.remaining).toEqual({ cpu: 2048, memory: 4096 });
    const [view] = (await instances.describe(scope(), 'c', [r.id])).found;
    expect(view?.usage).toMatchObject({ running: 2, pending: 1, udpPorts: [5353] });
  });
});

describe('describe, list, update state, deregister', () => {
  it('lists by status and filter, a page at a time', async () => {
    const { instances } = await setup();
    const made = [];
    for (let i = 0; i < 5; i++) {
      made.push(await instances.registerAgent(scope(), registration({ attributes: [{ name: 'zone', value: i % 2 ? 'odd' : 'even' }] })));
    }
    await instances.updateState(scope(), 'c', [made[0]!.containerInstanceArn], 'DRAINING');
    const all = new Set<string>();
    let token: string | undefined;
    for (let pages = 0; pages < 5; pages++) {
      const page = await instances.list(scope(), 'c', { maxResults: 2, ...(token && { nextToken: token }) });
      page.items.forEach((a) => all.add(a));
      token = page.nextToken;
      if (!token) break;
    }
    expect(all).toEqual(new Set(made.map((m) => m.containerInstanceArn)));
    expect((await instances.list(scope(), 'c', { status: 'DRAINING', maxResults: 10 })).items).toEqual([made[0]!.containerInstanceArn]);
    const odd = await instances.list(scope(), 'c', { filter: 'attribute:zone == odd', maxResults: 10 });
    expect(new Set(odd.items)).toEqual(new Set([made[1]!, made[3]!].map((m) => m.containerInstanceArn)));
    await expect(instances.list(scope(), 'c', { filter: 'nonsense', maxResults: 10 })).rejects.toMatchObject({ kind: 'InvalidArgument' });
  });

  it('reports unknown instances as MISSING and refuses statuses other than ACTIVE and DRAINING', async () => {
    const { instances } = await setup();
    const r = await instances.registerAgent(scope(), registration());
    const res = await instances.updateState(scope(), 'c', [r.id, 'ffff'], 'DRAINING');
    expect(res.found.map((v) => v.record.status)).toEqual(['DRAINING']);
    expect(res.failures).toEqual([{ arn: 'arn:aws:ecs:us-east-1:000000000000:container-instance/c/ffff', reason: 'MISSING' }]);
    await expect(instances.updateState(scope(), 'c', [r.id], 'REGISTERING')).rejects.toMatchObject({ kind: 'InvalidArgument' });
    const back = await instances.updateState(scope(), 'c', [r.containerInstanceArn], 'ACTIVE');
    expect(back.found[0]?.record).toMatchObject({ status: 'ACTIVE', version: 3 });
  });

  it('deregisters only without tasks unless forced; the instance stays describable as INACTIVE', async () => {
    const { store, ecs, instances } = await setup();
    const r = await instances.registerAgent(scope(), registration());
    await placeTask(store, r.clusterArn, r.containerInstanceArn, 't1');
    await expect(instances.deregister(scope(), 'c', r.id, false)).rejects.toThrow('Found running tasks on the instance.');
    const gone = await instances.deregister(scope(), 'c', r.id, true);
    expect(gone.record.status).toBe('INACTIVE');
    expect((await instances.describe(scope(), 'c', [r.id])).found[0]?.record.status).toBe('INACTIVE');
    expect((await instances.list(scope(), 'c', { maxResults: 10 })).items).toEqual([]);
    expect(await instances.snapshot(r.clusterArn)).toEqual([]);
    const [cluster] = (await ecs.clusters.describe(scope(), ['c'])).found;
    expect(cluster?.registeredContainerInstancesCount).toBe(0);
    await expect(instances.deregister(scope(), 'c', 'nope', false)).rejects.toMatchObject({ kind: 'InvalidArgument' });
  });
});
