import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CreateServiceCommand, GetTaskProtectionCommand, RunTaskCommand, UpdateServiceCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { ApplicationAutoScalingClient, PutScheduledActionCommand, RegisterScalableTargetCommand } from '@aws-sdk/client-application-auto-scaling';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCli } from '../support/aws-cli.js';
import { usePlatform } from '../support/platform.js';
import { startImageFixture, type ImageFixture } from '../tasks/task-fixture.js';
import { addressOf, exchangeWhenListening, WORKER } from './protection-fixture.js';
import { liveTasks, messagesOf, NETWORK, registerFargate, sleeper, waitForService } from './service-fixture.js';
import { admitToDefaultGroup } from '../support/default-vpc.js';

const env = usePlatform();
let ecs: ECSClient;
let fixture: ImageFixture;
let sleepTd: string;
let workerTd: string;
const home = mkdtempSync(join(tmpdir(), 'minato-cli-protection-'));
const C = 'prot';

beforeAll(async () => {
  ecs = env.ecs();
  // The tasks' group admits only its members: the host reaches their port 8080 by a rule, as on AWS.
  await admitToDefaultGroup(env.platform().endpoint, 8080);
  fixture = await startImageFixture();
  sleepTd = await registerFargate(ecs, C, 'prot-sleep', [sleeper(fixture.image)]);
  workerTd = await registerFargate(ecs, C, 'prot-worker', [{ name: 'app', image: fixture.image, command: ['sh', '-c', WORKER] }]);
});
afterAll(async () => {
  await fixture?.stop();
  rmSync(home, { recursive: true, force: true });
});

const cli = async (args: string[]) => awsCli(env.platform().endpoint, home, ['ecs', ...args]);
const json = (out: { stdout: string }) => JSON.parse(out.stdout) as Record<string, unknown>;

describe('UpdateTaskProtection and GetTaskProtection with the AWS CLI', () => {
  it('protects a service task, answers as ECS does, and stores nothing for bad input', async () => {
    await ecs.send(new CreateServiceCommand({ cluster: C, serviceName: 'api', taskDefinition: sleepTd, desiredCount: 1, launchType: 'FARGATE', networkConfiguration: NETWORK }));
    const [task] = await (async () => {
      await waitForService(ecs, C, 'api', (s) => s.runningCount === 1);
      return liveTasks(ecs, C, 'api');
    })();
    const arn = task!.taskArn!;
    const id = arn.split('/').pop()!;

    const before = Date.now() / 1000;
    const set = await cli(['update-task-protection', '--cluster', C, '--tasks', id, '--protection-enabled', '--expires-in-minutes', '30']);
    expect(set.code, set.stderr).toBe(0);
    const protectedTask = (json(set).protectedTasks as Array<Record<string, unknown>>)[0]!;
    expect(json(set).failures).toEqual([]);
    expect(protectedTask).toMatchObject({ taskArn: arn, protectionEnabled: true });
    const expiry = protectedTask.expirationDate as number;
    expect(expiry).toBeGreaterThanOrEqual(before + 30 * 60 - 1);
    expect(expiry).toBeLessThanOrEqual(Date.now() / 1000 + 30 * 60 + 1);
    const got = await cli(['get-task-protection', '--cluster', C, '--tasks', arn]);
    expect(json(got)).toEqual({ protectedTasks: [{ taskArn: arn, protectionEnabled: true, expirationDate: expiry }], failures: [] });

    // Refused as a whole: nothing changes.
    const refused: Array<[string[], RegExp]> = [
      [['--tasks', id, '--protection-enabled', '--expires-in-minutes', '0'], /InvalidParameterException.*expiresInMinutes/],
      [['--tasks', id, '--protection-enabled', '--expires-in-minutes', '2881'], /InvalidParameterException.*expiresInMinutes/],
      [['--tasks', ...Array(11).fill(id), '--no-protection-enabled'], /InvalidParameterException.*more than 10/],
    ];
    for (const [args, error] of refused) {
      const res = await cli(['update-task-protection', '--cluster', C, ...args]);
      expect(res.code, args.join(' ')).not.toBe(0);
      expect(res.stderr).toMatch(error);
    }
    const gone = await cli(['update-task-protection', '--cluster', 'no-such-cluster', '--tasks', id, '--no-protection-enabled']);
    expect(gone.stderr).toMatch(/ClusterNotFoundException/);
    expect(json(await cli(['get-task-protection', '--cluster', C, '--tasks', arn])).protectedTasks).toEqual([{ taskArn: arn, protectionEnabled: true, expirationDate: expiry }]);

    // Per-task failures: unknown tasks are MISSING, standalone tasks cannot be protected.
    const run = await ecs.send(new RunTaskCommand({ cluster: C, taskDefinition: sleepTd, launchType: 'FARGATE', networkConfiguration: NETWORK }));
    const standalone = run.tasks![0]!.taskArn!;
    const unknown = '0123456789abcdef0123456789abcdef';
    const mixed = json(await cli(['update-task-protection', '--cluster', C, '--tasks', unknown, standalone, '--protection-enabled']));
    expect(mixed).toEqual({
      protectedTasks: [],
      failures: [
        { arn: `arn:aws:ecs:us-east-1:000000000000:task/${C}/${unknown}`, reason: 'MISSING' },
        { arn: standalone, reason: 'TASK_NOT_VALID', detail: 'The task is not part of a service.' },
      ],
    });
    await cli(['stop-task', '--cluster', C, '--task', standalone]);

    const off = json(await cli(['update-task-protection', '--cluster', C, '--tasks', arn, '--no-protection-enabled']));
    expect(off).toEqual({ protectedTasks: [{ taskArn: arn, protectionEnabled: false }], failures: [] });
    expect(json(await cli(['get-task-protection', '--cluster', C, '--tasks', id])).protectedTasks).toEqual([{ taskArn: arn, protectionEnabled: false }]);
    await ecs.send(new UpdateServiceCommand({ cluster: C, service: 'api', desiredCount: 0 }));
  }, 120_000);
});

