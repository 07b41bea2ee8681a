import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import {
  ClientException,
  CreateClusterCommand,
  InvalidParameterException,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
  waitUntilTasksRunning,
  waitUntilTasksStopped,
  type ECSClient,
} from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usePlatform } from '../support/platform.js';
import { isRunning, isStopped, runTask, startImageFixture, waitForTask, type ImageFixture } from './task-fixture.js';
import { admitToDefaultGroup, defaultSubnets } from '../support/default-vpc.js';

const env = usePlatform();
let ecs: ECSClient;
let fixture: ImageFixture;
let image: string;

beforeAll(async () => {
  ecs = env.ecs();
  // The tasks' group admits only its members: the host reaches their port 8080 by a rule, as on AWS.
  await admitToDefaultGroup(env.platform().endpoint, 8080);
  fixture = await startImageFixture();
  image = fixture.image;
});
afterAll(async () => {
  await fixture?.stop();
});

const C = 'tasks';

describe('RunTask with real containers', () => {
  it('runs a container to its exit code and stops the task as ECS does', async () => {
    const res = await runTask(ecs, C, 'exit3', [{ name: 'app', image, command: ['sh', '-c', 'echo hello; exit 3'] }]);
    expect(res.failures).toEqual([]);
    const arn = res.tasks![0]!.taskArn!;
    expect(res.tasks![0]!.lastStatus).toBe('PROVISIONING');
    await waitUntilTasksStopped({ client: ecs, maxWaitTime: 60, minDelay: 1 }, { cluster: C, tasks: [arn] });
    const task = await waitForTask(ecs, C, arn, isStopped);
    expect(task).toMatchObject({ stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited', desiredStatus: 'STOPPED' });
    expect(task.containers?.[0]).toMatchObject({ name: 'app', lastStatus: 'STOPPED', exitCode: 3 });
    expect(task.containers?.[0]?.runtimeId).toBeTruthy();
    expect(task.containers?.[0]?.imageDigest).toMatch(/^sha256:/);
    for (const k of ['createdAt', 'pullStartedAt', 'pullStoppedAt', 'startedAt', 'stoppingAt', 'stoppedAt', 'executionStoppedAt'] as const) {
      expect(task[k], k).toBeInstanceOf(Date);
    }
    expect(task.attachments?.[0]?.details?.find((d) => d.name === 'privateIPv4Address')?.value).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
  });

  it('reaches RUNNING, serves on the task address, and stops on StopTask after SIGTERM', async () => {
    const res = await runTask(ecs, C, 'web', [
      { name: 'web', image, command: ['sh', '-c', 'trap "exit 0" TERM; httpd -f -p 8080 -h /www & wait'], portMappings: [{ containerPort: 8080 }] },
    ]);
    const arn = res.tasks![0]!.taskArn!;
    await waitUntilTasksRunning({ client: ecs, maxWaitTime: 60, minDelay: 1 }, { cluster: C, tasks: [arn] });
    const running = await waitForTask(ecs, C, arn, isRunning);
    const ip = running.containers?.[0]?.networkInterfaces?.[0]?.privateIpv4Address;
    expect(ip).toBeTruthy();
    const body = await (await fetch(`http://${ip}:8080/index.html`)).text();
    expect(body).toBe('hello from a task\n');
    const listed = await ecs.send(new ListTasksCommand({ cluster: C, family: 'web' }));
    expect(listed.taskArns).toContain(arn);
    const stopped = await ecs.send(new StopTaskCommand({ cluster: C, task: arn, reason: 'done here' }));
    expect(stopped.task?.desiredStatus).toBe('STOPPED');
    const task = await waitForTask(ecs, C, arn, isStopped);
    expect(task).toMatchObject({ stopCode: 'UserInitiated', stoppedReason: 'done here' });
    expect(task.containers?.[0]?.exitCode).toBe(0);
  });

  it('kills a container that ignores SIGTERM once its stopTimeout has passed', async () => {
    // `sleep` as PID 1 ignores SIGTERM (no handler), so only SIGKILL ends it.
    const res = await runTask(ecs, C, 'stubborn', [{ name: 'app', image, command: ['sleep', '3600'], stopTimeout: 2 }]);
    const arn = res.tasks![0]!.taskArn!;
    await waitForTask(ecs, C, arn, isRunning);
    const t0 = Date.now();
    await ecs.send(new StopTaskCommand({ cluster: C, task: arn }));
    const task = await waitForTask(ecs, C, arn, isStopped);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1900);
    expect(task.containers?.[0]?.exitCode).toBe(137);
    expect(task.stoppedReason).toBe('Task stopped by user');
  });

  it('orders containers by dependsOn and shares task volumes', async () => {
    const res = await runTask(
      ecs,
      C,
      'ordered',
      [
        { name: 'init', image, essential: false, command: ['sh', '-c', 'echo ready > /shared/flag'], mountPoints: [{ sourceVolume: 'shared', containerPath: '/shared' }] },
        {
          name: 'app',
          image,
          command: ['sh', '-c', 'test "$(cat /shared/flag)" = ready && exit 7 || exit 9'],
          dependsOn: [{ containerName: 'init', condition: 'SUCCESS' }],
          mountPoints: [{ sourceVolume: 'shared', containerPath: '/shared' }],
        },
      ],
      { volumes: [{ name: 'shared' }] },
    );
    const task = await waitForTask(ecs, C, res.tasks![0]!.taskArn!, isStopped);
    const byName = Object.fromEntries(task.containers!.map((c) => [c.name, c.exitCode]));
    expect(byName).toEqual({ init: 0, app: 7 });
  });

  it('turns a container HEALTHY when its health check passes', async () => {
    const res = await runTask(ecs, C, 'healthy', [
      {
        name: 'app',
        image,
        command: ['sh', '-c', 'sleep 1; touch /tmp/ready; exec sleep 3600'],
        healthCheck: { command: ['CMD-SHELL', 'test -f /tmp/ready'], interval: 5, timeout: 2, retries: 1, startPeriod: 0 },
        stopTimeout: 1,
      },
    ]);
    const arn = res.tasks![0]!.taskArn!;
    const task = await waitForTask(ecs, C, arn, (t) => t.healthStatus === 'HEALTHY', 30_000);
    expect(task.containers?.[0]?.healthStatus).toBe('HEALTHY');
    await ecs.send(new StopTaskCommand({ cluster: C, task: arn }));
    await waitForTask(ecs, C, arn, isStopped);
  });

  it('enforces the container memory limit: OOM kill, exit 137 and the OutOfMemory reason', async () => {
    const res = await runTask(ecs, C, 'hungry', [
      // The shell keeps the whole substitution in memory, far past the 16 MiB limit.
      { name: 'app', image, memory: 16, command: ['sh', '-c', 'x=$(head -c 100000000 /dev/zero | tr "\\0" a); echo ${#x}'] },
    ]);
    const task = await waitForTask(ecs, C, res.tasks![0]!.taskArn!, isStopped);
    expect(task.containers?.[0]?.exitCode).toBe(137);
    expect(task.containers?.[0]?.reason).toBe('OutOfMemoryError: Container killed due to memory usage');
  });

  it('serves the task metadata endpoint v4 to the containers', async () => {
    const res = await runTask(ecs, C, 'meta', [
      {
        name: 'app',
        image,
        command: ['sh', '-c', 'wget -qO- "$ECS_CONTAINER_METADATA_URI_V4/task" | grep -q "\\"Family\\":\\"meta\\"" && wget -qO- "$ECS_CONTAINER_METADATA_URI_V4" | grep -q "\\"Name\\":\\"app\\"" && exit 42'],
      },
    ]);
    const task = await waitForTask(ecs, C, res.tasks![0]!.taskArn!, isStopped);
    expect(task.containers?.[0]?.exitCode).toBe(42);
  });

  it('stops with CannotPullContainerError when the image does not exist', async () => {
    const res = await runTask(ecs, C, 'missing', [{ name: 'app', image: `${fixture.registry.host}/nothing:here` }]);
    const task = await waitForTask(ecs, C, res.tasks![0]!.taskArn!, isStopped);
    expect(task.stopCode).toBe('TaskFailedToStart');
    expect(task.stoppedReason).toMatch(/^CannotPullContainerError/);
    expect(task.containers?.[0]?.reason).toMatch(/^CannotPullContainerError/);
  });

  it('reports RESOURCE:MEMORY failures for tasks that do not fit the host', async () => {
    await ecs.send(new CreateClusterCommand({ clusterName: C }));
    const { taskDefinition } = await ecs.send(
      new RegisterTaskDefinitionCommand({ family: 'huge', containerDefinitions: [{ name: 'a', image, memory: 10_000_000 }] }),
    );
    const res = await ecs.send(new RunTaskCommand({ cluster: C, taskDefinition: taskDefinition!.taskDefinitionArn, launchType: 'EC2' }));
    expect(res.tasks).toEqual([]);
    expect(res.failures).toEqual([{ reason: 'RESOURCE:MEMORY' }]);
  });

  it('returns the same tasks for a repeated clientToken and ConflictException for changed parameters', async () => {
    const first = await runTask(ecs, C, 'idem', [{ name: 'app', image, command: ['true'] }]);
    const td = first.tasks![0]!.taskDefinitionArn!;
    const net = { awsvpcConfiguration: { subnets: defaultSubnets() } };
    const a = await ecs.send(new RunTaskCommand({ cluster: C, taskDefinition: td, launchType: 'FARGATE', networkConfiguration: net, clientToken: 'tok-1' }));
    const b = await ecs.send(new RunTaskCommand({ cluster: C, taskDefinition: td, launchType: 'FARGATE', networkConfiguration: net, clientToken: 'tok-1' }));
    expect(b.tasks?.map((t) => t.taskArn)).toEqual(a.tasks?.map((t) => t.taskArn));
    const err = await ecs
      .send(new RunTaskCommand({ cluster: C, taskDefinition: td, launchType: 'FARGATE', networkConfiguration: net, clientToken: 'tok-1', startedBy: 'other' }))
      .catch((e: unknown) => e as { name: string; resourceIds?: string[] });
    expect(err).toMatchObject({ name: 'ConflictException', resourceIds: a.tasks?.map((t) => t.taskArn) });
    for (const t of [...a.tasks!, ...first.tasks!]) await waitForTask(ecs, C, t.taskArn!, isStopped);
  });

  it('answers bad RunTask input with ECS errors and starts nothing', async () => {
    await ecs.send(new CreateClusterCommand({ clusterName: C }));
    const { taskDefinition } = await ecs.send(
      new RegisterTaskDefinitionCommand({ family: 'vpc', networkMode: 'awsvpc', requiresCompatibilities: ['FARGATE'], cpu: '256', memory: '512', containerDefinitions: [{ name: 'a', image }] }),
    );
    const td = taskDefinition!.taskDefinitionArn!;
    const before = await ecs.send(new ListTasksCommand({ cluster: C, family: 'vpc' }));
    await expect(ecs.send(new RunTaskCommand({ cluster: C, taskDefinition: td, launchType: 'FARGATE' }))).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(ecs.send(new RunTaskCommand({ cluster: C, taskDefinition: 'nope:1' }))).rejects.toBeInstanceOf(ClientException);
    await expect(ecs.send(new RunTaskCommand({ cluster: C, taskDefinition: td, count: 11 }))).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(
      ecs.send(new RunTaskCommand({ cluster: C, taskDefinition: td, launchType: 'FARGATE', capacityProviderStrategy: [{ capacityProvider: 'FARGATE' }] })),
    ).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(ecs.send(new RunTaskCommand({ cluster: 'no-such-cluster', taskDefinition: td }))).rejects.toMatchObject({ name: 'ClusterNotFoundException' });
    const after = await ecs.send(new ListTasksCommand({ cluster: C, family: 'vpc' }));
    expect(after.taskArns).toEqual(before.taskArns);
  });

  it('leaves no container, mount or network namespace behind once tasks have stopped', async () => {
    const stopped = await ecs.send(new ListTasksCommand({ cluster: C, desiredStatus: 'RUNNING' }));
    for (const arn of stopped.taskArns ?? []) {
      await ecs.send(new StopTaskCommand({ cluster: C, task: arn }));
      await waitForTask(ecs, C, arn, isStopped);
    }
    const dataDir = env.platform().config.dataDir;
    expect(readFileSync('/proc/mounts', 'utf8')).not.toContain(dataDir);
    const namespaces = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' });
    const ids = (await ecs.send(new ListTasksCommand({ cluster: C, desiredStatus: 'STOPPED' }))).taskArns!.map((a) => a.split('/').pop()!);
    for (const id of ids) expect(namespaces).not.toContain(id);
  });
});
