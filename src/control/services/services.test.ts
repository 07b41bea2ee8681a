import { describe, expect, it } from 'vitest';
import type { TaskAgent, TaskLaunchSpec } from '../../agent-contract/task-contract.js';
import { MemoryStore } from '../../store/memory-store.js';
import { createEcsControl } from '../ecs-control.js';
import { ROLLOUT_SETTLE_MS } from './reconcile.js';
import { ServiceLoop, type ServiceLoopDeps } from './service-loop.js';
import { INACTIVE_SERVICE_RETENTION_MS } from './service.js';
import type { InstanceView } from './task-view.js';
import { instance } from '../../placement/testing.js';

/** An agent that records launches and stops and reports nothing by itself. */
function recordingAgent(): TaskAgent & { launched: TaskLaunchSpec[]; stopped: string[] } {
  const launched: TaskLaunchSpec[] = [];
  const stopped: string[] = [];
  return { launched, stopped, launch: (s) => void launched.push(s), stop: (arn) => void stopped.push(arn), capacity: () => ({ cpu: 4096, memory: 8192 }) };
}

const t0 = new Date('2026-01-01T00:00:00Z');
const scope = (now: Date = t0) => ({ accountId: '000000000000', region: 'us-east-1', principalArn: 'arn:aws:iam::000000000000:root', now });

/** A control plane over a memory store, a cluster `c`, a definition `f`, and a scheduler on a settable clock. */
async function setup(instances: InstanceView[] = [], options: Partial<ServiceLoopDeps> = {}) {
  const agent = recordingAgent();
  const store = new MemoryStore();
  const ecs = createEcsControl(store, agent);
  let now = t0;
  const scheduler = new ServiceLoop({ store, tasks: ecs.tasks, services: ecs.services, tags: ecs.tags, listInstances: async () => instances, clock: () => now, ...options });
  await ecs.clusters.create(scope(), { clusterName: 'c' });
  await ecs.taskDefinitions.register(scope(), { family: 'f', containerDefinitions: [{ name: 'a', image: 'x', memory: 64 }] });
  return { agent, ecs, scheduler, setNow: (d: Date) => void (now = d) };
}

