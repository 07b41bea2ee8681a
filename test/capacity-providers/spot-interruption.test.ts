import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CreateClusterCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
  type ECSClient,
} from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MINATO_BIN } from '../support/minato-process.js';
import { usePlatform } from '../support/platform.js';
import { isRunning, isStopped, startImageFixture, waitForTask, type ImageFixture } from '../tasks/task-fixture.js';
import { defaultSubnets } from '../support/default-vpc.js';

// A real platform runs a real busybox task on FARGATE_SPOT; the compiled `minato` CLI (built by
// `npm run build`) interrupts it through the signed admin API.
const env = usePlatform();
let ecs: ECSClient;
let fixture: ImageFixture;
const C = 'spot';

beforeAll(async () => {
  ecs = env.ecs();
  fixture = await startImageFixture();
  await ecs.send(new CreateClusterCommand({ clusterName: C, capacityProviders: ['FARGATE', 'FARGATE_SPOT'] }));
});
afterAll(async () => {
  await fixture?.stop();
});

/** Runs `minato interrupt-spot-task` as its own process with the platform's credentials. */
function interrupt(task: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const { config, endpoint } = env.platform();
  const args = [MINATO_BIN, 'interrupt-spot-task', '--endpoint', endpoint, '--cluster', C, '--task', task, '--region', 'us-east-1'];
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      args,
      { env: { ...process.env, AWS_ACCESS_KEY_ID: config.accessKeyId, AWS_SECRET_ACCESS_KEY: config.secretAccessKey }, timeout: 30_000 },
      (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** The container's k8s-file log as the agent writes it on this host. */
const containerLog = (taskArn: string, name: string) =>
  readFile(join(env.platform().config.dataDir, 'tasks', taskArn.split('/').pop()!, `${name}.log`), 'utf8').catch(() => '');

/** Waits (bounded) until the container's log contains `text`. */
async function waitForLog(taskArn: string, name: string, text: string, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await containerLog(taskArn, name)).includes(text)) {
    if (Date.now() > end) throw new Error(`"${text}" not in the log of ${name}: ${await containerLog(taskArn, name)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function runOn(strategy: 'FARGATE' | 'FARGATE_SPOT', family: string) {
  const { taskDefinition } = await ecs.send(
    new RegisterTaskDefinitionCommand({
      family,
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '256',
      memory: '512',
      containerDefinitions: [
        {
          name: 'app',
          image: fixture.image,
          stopTimeout: 10,
          // The trap proves the task got SIGTERM (not SIGKILL): it writes to the log and exits 42.
          command: ['sh', '-c', 'trap "exit 42" TERM; echo trap-ready; sleep 3600 & wait'],
        },
      ],
    }),
  );
  const res = await ecs.send(
    new RunTaskCommand({
      cluster: C,
      taskDefinition: taskDefinition!.taskDefinitionArn,
      capacityProviderStrategy: [{ capacityProvider: strategy, weight: 1 }],
      networkConfiguration: { awsvpcConfiguration: { subnets: defaultSubnets() } },
    }),
  );
  expect(res.failures).toEqual([]);
  return res.tasks![0]!;
}

describe('Fargate Spot interruption', () => {
  it('sends SIGTERM to a FARGATE_SPOT task, which stops with stopCode SpotInterruption', async () => {
    const started = await runOn('FARGATE_SPOT', 'spot-app');
    expect(started.capacityProviderName).toBe('FARGATE_SPOT');
    const arn = started.taskArn!;
    await waitForTask(ecs, C, arn, isRunning);
    await waitForLog(arn, 'app', 'trap-ready');

    const cli = await interrupt(arn.split('/').pop()!);
    expect(cli.code, cli.stderr).toBe(0);
    expect(JSON.parse(cli.stdout)).toMatchObject({ task: { taskArn: arn, desiredStatus: 'STOPPED', stopCode: 'SpotInterruption' } });

    const stopped = await waitForTask(ecs, C, arn, isStopped);
    expect(stopped).toMatchObject({ stopCode: 'SpotInterruption', stoppedReason: 'Your Spot Task was interrupted.', capacityProviderName: 'FARGATE_SPOT' });
    // 42 is the trap's exit code: the container caught SIGTERM (its log went with the task's files).
    expect(stopped.containers?.[0]?.exitCode).toBe(42);
  });

  it('refuses to interrupt a task on FARGATE', async () => {
    const started = await runOn('FARGATE', 'spot-plain');
    const cli = await interrupt(started.taskArn!);
    expect(cli.code).toBe(1);
    expect(cli.stderr).toMatch(/ClientException: .*FARGATE_SPOT/);
    const after = await ecs.send(new StopTaskCommand({ cluster: C, task: started.taskArn! }));
    // Interrupting did not touch it: it is the StopTask here that stops it.
    expect(after.task).toMatchObject({ stopCode: 'UserInitiated' });
    await waitForTask(ecs, C, started.taskArn!, isStopped);
  });
});
