import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RegisterTaskDefinitionCommand, type ECSClient, type Task } from '@aws-sdk/client-ecs';
import { CloudWatchLogsClient, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  CreateSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  RotateSecretCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCli } from '../support/aws-cli.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { ensureTaskRole, startImageFixture, type ImageFixture } from '../tasks/task-fixture.js';
import { failure } from './fixture.js';
import { stepTasks, until } from './rotation-tasks.js';

/**
 * Rotation through real tasks: the rotation function is a busybox task definition that prints the
 * event it was given and exits with the step's result. Busybox cannot sign AWS requests, so the
 * value createSecret would put is put by the test, with the rotation's ClientRequestToken, as the
 * function would; the platform completes finishSecret's label move (see README, Rotation).
 * rotation-sdk.test.ts runs a function that makes these calls itself, with the AWS SDK.
 */

const ACCOUNT = '000000000000';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/rotation-function`;
const EXEC_ROLE = `arn:aws:iam::${ACCOUNT}:role/ecsTaskExecutionRole`;
let platform: TestPlatform;
let ecs: ECSClient;
let sm: SecretsManagerClient;
let logs: CloudWatchLogsClient;
let images: ImageFixture;
let home: string;
const definitions = { ok: '', fails: '' };

const script = 'echo "event $STEP $SECRET_ID $CLIENT_REQUEST_TOKEN"; if [ "$STEP" = "$FAIL_AT" ]; then exit 3; fi';

async function registerRotator(family: string, failAt: string): Promise<string> {
  const { taskDefinition } = await ecs.send(
    new RegisterTaskDefinitionCommand({
      family,
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '256',
      memory: '512',
      taskRoleArn: ROLE,
      executionRoleArn: EXEC_ROLE,
      containerDefinitions: [
        {
          name: 'rotate',
          image: images.image,
          command: ['sh', '-c', script],
          environment: [{ name: 'FAIL_AT', value: failAt }],
          logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/rotation', 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': family, 'awslogs-create-group': 'true' } },
        },
      ],
    }),
  );
  return taskDefinition!.taskDefinitionArn!;
}

beforeAll(async () => {
  platform = await startTestPlatform({}, { rotationTickMs: 200, rotationRetryDelayMs: 3_600_000 });
  ecs = platform.ecs();
  const credentials = { accessKeyId: platform.config.accessKeyId, secretAccessKey: platform.config.secretAccessKey };
  sm = new SecretsManagerClient({ endpoint: platform.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
  logs = new CloudWatchLogsClient({ endpoint: platform.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
  images = await startImageFixture();
  home = mkdtempSync(join(tmpdir(), 'minato-rotation-cli-'));
  await ensureTaskRole(ecs, ROLE);
  await ensureTaskRole(ecs, EXEC_ROLE);
  definitions.ok = await registerRotator('rotator-ok', 'none');
  definitions.fails = await registerRotator('rotator-fails', 'testSecret');
}, 120_000);
afterAll(async () => {
  sm?.destroy();
  logs?.destroy();
  ecs?.destroy();
  await platform?.dispose();
  await images?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
});

const aws = (...args: string[]) => awsCli(platform.endpoint, home, args, { AWS_ACCESS_KEY_ID: platform.config.accessKeyId, AWS_SECRET_ACCESS_KEY: platform.config.secretAccessKey });

const stepOf = (t: Task) => t.overrides?.containerOverrides?.[0]?.environment?.find((e) => e.name === 'STEP')?.value;

describe('secret rotation through a task definition', () => {
  it('runs the four steps as tasks with the event in their environment and moves AWSCURRENT to the new version', { timeout: 180_000 }, async () => {
    const created = await sm.send(new CreateSecretCommand({ Name: 'rotating/db', SecretString: 'v1' }));
    const rotated = await sm.send(new RotateSecretCommand({ SecretId: 'rotating/db', RotationLambdaARN: definitions.ok, RotationRules: { AutomaticallyAfterDays: 30 } }));
    const token = rotated.VersionId!;
    expect(token).toMatch(/^[0-9a-f-]{36}$/);
    // What the function's createSecret does: the new value, on the version the rotation made.
    await sm.send(new PutSecretValueCommand({ SecretId: 'rotating/db', ClientRequestToken: token, SecretString: 'v2', VersionStages: ['AWSPENDING'] }));

    const described = await until('the rotation to finish', async () => {
      const d = await sm.send(new DescribeSecretCommand({ SecretId: 'rotating/db' }));
      return d.VersionIdsToStages?.[token]?.includes('AWSCURRENT') ? d : undefined;
    });
    expect(described.VersionIdsToStages).toEqual({ [created.VersionId!]: ['AWSPREVIOUS'], [token]: ['AWSPENDING', 'AWSCURRENT'] });
    expect(described).toMatchObject({ RotationEnabled: true, RotationLambdaARN: definitions.ok, RotationRules: { AutomaticallyAfterDays: 30 } });
    const rotatedAt = described.LastRotatedDate!.getTime();
    expect(Math.abs(rotatedAt - Date.now())).toBeLessThan(120_000);
    const day = Math.floor(rotatedAt / 86_400_000) * 86_400_000;
    expect(described.NextRotationDate!.getTime()).toBe(day + 31 * 86_400_000 - 1000);
    expect((await sm.send(new GetSecretValueCommand({ SecretId: 'rotating/db' }))).SecretString).toBe('v2');

    const tasks = await stepTasks(ecs, created.ARN!);
    expect(tasks.map(stepOf)).toEqual(['createSecret', 'setSecret', 'testSecret', 'finishSecret']);
    expect(tasks.map((t) => t.containers?.[0]?.exitCode)).toEqual([0, 0, 0, 0]);
    // The container saw the event: the step, the secret's ARN and the token.
    const first = tasks[0]!;
    const events = await until('the first step to have logged', async () => {
      const out = await logs.send(new GetLogEventsCommand({ logGroupName: '/rotation', logStreamName: `rotator-ok/rotate/${first.taskArn!.split('/').pop()}`, startFromHead: true }));
      return out.events?.length ? out.events : undefined;
    });
    expect(events.map((e) => e.message)).toContain(`event createSecret ${created.ARN} ${token}`);
  });

  it('stops at the step whose task exits non-zero, keeps AWSPENDING, and answers the next RotateSecret as AWS does', { timeout: 180_000 }, async () => {
    const created = await sm.send(new CreateSecretCommand({ Name: 'rotating/failing', SecretString: 'v1' }));
    // The family alone names its latest revision.
    const rotated = await sm.send(new RotateSecretCommand({ SecretId: 'rotating/failing', RotationLambdaARN: 'rotator-fails', RotationRules: { ScheduleExpression: 'rate(10 days)', Duration: '4h' } }));
    const token = rotated.VersionId!;
    const tasks = await until('the failing step', async () => {
      const t = await stepTasks(ecs, created.ARN!);
      return t.length >= 3 ? t : undefined;
    });
    expect(tasks.map(stepOf)).toEqual(['createSecret', 'setSecret', 'testSecret']);
    expect(tasks.map((t) => t.containers?.[0]?.exitCode)).toEqual([0, 0, 3]);
    // No further step starts once the run has failed.
    await new Promise((r) => setTimeout(r, 2_000));
    expect(await stepTasks(ecs, created.ARN!)).toHaveLength(3);
    const described = await sm.send(new DescribeSecretCommand({ SecretId: 'rotating/failing' }));
    expect(described.VersionIdsToStages).toEqual({ [created.VersionId!]: ['AWSCURRENT'], [token]: ['AWSPENDING'] });
    expect(described).toMatchObject({ RotationEnabled: true, RotationRules: { ScheduleExpression: 'rate(10 days)', Duration: '4h' } });
    expect(described.LastRotatedDate).toBeUndefined();
    // The pending version has no value: createSecret (here) did not put one.
    const empty = await failure(sm.send(new GetSecretValueCommand({ SecretId: 'rotating/failing', VersionStage: 'AWSPENDING' })));
    expect(empty.name).toBe('ResourceNotFoundException');

    const again = await aws('secretsmanager', 'rotate-secret', '--secret-id', 'rotating/failing');
    expect(again.code).not.toBe(0);
    expect(again.stderr.trim()).toBe("An error occurred (InvalidRequestException) when calling the RotateSecret operation: A previous rotation isn't complete. That rotation will be reattempted.");
    // The reattempt runs on the same version.
    const retried = await until('the reattempt to fail', async () => {
      const t = await stepTasks(ecs, created.ARN!);
      return t.length >= 6 ? t : undefined;
    });
    expect(retried.slice(3).map(stepOf)).toEqual(['createSecret', 'setSecret', 'testSecret']);
    expect(retried.slice(3).every((t) => t.overrides?.containerOverrides?.[0]?.environment?.some((e) => e.name === 'CLIENT_REQUEST_TOKEN' && e.value === token))).toBe(true);

    const cancelled = await aws('secretsmanager', 'cancel-rotate-secret', '--secret-id', 'rotating/failing');
    expect(cancelled.code, cancelled.stderr).toBe(0);
    expect(JSON.parse(cancelled.stdout)).toEqual({ ARN: created.ARN, Name: 'rotating/failing' });
    const after = JSON.parse((await aws('secretsmanager', 'describe-secret', '--secret-id', 'rotating/failing')).stdout);
    expect(after).toMatchObject({ RotationEnabled: false, RotationLambdaARN: 'rotator-fails', RotationRules: { ScheduleExpression: 'rate(10 days)', Duration: '4h' } });
    expect(after.NextRotationDate).toBeUndefined();
    // AWS leaves the partial version for the owner to look at.
    expect(after.VersionIdsToStages[token]).toEqual(['AWSPENDING']);
  });

  it('configures rotation from the AWS CLI and refuses what AWS refuses', { timeout: 60_000 }, async () => {
    await sm.send(new CreateSecretCommand({ Name: 'rotating/cli', SecretString: 'v1' }));
    const configured = await aws(
      'secretsmanager', 'rotate-secret', '--secret-id', 'rotating/cli', '--rotation-lambda-arn', definitions.ok,
      '--rotation-rules', '{"ScheduleExpression":"cron(0 16 1,15 * ? *)","Duration":"2h"}', '--no-rotate-immediately',
    );
    expect(configured.code, configured.stderr).toBe(0);
    expect(JSON.parse(configured.stdout).VersionId).toBeUndefined();
    const described = JSON.parse((await aws('secretsmanager', 'describe-secret', '--secret-id', 'rotating/cli')).stdout);
    expect(described).toMatchObject({ RotationEnabled: true, RotationLambdaARN: definitions.ok, RotationRules: { ScheduleExpression: 'cron(0 16 1,15 * ? *)', Duration: '2h' } });
    const next = new Date(described.NextRotationDate * 1000);
    expect([1, 15]).toContain(next.getUTCDate());
    expect(next.getUTCHours()).toBe(18);

    const refused = async (args: string[]) => (await aws('secretsmanager', 'rotate-secret', ...args)).stderr.trim();
    expect(await refused(['--secret-id', 'rotating/cli', '--rotation-lambda-arn', `arn:aws:lambda:us-east-1:${ACCOUNT}:function:rotate`])).toMatch(
      /^An error occurred \(InvalidParameterException\) when calling the RotateSecret operation: RotationLambdaARN names a Lambda function, and Lambda is not served here/,
    );
    expect(await refused(['--secret-id', 'rotating/cli', '--rotation-rules', '{"AutomaticallyAfterDays":7,"ScheduleExpression":"rate(7 days)"}'])).toMatch(/\(InvalidParameterException\).*not both/);
    expect(await refused(['--secret-id', 'rotating/cli', '--rotation-rules', '{"ScheduleExpression":"rate(2 hours)"}'])).toMatch(/\(InvalidParameterException\).*within 4-23 hours/);
    expect(await refused(['--secret-id', 'rotating/cli', '--rotation-lambda-arn', 'no-such-family'])).toMatch(/\(InvalidParameterException\).*names no registered task definition/);
    expect(await refused(['--secret-id', 'rotating/none', '--rotation-lambda-arn', definitions.ok])).toBe(
      "An error occurred (ResourceNotFoundException) when calling the RotateSecret operation: Secrets Manager can't find the specified secret.",
    );
    await sm.send(new CreateSecretCommand({ Name: 'rotating/plain', SecretString: 'v1' }));
    expect(await refused(['--secret-id', 'rotating/plain'])).toBe(
      'An error occurred (InvalidRequestException) when calling the RotateSecret operation: No Lambda rotation function ARN is associated with this secret.',
    );
    const plain = JSON.parse((await aws('secretsmanager', 'describe-secret', '--secret-id', 'rotating/plain')).stdout);
    expect(plain.RotationEnabled).toBeUndefined();
    await aws('secretsmanager', 'delete-secret', '--secret-id', 'rotating/cli');
    expect(await refused(['--secret-id', 'rotating/cli'])).toMatch(/\(InvalidRequestException\).*marked for deletion/);
  });
});
