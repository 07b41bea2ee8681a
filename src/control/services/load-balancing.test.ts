import { describe, expect, it } from 'vitest';
import type { CreateServiceRequest } from '@aws-sdk/client-ecs';
import type { TaskAgent, TaskLaunchSpec } from '../../agent-contract/task-contract.js';
import { MemoryStore } from '../../store/memory-store.js';
import { CLUSTER_MEMBERS } from '../clusters/activity.js';
import { createEcsControl } from '../ecs-control.js';
import type { TaskRecord } from '../tasks/task.js';
import { ROLLOUT_SETTLE_MS } from './reconcile.js';
import { ServiceLoop } from './service-loop.js';
import { FakeTraffic } from './traffic.fixtures.js';

const t0 = new Date('2026-01-01T00:00:00Z').getTime();
const scope = (now = t0) => ({ accountId: '000000000000', region: 'us-east-1', principalArn: 'arn:aws:iam::000000000000:root', now: new Date(now) });
const TG = 'arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/web/0123456789abcdef';
const TG_BRIDGE = 'arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/bridge/0123456789abcdef';
const REGISTRY = 'arn:aws:servicediscovery:us-east-1:000000000000:service/srv-web';
const network = { awsvpcConfiguration: { subnets: ['subnet-1'] } };

/** An agent that records launches and stops (into the traffic log too, so that order shows) and reports nothing. */
function recordingAgent(log: string[]): TaskAgent & { launched: TaskLaunchSpec[]; stopped: string[] } {
  const launched: TaskLaunchSpec[] = [];
  const stopped: string[] = [];
  return {
    launched,
    stopped,
    launch: (s) => void launched.push(s),
    stop: (arn) => {
      stopped.push(arn);
      log.push(`stop ${arn.split('/').pop()}`);
    },
    capacity: () => ({ cpu: 4096, memory: 8192 }),
  };
}

/** A control plane with fake target groups and Cloud Map, a cluster `c`, an awsvpc definition `web` and a bridge one `br`. */
async function setup() {
  const traffic = new FakeTraffic();
  traffic.addGroup(TG);
  traffic.addGroup(TG_BRIDGE, { targetType: 'instance' });
  traffic.addService(REGISTRY);
  const agent = recordingAgent(traffic.calls);
  const store = new MemoryStore();
  const ecs = createEcsControl(store, agent, { traffic });
  let now = t0;
  const loop = () => new ServiceLoop({ store, tasks: ecs.tasks, services: ecs.services, tags: ecs.tags, traffic, listInstances: async () => [], clock: () => new Date(now) });
  let scheduler = loop();
  await ecs.clusters.create(scope(), { clusterName: 'c' });
  const portMappings = [{ containerPort: 80 }];
  await ecs.taskDefinitions.register(scope(), {
    family: 'web',
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    cpu: '256',
    memory: '512',
    containerDefinitions: [{ name: 'app', image: 'x', portMappings }],
  });
  await ecs.taskDefinitions.register(scope(), { family: 'br', containerDefinitions: [{ name: 'app', image: 'x', memory: 64, portMappings: [{ containerPort: 80, hostPort: 0 }] }] });
  let ip = 0;
  const env = {
    traffic,
    agent,
    ecs,
    store,
    get scheduler() {
      return scheduler;
    },
    /** A new scheduler over the same store, as after a restart. */
    restart: () => void (scheduler = loop()),
    /** Sets the clock to t0 + `ms` and ticks. */
    tickAt: async (ms: number) => {
      now = t0 + ms;
      await scheduler.tick();
    },
    /** The agent reports the task RUNNING in its own network namespace (awsvpc) with the next address. */
    running: async (taskArn: string, at: number) => {
      ip += 1;
      const details = [{ name: 'privateIPv4Address', value: `10.0.0.${ip}` }];
      await ecs.tasks.applyReport(taskArn, { lastStatus: 'RUNNING', startedAt: t0 + at, attachments: [{ id: `eni-${ip}`, type: 'ElasticNetworkInterface', status: 'ATTACHED', details }] });
      return `10.0.0.${ip}`;
    },
    task: async (taskArn: string): Promise<TaskRecord> => (await ecs.tasks.describe(scope(), 'c', [taskArn])).found[0]!,
    service: async (name = 'web') => (await ecs.services.describe(scope(), 'c', [name])).found[0]!,
    messages: async (name = 'web') => (await ecs.services.describe(scope(), 'c', [name])).found[0]!.events.map((e) => e.message).reverse(),
  };
  return env;
}