describe('Services and the scheduler loop', () => {
  it('starts the tasks of a service, then completes the rollout and reaches a steady state', async () => {
    const { agent, ecs, scheduler, setNow } = await setup();
    const created = await ecs.services.create(scope(), { cluster: 'c', serviceName: 'web', taskDefinition: 'f', desiredCount: 2 });
    expect(created).toMatchObject({ launchType: 'EC2', status: 'ACTIVE', serviceArn: 'arn:aws:ecs:us-east-1:000000000000:service/c/web' });
    await scheduler.tick();
    expect(agent.launched).toHaveLength(2);
    let [s] = (await ecs.services.describe(scope(), 'c', ['web'])).found;
    const deployment = s!.deployments[0]!.id;
    expect(s!.events.map((e) => e.message)).toEqual([
      `(service web) has started 2 tasks: (task ${agent.launched[0]!.taskId}) (task ${agent.launched[1]!.taskId}).`,
    ]);
    expect(agent.launched.every((l) => l.launchType === 'EC2')).toBe(true);
    const tasks = (await ecs.tasks.describe(scope(), 'c', agent.launched.map((l) => l.taskArn))).found;
    expect(tasks.map((t) => [t.group, t.startedBy])).toEqual([['service:web', deployment], ['service:web', deployment]]);
    for (const l of agent.launched) await ecs.tasks.applyReport(l.taskArn, { lastStatus: 'RUNNING', startedAt: t0.getTime() });
    // The rollout completes once its tasks have stayed RUNNING for a moment.
    setNow(new Date(t0.getTime() + ROLLOUT_SETTLE_MS));
    await scheduler.tick();
    [s] = (await ecs.services.describe(scope(), 'c', ['web'])).found;
    expect(s!.events.map((e) => e.message).slice(0, 2)).toEqual([
      '(service web) has reached a steady state.',
      `(service web) (deployment ${deployment}) deployment completed.`,
    ]);
    expect(s).toMatchObject({ runningCount: 2, pendingCount: 0 });
    // Nothing changed: no new event, no new task.
    await scheduler.tick();
    expect((await ecs.services.describe(scope(), 'c', ['web'])).found[0]!.events).toHaveLength(3);
    expect(agent.launched).toHaveLength(2);
  });

  it('finds services by name, short ARN and long ARN; other clusters and accounts name none', async () => {
    const { ecs } = await setup();
    await ecs.services.create(scope(), { cluster: 'c', serviceName: 'web', taskDefinition: 'f', desiredCount: 0 });
    const refs = [
      'web',
      'arn:aws:ecs:us-east-1:000000000000:service/web',
      'arn:aws:ecs:us-east-1:000000000000:service/c/web',
      'arn:aws:ecs:us-east-1:000000000000:service/other/web',
      'arn:aws:ecs:us-east-1:111111111111:service/c/web',
    ];
    const { found, missing } = await ecs.services.describe(scope(), 'c', refs);
    expect(found).toHaveLength(3);
    expect(missing).toEqual(refs.slice(3));
    expect(await Promise.all(refs.map((r) => ecs.services.existsByArn(scope(), r)))).toEqual([false, false, true, false, false]);
  });

  it('drains a deleted service, makes it INACTIVE, and forgets it after the retention time', async () => {
    const { agent, ecs, scheduler, setNow } = await setup();
    await ecs.services.create(scope(), { cluster: 'c', serviceName: 'web', taskDefinition: 'f', desiredCount: 1 });
    await scheduler.tick();
    await expect(ecs.services.delete(scope(), 'c', 'web', false)).rejects.toThrow('The service cannot be stopped while it is scaled above 0.');
    const draining = await ecs.services.delete(scope(), 'c', 'web', true);
    expect(draining.status).toBe('DRAINING');
    await scheduler.tick();
    expect(agent.stopped).toEqual([agent.launched[0]!.taskArn]);
    const stoppedTask = (await ecs.tasks.describe(scope(), 'c', [agent.launched[0]!.taskArn])).found[0]!;
    expect(stoppedTask).toMatchObject({ stopCode: 'ServiceLoopInitiated', stoppedReason: 'Service was deleted' });
    await ecs.tasks.applyReport(agent.launched[0]!.taskArn, { lastStatus: 'STOPPED' });
    await scheduler.tick();
    expect((await ecs.services.describe(scope(), 'c', ['web'])).found[0]!.status).toBe('INACTIVE');
    await expect(ecs.services.update(scope(), { cluster: 'c', service: 'web', desiredCount: 2 })).rejects.toThrow('Service was not ACTIVE.');
    setNow(new Date(t0.getTime() + INACTIVE_SERVICE_RETENTION_MS));
    await scheduler.tick();
    expect((await ecs.services.describe(scope(), 'c', ['web'])).found).toEqual([]);
    await expect(ecs.services.update(scope(), { cluster: 'c', service: 'web', desiredCount: 2 })).rejects.toThrow('Service not found.');
  });

  it('asks for one DAEMON task per ACTIVE instance, and says so when none can be placed', async () => {
    const { ecs, scheduler } = await setup([
      { containerInstanceArn: 'arn:aws:ecs:us-east-1:000000000000:container-instance/c/1', status: 'ACTIVE' },
      { containerInstanceArn: 'arn:aws:ecs:us-east-1:000000000000:container-instance/c/2', status: 'DRAINING' },
    ]);
    await ecs.services.create(scope(), { cluster: 'c', serviceName: 'agentd', taskDefinition: 'f', schedulingStrategy: 'DAEMON' });
    await scheduler.tick();
    const s = (await ecs.services.describe(scope(), 'c', ['agentd'])).found[0]!;
    expect(s.desiredCount).toBe(1);
    expect(s.deploymentConfiguration).toMatchObject({ minimumHealthyPercent: 0, maximumPercent: 100 });
    // The instances the port lists are not registered: StartTask answers MISSING, which becomes an event, once.
    expect(s.events.map((e) => e.message)).toEqual([
      '(service agentd) was unable to place a task because no container instance met all of its requirements. Reason: No Container Instances were found in your cluster. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.',
    ]);
    // Tried again at once, it fails again: the throttle holds further launches back, and says so.
    await scheduler.tick();
    await scheduler.tick();
    const again = (await ecs.services.describe(scope(), 'c', ['agentd'])).found[0]!;
    expect(again.events.map((e) => e.message)).toEqual(['(service agentd) is unable to consistently start tasks successfully.', s.events[0]!.message]);
    expect(again.scheduler.throttle).toMatchObject({ failures: 2, retryAt: t0.getTime() + 10_000 });
  });

  it('keeps the 100 newest events, newest first', async () => {
    // Without delays between failed launches, each tick starts a replacement.
    const { agent, ecs, scheduler } = await setup([], { throttleBaseDelayMs: 0 });
    await ecs.services.create(scope(), { cluster: 'c', serviceName: 'web', taskDefinition: 'f', desiredCount: 1 });
    // Every task exits at once: each tick starts a replacement and says so.
    for (let i = 0; i < 105; i++) {
      await scheduler.tick();
      await ecs.tasks.applyReport(agent.launched[i]!.taskArn, { lastStatus: 'STOPPED', stopCode: 'EssentialContainerExited' });
    }
    const s = (await ecs.services.describe(scope(), 'c', ['web'])).found[0]!;
    expect(s.events).toHaveLength(100);
    expect(s.events[0]!.message).toBe(`(service web) has started 1 tasks: (task ${agent.launched[104]!.taskId}).`);
    expect(s.events[99]!.message).toBe(`(service web) has started 1 tasks: (task ${agent.launched[5]!.taskId}).`);
    expect(s.deployments[0]!.failedTasks).toBe(104);
  });

  it('keeps running a task definition revision deregistered after the deployment began, as ECS does', async () => {
    const { agent, ecs, scheduler } = await setup();
    await ecs.services.create(scope(), { cluster: 'c', serviceName: 'web', taskDefinition: 'f:1', desiredCount: 1 });
    await ecs.taskDefinitions.deregister(scope(), 'f:1');
    await scheduler.tick();
    expect(agent.launched.map((l) => l.taskDefinitionArn)).toEqual([expect.stringMatching(/:task-definition\/f:1$/)]);
    const s = (await ecs.services.describe(scope(), 'c', ['web'])).found[0]!;
    expect(s.events.map((e) => e.message)).toEqual([`(service web) has started 1 tasks: (task ${agent.launched[0]!.taskId}).`]);
  });

  it('says when the host has no room for a task, once, and starts it when there is room', async () => {
    const { agent, ecs, scheduler } = await setup();
    agent.capacity = () => ({ cpu: 4096, memory: 100 });
    await ecs.services.create(scope(), { cluster: 'c', serviceName: 'web', taskDefinition: 'f', desiredCount: 2 });
    await scheduler.tick();
    await scheduler.tick();
    let s = (await ecs.services.describe(scope(), 'c', ['web'])).found[0]!;
    expect(agent.launched).toHaveLength(1);
    expect(s.events.map((e) => e.message)).toEqual([
      '(service web) was unable to place a task because no container instance met all of its requirements. The closest matching container-instance has insufficient memory available. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.',
      `(service web) has started 1 tasks: (task ${agent.launched[0]!.taskId}).`,
    ]);
    agent.capacity = () => ({ cpu: 4096, memory: 8192 });
    await scheduler.tick();
    s = (await ecs.services.describe(scope(), 'c', ['web'])).found[0]!;
    expect(agent.launched).toHaveLength(2);
    expect(s.events[0]!.message).toBe(`(service web) has started 1 tasks: (task ${agent.launched[1]!.taskId}).`);
  });

  it('keeps a capacity provider strategy’s base and weights across scale-outs, counting the tasks already running', async () => {
    const { agent, ecs, scheduler } = await setup();
    await ecs.clusters.putCapacityProviders(scope(), 'c', ['FARGATE', 'FARGATE_SPOT'], []);
    await ecs.taskDefinitions.register(scope(), {
      family: 'fg',
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '256',
      memory: '512',
      containerDefinitions: [{ name: 'a', image: 'x' }],
    });
    const strategy = [
      { capacityProvider: 'FARGATE', base: 1, weight: 1 },
      { capacityProvider: 'FARGATE_SPOT', weight: 1 },
    ];
    const network = { awsvpcConfiguration: { subnets: ['subnet-1'] } };
    await ecs.services.create(scope(), { cluster: 'c', serviceName: 'mix', taskDefinition: 'fg', desiredCount: 3, capacityProviderStrategy: strategy, networkConfiguration: network });
    await scheduler.tick();
    const providers = async () => {
      const { found } = await ecs.tasks.describe(scope(), 'c', agent.launched.map((l) => l.taskArn));
      const count = (name: string) => found.filter((t) => t.capacityProviderName === name).length;
      return [count('FARGATE'), count('FARGATE_SPOT')];
    };
    expect(await providers()).toEqual([2, 1]);
    await ecs.services.update(scope(), { cluster: 'c', service: 'mix', desiredCount: 5 });
    await scheduler.tick();
    // The base is not granted again: the two new tasks go one to each provider (3 + 2), where a
    // split that forgot the first three would give FARGATE both (4 + 1).
    expect(await providers()).toEqual([3, 2]);
  });

  it('runs a DAEMON service only on the instances its memberOf constraints select', async () => {
    const views = [
      instance('a', { attributes: { 'ecs.availability-zone': 'us-east-1a' } }),
      instance('bb', { attributes: { 'ecs.availability-zone': 'us-east-1b' } }),
      instance('ccc', { attributes: { 'ecs.availability-zone': 'us-east-1a' } }),
    ].map((snapshot) => ({ containerInstanceArn: snapshot.containerInstanceArn, status: 'ACTIVE', agentConnected: true, snapshot }));
    const { ecs, scheduler } = await setup(views);
    await ecs.services.create(scope(), {
      cluster: 'c',
      serviceName: 'zoned',
      taskDefinition: 'f',
      schedulingStrategy: 'DAEMON',
      placementConstraints: [{ type: 'memberOf', expression: 'attribute:ecs.availability-zone == us-east-1a' }],
    });
    await scheduler.tick();
    expect((await ecs.services.describe(scope(), 'c', ['zoned'])).found[0]!.desiredCount).toBe(2);
  });
});
