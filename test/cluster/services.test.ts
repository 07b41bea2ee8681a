import {
  CreateServiceCommand,
  DeleteServiceCommand,
  DescribeServicesCommand,
  RunTaskCommand,
  UpdateContainerInstancesStateCommand,
  UpdateServiceCommand,
  waitUntilServicesStable,
  type Service,
  type Task,
  type TaskDefinition,
} from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allTasks, describeAgents, NETWORK, registerEc2, runningOn, sleeper, startHostsFixture, until, type HostsFixture } from './hosts-fixture.js';

const ZONES = ['us-east-1a', 'us-east-1b', 'us-east-1c'];
const SERVICE = 'web';

let f: HostsFixture;
const revisions: TaskDefinition[] = [];

beforeAll(async () => {
  f = await startHostsFixture(
    'serving',
    ZONES.map((zone) => ['--attribute', `ecs.availability-zone=${zone}`, '--cpu', '1024', '--memory', '768']),
    // A fast scheduler tick and a short disconnect timeout keep the scenarios quick.
    { serviceTickMs: 200, disconnectTimeoutMs: 2_000 },
  );
  for (const v of ['1', '2', '3']) revisions.push(await registerEc2(f.ecs, 'web', sleeper(f.image, { environment: [{ name: 'VERSION', value: v }] })));
}, 120_000);

afterAll(async () => {
  if (f) {
    // The service's tasks are stopped by their agents before the hosts go away.
    await f.ecs.send(new DeleteServiceCommand({ cluster: f.cluster, service: SERVICE, force: true })).catch(() => undefined);
    await until('the service tasks stopped', async () => (await allTasks(f.ecs, f.cluster)).every((t) => t.lastStatus === 'STOPPED'), 30_000).catch(() => undefined);
    await f.dispose();
  }
}, 60_000);

const service = async (): Promise<Service> => (await f.ecs.send(new DescribeServicesCommand({ cluster: f.cluster, services: [SERVICE] }))).services![0]!;
const stable = (seconds = 90) => waitUntilServicesStable({ client: f.ecs, maxWaitTime: seconds, minDelay: 1, maxDelay: 1 }, { cluster: f.cluster, services: [SERVICE] });
const hostIndex = (t: Task) => f.agents.findIndex((a) => a.containerInstanceArn === t.containerInstanceArn);
const idOf = (t: Task) => t.taskArn!.split('/').pop()!;
/** Tasks of the service that are meant to run and do. */
const runningTasks = async () => (await allTasks(f.ecs, f.cluster, SERVICE)).filter((t) => t.lastStatus === 'RUNNING' && t.desiredStatus === 'RUNNING');
/** The agent that runs the most of these tasks (the lowest index on a tie). */
const busiest = (tasks: Task[]) => [0, 1, 2].sort((a, b) => tasks.filter((t) => hostIndex(t) === b).length - tasks.filter((t) => hostIndex(t) === a).length || a - b)[0]!;

/**
 * What the control plane says runs must be what the agents run: every RUNNING task of the
 * cluster has its container running on its own instance's agent, and no agent runs anything else.
 */
async function expectAgentsAgree(): Promise<void> {
  const tasks = (await allTasks(f.ecs, f.cluster)).filter((t) => t.lastStatus === 'RUNNING');
  for (const [i] of f.agents.entries()) {
    expect(runningOn(f, i)).toEqual(tasks.filter((t) => hostIndex(t) === i).map(idOf).sort());
  }
}