const webService = (o: Partial<CreateServiceRequest> = {}): CreateServiceRequest => ({
  cluster: 'c',
  serviceName: 'web',
  taskDefinition: 'web',
  desiredCount: 1,
  launchType: 'FARGATE',
  networkConfiguration: network,
  loadBalancers: [{ targetGroupArn: TG, containerName: 'app', containerPort: 80 }],
  ...o,
});

describe('Services behind load balancers', () => {
  it('registers a task’s address when it runs, and completes the rollout only once the target group says healthy', async () => {
    const env = await setup();
    const created = await env.ecs.services.create(scope(), webService({ desiredCount: 2, healthCheckGracePeriodSeconds: 30 }));
    expect(created).toMatchObject({ loadBalancers: [{ targetGroupArn: TG, containerName: 'app', containerPort: 80 }], healthCheckGracePeriodSeconds: 30 });
    await env.tickAt(0);
    expect(env.agent.launched).toHaveLength(2);
    expect(env.traffic.calls).toEqual([]);
    const ips = [await env.running(env.agent.launched[0]!.taskArn, 0), await env.running(env.agent.launched[1]!.taskArn, 0)];
    await env.tickAt(1_000);
    expect([...env.traffic.registered.get(TG)!].sort()).toEqual(ips.map((ip) => `${ip}:80`));
    expect((await env.messages()).slice(1)).toEqual([`(service web) registered 2 targets in (target-group ${TG})`]);
    // Targets still in their initial health checks: the rollout waits, whatever the time.
    await env.tickAt(ROLLOUT_SETTLE_MS + 60_000);
    let s = await env.service();
    expect(s.deployments[0]!.rolloutState).toBe('IN_PROGRESS');
    expect(s.runningCount).toBe(2);
    env.traffic.setAll(TG, 'healthy');
    await env.tickAt(ROLLOUT_SETTLE_MS + 61_000);
    s = await env.service();
    expect(s.deployments[0]!.rolloutState).toBe('COMPLETED');
    expect((await env.messages()).slice(-1)).toEqual(['(service web) has reached a steady state.']);
    // Nothing is registered twice.
    expect(env.traffic.calls.filter((c) => c.startsWith('register'))).toHaveLength(2);
  });

  it('replaces a task only after its successor’s target is healthy; deregisters, drains for the delay, then stops', async () => {
    const env = await setup();
    await env.ecs.services.create(scope(), webService());
    await env.tickAt(0);
    const old = env.agent.launched[0]!;
    const oldIp = await env.running(old.taskArn, 0);
    await env.tickAt(1_000);
    env.traffic.setAll(TG, 'healthy');
    await env.tickAt(5_000);
    expect((await env.service()).deployments[0]!.rolloutState).toBe('COMPLETED');

    await env.ecs.services.update(scope(5_000), { cluster: 'c', service: 'web', forceNewDeployment: true });
    await env.tickAt(6_000);
    const next = env.agent.launched[1]!;
    const nextIp = await env.running(next.taskArn, 6_000);
    await env.tickAt(7_000);
    await env.tickAt(20_000);
    // The new target is registered but not yet healthy: minimumHealthyPercent 100 keeps the old task.
    expect(env.traffic.calls).toEqual([`register ${TG} ${oldIp}:80`, `register ${TG} ${nextIp}:80`]);
    expect((await env.task(old.taskArn)).lastStatus).toBe('RUNNING');

    env.traffic.setAll(TG, 'healthy');
    await env.tickAt(21_000);
    let oldTask = await env.task(old.taskArn);
    expect(oldTask).toMatchObject({ lastStatus: 'DEACTIVATING', traffic: { phase: 'draining', drainUntil: t0 + 21_000 + 300_000 } });
    expect(env.agent.stopped).toEqual([]);
    expect(env.traffic.calls.slice(2)).toEqual([`deregister ${TG} ${oldIp}:80`]);
    expect((await env.messages()).slice(-2)).toEqual([
      '(service web) has begun draining connections on 1 tasks.',
      `(service web) deregistered 1 targets in (target-group ${TG})`,
    ]);
    // Still draining just before the deregistration delay ends.
    await env.tickAt(21_000 + 299_000);
    expect(env.agent.stopped).toEqual([]);
    await env.tickAt(21_000 + 300_000);
    expect(env.traffic.calls.slice(2)).toEqual([`deregister ${TG} ${oldIp}:80`, `stop ${old.taskId}`]);
    oldTask = await env.task(old.taskArn);
    expect(oldTask).toMatchObject({ desiredStatus: 'STOPPED', stopCode: 'ServiceLoopInitiated', traffic: { phase: 'deregistered' } });
    expect(oldTask.stoppedReason).toMatch(/^Scaling activity initiated by \(deployment ecs-svc\/\d{19}\)$/);
    expect((await env.messages()).slice(-1)).toEqual([`(service web) has stopped 1 running tasks: (task ${old.taskId}).`]);
  });

  it('finishes a drain after a restart: the deregistration is made again, the stop is sent once', async () => {
    const env = await setup();
    await env.ecs.services.create(scope(), webService());
    await env.tickAt(0);
    const task = env.agent.launched[0]!;
    const ip = await env.running(task.taskArn, 0);
    await env.tickAt(1_000);
    // The deregistration fails mid-way (as a crash would leave it): the step stays recorded.
    const deregister = env.traffic.targetGroups.deregister;
    env.traffic.targetGroups.deregister = async () => {
      throw new Error('connection reset');
    };
    await env.ecs.services.update(scope(1_000), { cluster: 'c', service: 'web', desiredCount: 0 });
    await env.tickAt(2_000);
    expect(await env.task(task.taskArn)).toMatchObject({ lastStatus: 'DEACTIVATING', desiredStatus: 'RUNNING', traffic: { phase: 'deregistering' } });
    expect(env.traffic.registered.get(TG)!.has(`${ip}:80`)).toBe(true);
    // A restart: the new scheduler deregisters from the record and drains from the recorded time.
    env.traffic.targetGroups.deregister = deregister;
    env.restart();
    await env.tickAt(3_000);
    expect(env.traffic.registered.get(TG)!.size).toBe(0);
    expect(await env.task(task.taskArn)).toMatchObject({ traffic: { phase: 'draining', drainUntil: t0 + 2_000 + 300_000 } });
    // The scale-in is still scale-in: the task is not counted as wanted, so nothing new starts.
    expect(env.agent.launched).toHaveLength(1);
    env.restart();
    await env.tickAt(2_000 + 300_000);
    expect(env.agent.stopped).toEqual([task.taskArn]);
    // A stop sent whose record of it was lost: the next scheduler does not stop the task again.
    const key = `${task.clusterArn}/${task.taskId}`;
    const tasks = env.store.collection<TaskRecord>(CLUSTER_MEMBERS.tasks);
    const stored = (await tasks.get(key))!;
    await tasks.put(key, { ...stored, traffic: { ...stored.traffic!, phase: 'draining' } });
    env.restart();
    await env.tickAt(2_000 + 301_000);
    expect(env.agent.stopped).toEqual([task.taskArn]);
    expect((await env.task(task.taskArn)).traffic?.phase).toBe('deregistered');
    expect(env.traffic.calls.filter((c) => c.startsWith('stop'))).toHaveLength(1);
  });

  it('replaces a task whose target fails health checks once the grace period is over, in ECS’s words', async () => {
    const env = await setup();
    env.traffic.addGroup(TG, { deregistrationDelaySeconds: 0 });
    await env.ecs.services.create(scope(), webService({ healthCheckGracePeriodSeconds: 60 }));
    await env.tickAt(0);
    const task = env.agent.launched[0]!;
    await env.running(task.taskArn, 0);
    await env.tickAt(1_000);
    env.traffic.setAll(TG, 'unhealthy', 'Health checks failed with these codes: [500]');
    await env.tickAt(59_000);
    expect(env.agent.stopped).toEqual([]);
    await env.tickAt(61_000);
    expect(env.agent.stopped).toEqual([task.taskArn]);
    const stopped = await env.task(task.taskArn);
    expect(stopped.stoppedReason).toBe(`Task failed ELB health checks in (target-group ${TG})`);
    // maximumPercent 200 leaves room for the replacement at once.
    expect(env.agent.launched).toHaveLength(2);
    expect((await env.messages()).slice(-5)).toEqual([
      `(service web) (port 80) is unhealthy in (target-group ${TG}) due to (reason Health checks failed with these codes: [500]).`,
      '(service web) has begun draining connections on 1 tasks.',
      `(service web) deregistered 1 targets in (target-group ${TG})`,
      `(service web) has stopped 1 running tasks: (task ${task.taskId}).`,
      `(service web) has started 1 tasks: (task ${env.agent.launched[1]!.taskId}).`,
    ]);
    expect((await env.service()).deployments[0]!.failedTasks).toBe(1);
  });

  it('registers a bridge task as its host and host port, and deregisters a task stopped by hand at once', async () => {
    const env = await setup();
    await env.ecs.services.create(scope(), {
      cluster: 'c',
      serviceName: 'br',
      taskDefinition: 'br',
      desiredCount: 1,
      loadBalancers: [{ targetGroupArn: TG_BRIDGE, containerName: 'app', containerPort: 80 }],
    });
    await env.tickAt(0);
    const task = env.agent.launched[0]!;
    await env.ecs.tasks.applyReport(task.taskArn, {
      lastStatus: 'RUNNING',
      startedAt: t0,
      containers: { app: { networkBindings: [{ containerPort: 80, hostPort: 32768, bindIP: '127.0.0.1', protocol: 'tcp' }] } },
    });
    await env.tickAt(1_000);
    expect(env.traffic.calls).toEqual([`register ${TG_BRIDGE} control-host:32768`]);
    await env.ecs.tasks.stop(scope(2_000), 'c', task.taskArn);
    await env.tickAt(2_000);
    expect(env.traffic.calls.slice(1)).toEqual([`stop ${task.taskId}`, `deregister ${TG_BRIDGE} control-host:32768`]);
    expect((await env.messages('br')).slice(-2)).toEqual([
      `(service br) deregistered 1 targets in (target-group ${TG_BRIDGE})`,
      `(service br) has started 1 tasks: (task ${env.agent.launched[1]!.taskId}).`,
    ]);
  });

  it('registers each task in Cloud Map with ECS’s attributes, and deregisters it before the stop', async () => {
    const env = await setup();
    await env.ecs.services.create(scope(), webService({ loadBalancers: [], serviceRegistries: [{ registryArn: REGISTRY }] }));
    await env.tickAt(0);
    const task = env.agent.launched[0]!;
    const ip = await env.running(task.taskArn, 0);
    await env.tickAt(1_000);
    expect(env.traffic.instances.get(REGISTRY)!.get(task.taskId)).toEqual({
      AWS_INSTANCE_IPV4: ip,
      AVAILABILITY_ZONE: 'us-east-1a',
      AWS_INIT_HEALTH_STATUS: 'HEALTHY',
      ECS_CLUSTER_NAME: 'c',
      ECS_SERVICE_NAME: 'web',
      ECS_TASK_DEFINITION_FAMILY: 'web',
      REGION: 'us-east-1',
    });
    // Without target groups, the task is healthy once RUNNING: the rollout completes.
    await env.tickAt(1_000 + ROLLOUT_SETTLE_MS);
    expect((await env.service()).deployments[0]!.rolloutState).toBe('COMPLETED');
    await env.ecs.services.update(scope(), { cluster: 'c', service: 'web', desiredCount: 0 });
    await env.tickAt(10_000);
    expect(env.traffic.calls).toEqual([`registerInstance ${REGISTRY} ${task.taskId}`, `deregisterInstance ${REGISTRY} ${task.taskId}`, `stop ${task.taskId}`]);
    expect(env.traffic.instances.get(REGISTRY)!.size).toBe(0);
  });

  it('keeps a deleted service DRAINING until its tasks have left their target groups', async () => {
    const env = await setup();
    env.traffic.addGroup(TG, { deregistrationDelaySeconds: 5 });
    await env.ecs.services.create(scope(), webService());
    await env.tickAt(0);
    const task = env.agent.launched[0]!;
    await env.running(task.taskArn, 0);
    await env.tickAt(1_000);
    const deregister = env.traffic.targetGroups.deregister;
    env.traffic.targetGroups.deregister = async () => {
      throw new Error('unavailable');
    };
    await env.ecs.services.delete(scope(1_000), 'c', 'web', true);
    await env.tickAt(2_000);
    expect((await env.task(task.taskArn)).lastStatus).toBe('DEACTIVATING');
    // The task goes away meanwhile; its target is still registered, so the service waits.
    await env.ecs.tasks.applyReport(task.taskArn, { lastStatus: 'STOPPED' });
    await env.tickAt(3_000);
    expect((await env.service()).status).toBe('DRAINING');
    env.traffic.targetGroups.deregister = deregister;
    await env.tickAt(4_000);
    expect(env.traffic.registered.get(TG)!.size).toBe(0);
    await env.tickAt(9_000);
    expect((await env.service()).status).toBe('INACTIVE');
    // Stopped already: no stop is sent after the drain.
    expect(env.agent.stopped).toEqual([]);
  });

  it('leaves standalone tasks alone', async () => {
    const env = await setup();
    const { tasks } = await env.ecs.tasks.run(scope(), { cluster: 'c', taskDefinition: 'web', launchType: 'FARGATE', networkConfiguration: network });
    await env.running(tasks[0]!.taskArn, 0);
    await env.tickAt(1_000);
    expect(env.traffic.calls).toEqual([]);
    expect((await env.task(tasks[0]!.taskArn)).traffic).toBeUndefined();
  });
});