describe('a task that protects itself through the agent endpoint', () => {
  it('survives the scale-in while the other tasks stop, and stops once its protection is removed', async () => {
    await ecs.send(new CreateServiceCommand({ cluster: C, serviceName: 'work', taskDefinition: workerTd, desiredCount: 3, launchType: 'FARGATE', networkConfiguration: NETWORK }));
    await waitForService(ecs, C, 'work', (s) => s.runningCount === 3, 90_000);
    const tasks = await liveTasks(ecs, C, 'work');
    expect(tasks).toHaveLength(3);
    // The oldest task: the one a scale-in would otherwise stop first.
    const worker = [...tasks].sort((a, b) => a.createdAt!.getTime() - b.createdAt!.getTime())[0]!;
    const arn = worker.taskArn!;

    // A job arrives at one task: it protects itself, and shows what the agent endpoint answered.
    await exchangeWhenListening(addressOf(worker), 8080, 'job\n');
    const answer = await exchangeWhenListening(addressOf(worker), 8080, '');
    expect(answer).toMatch(/^HTTP\/1\.[01] 200 /);
    const body = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as { protection: { ExpirationDate: string; ProtectionEnabled: boolean; TaskArn: string } };
    expect(body.protection).toMatchObject({ ProtectionEnabled: true, TaskArn: arn });
    const expires = Date.parse(body.protection.ExpirationDate);
    expect(Math.abs(expires - (Date.now() + 60 * 60_000))).toBeLessThan(60_000);
    const { protectedTasks } = await ecs.send(new GetTaskProtectionCommand({ cluster: C, tasks: tasks.map((t) => t.taskArn!) }));
    expect(protectedTasks?.map((p) => p.protectionEnabled)).toEqual(tasks.map((t) => t.taskArn === arn));

    // Scale in to one: the two unprotected tasks go, the protected one stays.
    await ecs.send(new UpdateServiceCommand({ cluster: C, service: 'work', desiredCount: 1 }));
    await waitForService(ecs, C, 'work', (s) => s.runningCount === 1 && s.pendingCount === 0, 60_000);
    // The running count drops once a task is told to stop; it is gone once its container exited.
    let live = await liveTasks(ecs, C, 'work');
    for (const end = Date.now() + 60_000; live.length > 1 && Date.now() < end; live = await liveTasks(ecs, C, 'work')) await sleep(200);
    expect(live.map((t) => t.taskArn)).toEqual([arn]);

    // To zero: only a protected task is left above the desired count, so it keeps running, and ECS says why.
    await ecs.send(new UpdateServiceCommand({ cluster: C, service: 'work', desiredCount: 0 }));
    const held = await waitForService(ecs, C, 'work', (s) => messagesOf(s).includes('(service work) was unable to scale in due to (reason 1 tasks under protection).'));
    expect(held.runningCount).toBe(1);
    await sleep(2_000);
    live = await liveTasks(ecs, C, 'work');
    expect(live.map((t) => [t.taskArn, t.desiredStatus])).toEqual([[arn, 'RUNNING']]);

    // Protection removed: the scale-in completes.
    const off = await cli(['update-task-protection', '--cluster', C, '--tasks', arn, '--no-protection-enabled']);
    expect(off.code, off.stderr).toBe(0);
    await waitForService(ecs, C, 'work', (s) => s.runningCount === 0 && s.pendingCount === 0, 60_000);
  }, 240_000);
});

describe('Application Auto Scaling and protected tasks', () => {
  it('a scheduled scale-in stops the unprotected tasks and keeps the protected one', async () => {
    await ecs.send(new CreateServiceCommand({ cluster: C, serviceName: 'scaled', taskDefinition: workerTd, desiredCount: 3, launchType: 'FARGATE', networkConfiguration: NETWORK }));
    await waitForService(ecs, C, 'scaled', (s) => s.runningCount === 3, 90_000);
    const tasks = await liveTasks(ecs, C, 'scaled');
    const oldest = [...tasks].sort((a, b) => a.createdAt!.getTime() - b.createdAt!.getTime())[0]!;
    await exchangeWhenListening(addressOf(oldest), 8080, 'job\n');
    expect(await exchangeWhenListening(addressOf(oldest), 8080, '')).toMatch(/^HTTP\/1\.[01] 200 /);

    const { config, endpoint } = env.platform();
    const aas = new ApplicationAutoScalingClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey }, maxAttempts: 1 });
    try {
      const target = { ServiceNamespace: 'ecs' as const, ResourceId: `service/${C}/scaled`, ScalableDimension: 'ecs:service:DesiredCount' as const };
      await aas.send(new RegisterScalableTargetCommand({ ...target, MinCapacity: 0, MaxCapacity: 3 }));
      const at = new Date(Date.now() + 3000).toISOString().slice(0, 19);
      await aas.send(new PutScheduledActionCommand({ ...target, ScheduledActionName: 'quiet', Schedule: `at(${at})`, ScalableTargetAction: { MinCapacity: 0, MaxCapacity: 1 } }));
      await waitForService(ecs, C, 'scaled', (s) => s.desiredCount === 1 && s.runningCount === 1 && s.pendingCount === 0, 60_000);
      expect((await liveTasks(ecs, C, 'scaled')).map((t) => t.taskArn)).toEqual([oldest.taskArn]);
    } finally {
      aas.destroy();
    }
  }, 180_000);
});

