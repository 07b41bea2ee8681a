import { setTimeout as sleep } from 'node:timers/promises';
import { CreateServiceCommand, DeleteServiceCommand, DescribeTasksCommand, ListTasksCommand, UpdateServiceCommand, type ECSClient, type Task } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_THROTTLE, throttleDelay } from '../../src/control/services/throttle.js';
import { usePlatform } from '../support/platform.js';
import { startImageFixture, type ImageFixture } from '../tasks/task-fixture.js';
import { messagesOf, NETWORK, registerFargate, sleeper, waitForService } from './service-fixture.js';

const env = usePlatform();
let ecs: ECSClient;
let fixture: ImageFixture;
const C = 'throttle';
const DESIRED = 2;
/** How long the crashing service is watched. */
const WINDOW_MS = 40_000;

beforeAll(async () => {
  ecs = env.ecs();
  fixture = await startImageFixture();
});
afterAll(async () => {
  await fixture?.stop();
});

/** Every task of the service, stopped ones included. */
async function allTasks(serviceName: string): Promise<Task[]> {
  const arns: string[] = [];
  for (const desiredStatus of ['RUNNING', 'STOPPED'] as const) {
    const { taskArns } = await ecs.send(new ListTasksCommand({ cluster: C, serviceName, desiredStatus }));
    arns.push(...(taskArns ?? []));
  }
  const tasks: Task[] = [];
  for (let i = 0; i < arns.length; i += 100) tasks.push(...((await ecs.send(new DescribeTasksCommand({ cluster: C, tasks: arns.slice(i, i + 100) }))).tasks ?? []));
  return tasks;
}

/**
 * The most launch attempts the throttle allows within `ms`: the first, its retry at once, then
 * each after the delay of the failures before it.
 */
function attemptsWithin(ms: number): number {
  let attempts = 1;
  for (let failures = 1, at = 0; attempts < 1000; failures++) {
    at += throttleDelay(failures, DEFAULT_THROTTLE);
    if (at > ms) break;
    attempts += 1;
  }
  return attempts;
}

describe('the service throttle with real tasks', () => {
  it('launches a crashing service ever more slowly, says so, and lets an update start at once', async () => {
    const crashing = await registerFargate(ecs, C, 'crash', [{ name: 'app', image: fixture.image, command: ['sh', '-c', 'exit 1'] }]);
    const good = await registerFargate(ecs, C, 'crash', [sleeper(fixture.image)]);
    const createdAt = Date.now();
    await ecs.send(
      new CreateServiceCommand({ cluster: C, serviceName: 'crash', taskDefinition: crashing, desiredCount: DESIRED, launchType: 'FARGATE', networkConfiguration: NETWORK }),
    );
    // Watch the service crash for a while (bounded), recording when each task was launched.
    const launched = new Map<string, number>();
    while (Date.now() - createdAt < WINDOW_MS) {
      for (const t of await allTasks('crash')) launched.set(t.taskArn!, t.createdAt!.getTime());
      await sleep(500);
    }
    for (const t of await allTasks('crash')) if (t.createdAt!.getTime() - createdAt <= WINDOW_MS) launched.set(t.taskArn!, t.createdAt!.getTime());
    const times = [...launched.values()].map((at) => at - createdAt);

    // At most the desired count per attempt, and no more attempts than the delays allow.
    const bound = DESIRED * attemptsWithin(WINDOW_MS);
    expect(times.length).toBeGreaterThanOrEqual(2 * DESIRED);
    expect(times.length).toBeLessThanOrEqual(bound);
    // Slower than linear: the second half of the window saw fewer launches than the first.
    const firstHalf = times.filter((t) => t < WINDOW_MS / 2).length;
    expect(times.length - firstHalf).toBeLessThan(firstHalf);
    const throttled = await waitForService(ecs, C, 'crash', () => true);
    expect(messagesOf(throttled)).toContain('(service crash) is unable to consistently start tasks successfully.');
    expect(messagesOf(throttled).filter((m) => m.includes('is unable to consistently start tasks'))).toHaveLength(1);

    // Once an attempt made 30 s or more after the creation (the fourth at the earliest) has failed,
    // the throttle waits at least the fourth delay before the next one; a new deployment does not.
    const fourth = 30_000;
    expect(attemptsWithin(fourth - 1)).toBe(3);
    for (let i = 0; ; i++) {
      const tasks = await allTasks('crash');
      if (tasks.some((t) => t.createdAt!.getTime() - createdAt >= fourth) && tasks.every((t) => t.lastStatus === 'STOPPED')) break;
      if (i >= 120) throw new Error(`no attempt failed ${fourth} ms or more after the creation: ${JSON.stringify(times)}`);
      await sleep(500);
    }
    const pending = throttleDelay(4, DEFAULT_THROTTLE);
    const updatedAt = Date.now();
    const { service } = await ecs.send(new UpdateServiceCommand({ cluster: C, service: 'crash', taskDefinition: good }));
    const next = service!.deployments![0]!.id;
    const steady = await waitForService(
      ecs, C, 'crash',
      (s) => s.runningCount === DESIRED && s.deployments?.length === 1 && s.deployments[0]?.id === next && s.deployments[0]?.rolloutState === 'COMPLETED',
      pending,
    );
    // Well before the throttle would have let the next attempt start.
    expect(Date.now() - updatedAt).toBeLessThan(pending - 10_000);
    expect(messagesOf(steady).at(-1)).toBe('(service crash) has reached a steady state.');

    await ecs.send(new DeleteServiceCommand({ cluster: C, service: 'crash', force: true }));
    await waitForService(ecs, C, 'crash', (s) => s.status === 'INACTIVE');
  }, 150_000);
});
