import { rmSync } from 'node:fs';
import { DescribeTasksCommand, ListTasksCommand, RegisterTaskDefinitionCommand, type ECSClient, type Task } from '@aws-sdk/client-ecs';
import { CreateSecretCommand, DescribeSecretCommand, PutSecretValueCommand, RotateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { ensureTaskRole, startImageFixture, type ImageFixture } from '../tasks/task-fixture.js';

/**
 * A rotation survives a restart of the platform in the middle of a step: the step's task runs on,
 * the restarted platform finds it by the task recorded on the secret, and the rotation goes on
 * from there without starting that step (or any before it) again.
 */

const ROLE = 'arn:aws:iam::000000000000:role/rotation-function';
let platform: TestPlatform | undefined;
let images: ImageFixture;
let dataDir: string | undefined;
const clients: Array<{ destroy(): void }> = [];

beforeAll(async () => {
  images = await startImageFixture();
}, 60_000);
afterAll(async () => {
  for (const c of clients) c.destroy();
  await platform?.dispose();
  await images?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

function clientsOf(p: TestPlatform): { ecs: ECSClient; sm: SecretsManagerClient } {
  const ecs = p.ecs();
  const sm = new SecretsManagerClient({ endpoint: p.endpoint, region: 'us-east-1', credentials: { accessKeyId: p.config.accessKeyId, secretAccessKey: p.config.secretAccessKey }, maxAttempts: 1 });
  clients.push(ecs, sm);
  return { ecs, sm };
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const got = await probe();
    if (got !== undefined) return got;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const stepOf = (t: Task) => t.overrides?.containerOverrides?.[0]?.environment?.find((e) => e.name === 'STEP')?.value;

async function rotationTasks(ecs: ECSClient, desiredStatus: 'RUNNING' | 'STOPPED'): Promise<Task[]> {
  const { taskArns } = await ecs.send(new ListTasksCommand({ cluster: 'default', startedBy: 'secretsmanager-rotation', desiredStatus }));
  if (!taskArns?.length) return [];
  const { tasks } = await ecs.send(new DescribeTasksCommand({ cluster: 'default', tasks: taskArns }));
  return (tasks ?? []).sort((a, b) => a.createdAt!.getTime() - b.createdAt!.getTime());
}

describe('a rotation across a restart', () => {
  it('carries on from the step under way, which runs once', { timeout: 240_000 }, async () => {
    platform = await startTestPlatform({}, { rotationTickMs: 200 });
    dataDir = platform.config.dataDir;
    const config = platform.config;
    let { ecs, sm } = clientsOf(platform);
    await ensureTaskRole(ecs, ROLE);
    await ensureTaskRole(ecs, 'arn:aws:iam::000000000000:role/ecsTaskExecutionRole');
    const { taskDefinition } = await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'rotator-slow',
        networkMode: 'awsvpc',
        requiresCompatibilities: ['FARGATE'],
        cpu: '256',
        memory: '512',
        taskRoleArn: ROLE,
        containerDefinitions: [{ name: 'rotate', image: images.image, command: ['sh', '-c', 'if [ "$STEP" = setSecret ]; then sleep 6; fi'] }],
      }),
    );
    await sm.send(new CreateSecretCommand({ Name: 'restart/db', SecretString: 'v1' }));
    const { VersionId: token } = await sm.send(new RotateSecretCommand({ SecretId: 'restart/db', RotationLambdaARN: taskDefinition!.taskDefinitionArn! }));
    await sm.send(new PutSecretValueCommand({ SecretId: 'restart/db', ClientRequestToken: token!, SecretString: 'v2', VersionStages: ['AWSPENDING'] }));
    const setSecret = await until('setSecret to run', async () => (await rotationTasks(ecs, 'RUNNING')).find((t) => stepOf(t) === 'setSecret' && t.lastStatus === 'RUNNING'));

    // The platform goes away while setSecret's task runs; the task runs on.
    await platform.close();
    platform = undefined;
    platform = await startTestPlatform(config, { rotationTickMs: 200 });
    ({ ecs, sm } = clientsOf(platform));

    await until('the rotation to finish', async () => {
      const d = await sm.send(new DescribeSecretCommand({ SecretId: 'restart/db' }));
      return d.VersionIdsToStages?.[token!]?.includes('AWSCURRENT') ? d : undefined;
    });
    const tasks = await rotationTasks(ecs, 'STOPPED');
    expect(tasks.map(stepOf)).toEqual(['createSecret', 'setSecret', 'testSecret', 'finishSecret']);
    expect(tasks[1]!.taskArn).toBe(setSecret.taskArn);
    expect(tasks.map((t) => t.containers?.[0]?.exitCode)).toEqual([0, 0, 0, 0]);
  });
});
