import { CreateServiceCommand, DeleteServiceCommand, DescribeTasksCommand, ListTasksCommand, UpdateServiceCommand, type ECSClient, type Task } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usePlatform } from '../support/platform.js';
import { startImageFixture, type ImageFixture } from '../tasks/task-fixture.js';
import { liveTasks, messagesOf, NETWORK, registerFargate, sleeper, waitForService } from './service-fixture.js';

const env = usePlatform();
let ecs: ECSClient;
let fixture: ImageFixture;
const C = 'deploys';

beforeAll(async () => {
  ecs = env.ecs();
  fixture = await startImageFixture();
});
afterAll(async () => {
  await fixture?.stop();
});

const completed = (id: string | undefined) => (s: { deployments?: Array<{ id?: string; rolloutState?: string }> }) =>
  s.deployments?.length === 1 && s.deployments[0]?.id === id && s.deployments[0]?.rolloutState === 'COMPLETED';

describe('deployments', () => {
  it('rolls a new revision out within minimumHealthyPercent and maximumPercent, then completes', async () => {
    const v1 = await registerFargate(ecs, C, 'roll', [sleeper(fixture.image)]);
    const v2 = await registerFargate(ecs, C, 'roll', [sleeper(fixture.image, 'app2')]);
    const { service } = await ecs.send(
      new CreateServiceCommand({
        cluster: C, serviceName: 'roll', taskDefinition: v1, desiredCount: 3, launchType: 'FARGATE', networkConfiguration: NETWORK,
        deploymentConfiguration: { minimumHealthyPercent: 50, maximumPercent: 150 },
      }),
    );
    await waitForService(ecs, C, 'roll', completed(service?.deployments?.[0]?.id));

    const { service: updated } = await ecs.send(new UpdateServiceCommand({ cluster: C, service: 'roll', taskDefinition: v2 }));
    expect(updated?.deployments?.map((d) => [d.status, d.taskDefinition])).toEqual([['PRIMARY', v2], ['ACTIVE', v1]]);
    const next = updated!.deployments![0]!.id;
    // ⌈3 × 50%⌉ = 2 must stay RUNNING, ⌊3 × 150%⌋ = 4 at most may be running or pending.
    const samples: Task[][] = [];
    const end = Date.now() + 90_000;
    for (;;) {
      const live = await liveTasks(ecs, C, 'roll');
      samples.push(live);
      expect(live.length).toBeLessThanOrEqual(4);
      expect(live.filter((t) => t.lastStatus === 'RUNNING').length).toBeGreaterThanOrEqual(2);
      const s = await waitForService(ecs, C, 'roll', () => true);
      if (completed(next)(s)) break;
      if (Date.now() > end) throw new Error('the rollout did not complete');
      await new Promise((r) => setTimeout(r, 100));
    }
    // The rollout went through a mixed state (both revisions at once), so the samples saw it roll.
    expect(samples.some((live) => new Set(live.map((t) => t.taskDefinitionArn)).size === 2)).toBe(true);
    const done = await waitForService(ecs, C, 'roll', (s) => s.runningCount === 3);
    const live = await liveTasks(ecs, C, 'roll');
    expect(live.map((t) => t.taskDefinitionArn)).toEqual([v2, v2, v2]);
    expect(live.every((t) => t.startedBy === next)).toBe(true);
    expect(messagesOf(done)).toContain(`(service roll) (deployment ${next}) deployment completed.`);
    expect(done.deployments?.[0]).toMatchObject({ rolloutStateReason: `ECS deployment ${next} completed.` });
    await ecs.send(new DeleteServiceCommand({ cluster: C, service: 'roll', force: true }));
    await waitForService(ecs, C, 'roll', (s) => s.status === 'INACTIVE');
  }, 150_000);

  it('trips the circuit breaker on a crashing revision and rolls back to the last completed one', async () => {
    const good = await registerFargate(ecs, C, 'cb', [sleeper(fixture.image)]);
    const bad = await registerFargate(ecs, C, 'cb', [{ name: 'app', image: fixture.image, command: ['sh', '-c', 'exit 1'] }]);
    const { service } = await ecs.send(
      new CreateServiceCommand({
        cluster: C, serviceName: 'cb', taskDefinition: good, desiredCount: 1, launchType: 'FARGATE', networkConfiguration: NETWORK,
        deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } },
      }),
    );
    const first = service!.deployments![0]!.id!;
    await waitForService(ecs, C, 'cb', completed(first));
    const { service: updated } = await ecs.send(new UpdateServiceCommand({ cluster: C, service: 'cb', taskDefinition: bad }));
    const failing = updated!.deployments![0]!.id!;

    const failed = await waitForService(ecs, C, 'cb', (s) => s.deployments?.some((d) => d.id === failing && d.rolloutState === 'FAILED') ?? false, 90_000);
    expect(failed.deployments?.find((d) => d.id === failing)).toMatchObject({
      status: 'ACTIVE',
      rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.',
      failedTasks: 3,
    });
    expect(failed.taskDefinition).toBe(good);
    const rollback = failed.deployments![0]!;
    expect(rollback).toMatchObject({ status: 'PRIMARY', taskDefinition: good, rolloutStateReason: `ECS deployment circuit breaker: rolling back to deploymentId ${first}.` });
    expect(messagesOf(failed)).toContain(`(service cb) deployment ${failing} deployment failed: tasks failed to start.`);

    const stable = await waitForService(ecs, C, 'cb', (s) => completed(rollback.id)(s) && s.runningCount === 1);
    expect(stable.deployments?.[0]?.taskDefinition).toBe(good);
    const live = await liveTasks(ecs, C, 'cb');
    expect(live.map((t) => t.taskDefinitionArn)).toEqual([good]);
    await ecs.send(new DeleteServiceCommand({ cluster: C, service: 'cb', force: true }));
    await waitForService(ecs, C, 'cb', (s) => s.status === 'INACTIVE');
  }, 150_000);

  it('without rollback, a failed rollout stays FAILED and the old tasks keep running', async () => {
    const good = await registerFargate(ecs, C, 'nr', [sleeper(fixture.image)]);
    const bad = await registerFargate(ecs, C, 'nr', [{ name: 'app', image: fixture.image, command: ['sh', '-c', 'exit 2'] }]);
    const { service } = await ecs.send(
      new CreateServiceCommand({
        cluster: C, serviceName: 'nr', taskDefinition: good, desiredCount: 1, launchType: 'FARGATE', networkConfiguration: NETWORK,
        deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: false } },
      }),
    );
    await waitForService(ecs, C, 'nr', completed(service!.deployments![0]!.id));
    const { service: updated } = await ecs.send(new UpdateServiceCommand({ cluster: C, service: 'nr', taskDefinition: bad }));
    const failing = updated!.deployments![0]!.id!;
    const failed = await waitForService(ecs, C, 'nr', (s) => s.deployments?.[0]?.rolloutState === 'FAILED', 90_000);
    expect(failed.deployments?.[0]).toMatchObject({ id: failing, status: 'PRIMARY', failedTasks: 3 });
    const live = await liveTasks(ecs, C, 'nr');
    expect(live.map((t) => t.taskDefinitionArn)).toEqual([good]);
    await ecs.send(new DeleteServiceCommand({ cluster: C, service: 'nr', force: true }));
    await waitForService(ecs, C, 'nr', (s) => s.status === 'INACTIVE');
  }, 150_000);

  it('completes a rollout only once tasks with health checks are HEALTHY, and replaces UNHEALTHY ones', async () => {
    const checked = (cmd: string) => ({ ...sleeper(fixture.image), healthCheck: { command: ['CMD-SHELL', cmd], interval: 5, timeout: 2, retries: 1 } });
    const healthy = await registerFargate(ecs, C, 'hc', [checked('true')]);
    const { service } = await ecs.send(
      new CreateServiceCommand({ cluster: C, serviceName: 'hc', taskDefinition: healthy, desiredCount: 1, launchType: 'FARGATE', networkConfiguration: NETWORK }),
    );
    const first = service!.deployments![0]!.id!;
    // While the task runs but its first health check is yet to come, the rollout is not done.
    let sawUnknown = false;
    const end = Date.now() + 60_000;
    for (;;) {
      const [task] = await liveTasks(ecs, C, 'hc');
      const s = await waitForService(ecs, C, 'hc', () => true);
      if (task?.lastStatus === 'RUNNING' && task.healthStatus === 'UNKNOWN') {
        sawUnknown = true;
        expect(s.deployments?.[0]?.rolloutState).toBe('IN_PROGRESS');
      }
      if (completed(first)(s)) break;
      if (Date.now() > end) throw new Error('the rollout did not complete');
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(sawUnknown).toBe(true);
    expect((await liveTasks(ecs, C, 'hc'))[0]?.healthStatus).toBe('HEALTHY');

    const sick = await registerFargate(ecs, C, 'hc', [checked('exit 1')]);
    await ecs.send(new UpdateServiceCommand({ cluster: C, service: 'hc', taskDefinition: sick }));
    const replacedEnd = Date.now() + 60_000;
    let stopped: Task | undefined;
    while (!stopped && Date.now() < replacedEnd) {
      const { taskArns } = await ecs.send(new ListTasksCommand({ cluster: C, serviceName: 'hc', desiredStatus: 'STOPPED' }));
      const tasks = taskArns?.length ? (await ecs.send(new DescribeTasksCommand({ cluster: C, tasks: taskArns }))).tasks ?? [] : [];
      stopped = tasks.find((t) => t.taskDefinitionArn === sick && t.stoppedReason === 'Task failed container health checks');
      await new Promise((r) => setTimeout(r, 300));
    }
    expect(stopped).toMatchObject({ stopCode: 'ServiceLoopInitiated' });
    // The healthy task of the first deployment kept running all along (minimum healthy 100%).
    const live = await liveTasks(ecs, C, 'hc');
    expect(live.some((t) => t.taskDefinitionArn === healthy && t.lastStatus === 'RUNNING')).toBe(true);
    const s = await waitForService(ecs, C, 'hc', () => true);
    expect(s.deployments?.[0]?.failedTasks).toBeGreaterThanOrEqual(1);
    expect(messagesOf(s).some((m) => m.startsWith(`(service hc) (task ${stopped!.taskArn!.split('/').pop()}) failed container health checks.`))).toBe(true);
    await ecs.send(new DeleteServiceCommand({ cluster: C, service: 'hc', force: true }));
    await waitForService(ecs, C, 'hc', (x) => x.status === 'INACTIVE');
  }, 150_000);
});