describe('a REPLICA service on three agents', () => {
  it('spreads its tasks over the zones and reaches a steady state', async () => {
    await f.ecs.send(
      new CreateServiceCommand({
        cluster: f.cluster,
        serviceName: SERVICE,
        taskDefinition: revisions[0]!.taskDefinitionArn,
        desiredCount: 3,
        launchType: 'EC2',
        networkConfiguration: NETWORK,
        deploymentConfiguration: { minimumHealthyPercent: 100, maximumPercent: 150 },
      }),
    );
    await stable();
    const tasks = await runningTasks();
    expect(tasks).toHaveLength(3);
    // ECS's default for services: spread over zones, then instances: one per agent here.
    expect(new Set(tasks.map((t) => t.availabilityZone))).toEqual(new Set(ZONES));
    expect(new Set(tasks.map(hostIndex))).toEqual(new Set([0, 1, 2]));
    expect((await describeAgents(f)).map((i) => i.runningTasksCount)).toEqual([1, 1, 1]);
    await expectAgentsAgree();
  }, 90_000);

  it('rolls to a new revision within minimumHealthyPercent 100 and maximumPercent 150', async () => {
    await f.ecs.send(new UpdateServiceCommand({ cluster: f.cluster, service: SERVICE, taskDefinition: revisions[1]!.taskDefinitionArn }));
    // Sampled while rolling: at most ⌊3 × 1.5⌋ = 4 tasks alive, at least 3 running and wanted.
    let samples = 0;
    let mixed = 0;
    for (let round = 0; round < 600; round++) {
      const tasks = await allTasks(f.ecs, f.cluster, SERVICE);
      const live = tasks.filter((t) => t.lastStatus !== 'STOPPED');
      const healthy = live.filter((t) => t.lastStatus === 'RUNNING' && t.desiredStatus === 'RUNNING');
      expect(live.length, JSON.stringify(live.map((t) => [t.lastStatus, t.desiredStatus]))).toBeLessThanOrEqual(4);
      expect(healthy.length).toBeGreaterThanOrEqual(3);
      samples++;
      if (new Set(live.map((t) => t.taskDefinitionArn)).size > 1) mixed++;
      const s = await service();
      if (s.deployments?.length === 1 && s.deployments[0]!.rolloutState === 'COMPLETED') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(mixed).toBeGreaterThan(0);
    expect(samples).toBeGreaterThan(mixed);
    await stable();
    const s = await service();
    expect(s).toMatchObject({ taskDefinition: revisions[1]!.taskDefinitionArn, runningCount: 3, desiredCount: 3 });
    expect(s.deployments).toHaveLength(1);
    expect(s.deployments![0]).toMatchObject({ rolloutState: 'COMPLETED', taskDefinition: revisions[1]!.taskDefinitionArn });
    const tasks = await runningTasks();
    expect(tasks.map((t) => t.taskDefinitionArn)).toEqual(Array(3).fill(revisions[1]!.taskDefinitionArn));
    await until('the agents agree', async () => (await expectAgentsAgree().then(() => true, () => false)) || undefined, 15_000);
  }, 120_000);

  it('a DRAINING instance: its tasks are replaced on the others and nothing new is placed on it', async () => {
    const d = busiest(await runningTasks());
    const drained = f.agents[d]!.containerInstanceArn;
    expect(runningOn(f, d).length).toBeGreaterThan(0);
    const res = await f.ecs.send(new UpdateContainerInstancesStateCommand({ cluster: f.cluster, containerInstances: [drained], status: 'DRAINING' }));
    expect(res.containerInstances![0]!.status).toBe('DRAINING');
    await until('the drained instance empty', async () => (await describeAgents(f))[d]!.runningTasksCount === 0, 60_000);
    await stable();
    const tasks = await runningTasks();
    expect(tasks).toHaveLength(3);
    expect(tasks.map(hostIndex)).not.toContain(d);
    await until('no container left on the drained agent', () => runningOn(f, d).length === 0, 15_000);
    // RunTask never places on a DRAINING instance either.
    const refused = await f.ecs.send(
      new RunTaskCommand({
        cluster: f.cluster,
        taskDefinition: revisions[0]!.taskDefinitionArn,
        launchType: 'EC2',
        networkConfiguration: NETWORK,
        placementConstraints: [{ type: 'memberOf', expression: `attribute:ecs.availability-zone == ${ZONES[d]}` }],
      }),
    );
    expect(refused.tasks).toEqual([]);
    const events = (await service()).events!.map((e) => e.message);
    expect(events.some((m) => m?.includes('has stopped 1 running tasks'))).toBe(true);
    expect((await allTasks(f.ecs, f.cluster, SERVICE)).some((t) => t.containerInstanceArn === drained && t.stoppedReason === 'Container instance is draining')).toBe(true);
    await f.ecs.send(new UpdateContainerInstancesStateCommand({ cluster: f.cluster, containerInstances: [drained], status: 'ACTIVE' }));
    await expectAgentsAgree();
  }, 120_000);

  it('an agent killed mid-deployment: the deployment completes on the others, and the agent reconciles when it returns', async () => {
    // The agent with the most tasks of the service goes away right after the update.
    const before = await runningTasks();
    const victim = busiest(before);
    const victimArn = f.agents[victim]!.containerInstanceArn;
    const orphans = before.filter((t) => hostIndex(t) === victim).map(idOf).sort();
    expect(orphans.length).toBeGreaterThan(0);
    await f.ecs.send(
      new UpdateServiceCommand({
        cluster: f.cluster,
        service: SERVICE,
        taskDefinition: revisions[2]!.taskDefinitionArn,
        deploymentConfiguration: { minimumHealthyPercent: 50, maximumPercent: 100 },
      }),
    );
    await f.agents[victim]!.kill('SIGKILL');
    await until('the agent marked disconnected', async () => (await describeAgents(f))[victim]!.agentConnected === false, 15_000);

    await stable(120);
    const s = await service();
    expect(s.deployments).toHaveLength(1);
    expect(s.deployments![0]).toMatchObject({ rolloutState: 'COMPLETED', taskDefinition: revisions[2]!.taskDefinitionArn, runningCount: 3 });
    const tasks = await runningTasks();
    expect(tasks.map((t) => t.taskDefinitionArn)).toEqual(Array(3).fill(revisions[2]!.taskDefinitionArn));
    expect(tasks.map(hostIndex)).not.toContain(victim);
    // Its containers kept running meanwhile; the control plane wants them stopped.
    const orphaned = (await allTasks(f.ecs, f.cluster, SERVICE)).filter((t) => t.containerInstanceArn === victimArn && t.lastStatus !== 'STOPPED');
    expect(orphaned.every((t) => t.desiredStatus === 'STOPPED')).toBe(true);
    expect(runningOn(f, victim).length).toBeGreaterThan(0);

    // Back again: its old tasks are stopped (not adopted as running), nothing is launched there.
    const back = await f.restartAgent(victim);
    expect(back.containerInstanceArn).toBe(victimArn);
    await until('the returned agent stopped its old tasks', () => runningOn(f, victim).length === 0, 30_000);
    await until('the control plane recorded them STOPPED', async () => {
      const left = (await allTasks(f.ecs, f.cluster)).filter((t) => t.containerInstanceArn === victimArn && t.lastStatus !== 'STOPPED');
      return left.length === 0;
    });
    expect(back.lines.filter((l) => l.includes('launching task'))).toEqual([]);
    expect((await describeAgents(f))[victim]).toMatchObject({ agentConnected: true, runningTasksCount: 0 });
    // The service was not disturbed by the return: still the same three tasks.
    expect((await runningTasks()).map(idOf).sort()).toEqual(tasks.map(idOf).sort());
    await expectAgentsAgree();
  }, 180_000);

  it('a crashing revision trips the circuit breaker and rolls back to the last completed deployment', async () => {
    const crashing = await registerEc2(f.ecs, 'web', { name: 'app', image: f.image, command: ['sh', '-c', 'exit 1'] });
    const good = (await service()).taskDefinition!;
    const update = await f.ecs.send(
      new UpdateServiceCommand({
        cluster: f.cluster,
        service: SERVICE,
        taskDefinition: crashing.taskDefinitionArn,
        deploymentConfiguration: { minimumHealthyPercent: 100, maximumPercent: 200, deploymentCircuitBreaker: { enable: true, rollback: true } },
      }),
    );
    const failedId = update.service!.deployments!.find((d) => d.status === 'PRIMARY')!.id!;
    const seen = await until(
      'the failed deployment rolled back',
      async () => {
        const s = await service();
        const failed = s.deployments!.find((d) => d.id === failedId);
        const primary = s.deployments!.find((d) => d.status === 'PRIMARY')!;
        return failed?.rolloutState === 'FAILED' && primary.id !== failedId && { failed, primary };
      },
      60_000,
      100,
    );
    expect(seen.primary.taskDefinition).toBe(good);
    expect(seen.failed.failedTasks).toBeGreaterThanOrEqual(3);
    await stable();
    const s = await service();
    expect(s).toMatchObject({ taskDefinition: good, runningCount: 3 });
    expect(s.deployments).toHaveLength(1);
    expect(s.deployments![0]).toMatchObject({ rolloutState: 'COMPLETED', taskDefinition: good });
    const messages = s.events!.map((e) => e.message ?? '');
    expect(messages.some((m) => m.includes(`deployment ${failedId} deployment failed`))).toBe(true);
    expect(messages.some((m) => m.includes('rolling back to deployment'))).toBe(true);
    const tasks = await runningTasks();
    expect(tasks.map((t) => t.taskDefinitionArn)).toEqual(Array(3).fill(good));
    await until('the agents agree', async () => (await expectAgentsAgree().then(() => true, () => false)) || undefined, 15_000);
  }, 120_000);
});
