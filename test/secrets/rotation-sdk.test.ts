import { CloudWatchLogsClient, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { RegisterTaskDefinitionCommand, type ECSClient, type Task } from '@aws-sdk/client-ecs';
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { CreateSecretCommand, DescribeSecretCommand, GetSecretValueCommand, RotateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDistributionRegistry, type DistributionRegistry } from '../support/distribution-registry.js';
import { nodeSdkCommand, pushNodeSdkImage } from '../support/node-sdk-image.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { ECS_TASKS_TRUST, ensureTaskRole } from '../tasks/task-fixture.js';
import { envOf, stepTasks, until } from './rotation-tasks.js';

/**
 * A rotation function that does its own work: its task runs a real AWS SDK for JavaScript v3
 * program (node-sdk-program.ts, `rotate`) that calls Secrets Manager with the task role's
 * credentials, found with no configuration. createSecret puts a random password on the pending
 * version and finishSecret moves AWSCURRENT itself, so the platform has no label left to move.
 */

const ACCOUNT = '000000000000';
const ROLE_NAME = 'rotation-sdk';
const EXEC_ROLE = `arn:aws:iam::${ACCOUNT}:role/ecsTaskExecutionRole`;
const LOG_GROUP = '/rotation-sdk';
let platform: TestPlatform;
let ecs: ECSClient;
let sm: SecretsManagerClient;
let logs: CloudWatchLogsClient;
let registry: DistributionRegistry;
let definition = '';

beforeAll(async () => {
  platform = await startTestPlatform({}, { rotationTickMs: 200, rotationRetryDelayMs: 3_600_000 });
  ecs = platform.ecs();
  const client = { endpoint: platform.endpoint, region: 'us-east-1', credentials: { accessKeyId: platform.config.accessKeyId, secretAccessKey: platform.config.secretAccessKey }, maxAttempts: 1 };
  sm = new SecretsManagerClient(client);
  logs = new CloudWatchLogsClient(client);
  registry = await startDistributionRegistry();
  const image = await pushNodeSdkImage(registry.host);

  const iam = new IAMClient(client);
  try {
    await iam.send(new CreateRoleCommand({ RoleName: ROLE_NAME, AssumeRolePolicyDocument: ECS_TASKS_TRUST }));
    // What AWS's single-user rotation template needs, on the rotated secrets only.
    const policy = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue', 'secretsmanager:UpdateSecretVersionStage'],
          Resource: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:rotating/*`,
        },
        { Effect: 'Allow', Action: 'secretsmanager:GetRandomPassword', Resource: '*' },
      ],
    };
    await iam.send(new PutRolePolicyCommand({ RoleName: ROLE_NAME, PolicyName: 'rotate', PolicyDocument: JSON.stringify(policy) }));
  } finally {
    iam.destroy();
  }
  await ensureTaskRole(ecs, EXEC_ROLE);
  const { taskDefinition } = await ecs.send(
    new RegisterTaskDefinitionCommand({
      family: 'sdk-rotator',
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '256',
      memory: '512',
      taskRoleArn: `arn:aws:iam::${ACCOUNT}:role/${ROLE_NAME}`,
      executionRoleArn: EXEC_ROLE,
      containerDefinitions: [
        {
          name: 'rotate',
          image,
          command: nodeSdkCommand('rotate'),
          logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': LOG_GROUP, 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': 'sdk-rotator', 'awslogs-create-group': 'true' } },
        },
      ],
    }),
  );
  definition = taskDefinition!.taskDefinitionArn!;
}, 120_000);
afterAll(async () => {
  sm?.destroy();
  logs?.destroy();
  ecs?.destroy();
  await platform?.dispose();
  await registry?.stop();
});


/** What a step's container printed, as `KEY=value` pairs. */
async function outputOf(task: Task): Promise<Record<string, string>> {
  const logStreamName = `sdk-rotator/rotate/${task.taskArn!.split('/').pop()}`;
  const { events } = await logs.send(new GetLogEventsCommand({ logGroupName: LOG_GROUP, logStreamName, startFromHead: true }));
  return Object.fromEntries((events ?? []).map((e) => e.message!).filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
}

describe('a rotation function that calls Secrets Manager from its task', () => {
  it('puts the new value and moves AWSCURRENT itself, with its role and no configuration', { timeout: 240_000 }, async () => {
    const created = await sm.send(new CreateSecretCommand({ Name: 'rotating/sdk', SecretString: 'v1' }));
    const rotated = await sm.send(new RotateSecretCommand({ SecretId: 'rotating/sdk', RotationLambdaARN: definition, RotationRules: { AutomaticallyAfterDays: 30 } }));
    const token = rotated.VersionId!;

    const tasks = await until('the four steps', async () => {
      const t = await stepTasks(ecs, created.ARN!);
      return t.length >= 4 || t.some((s) => s.containers?.[0]?.exitCode !== 0) ? t : undefined;
    });
    const outputs = await Promise.all(tasks.map(outputOf));
    expect(tasks.map((t) => [envOf(t, 'STEP'), t.containers?.[0]?.exitCode, outputs[tasks.indexOf(t)]?.ERROR])).toEqual([
      ['createSecret', 0, undefined],
      ['setSecret', 0, undefined],
      ['testSecret', 0, undefined],
      ['finishSecret', 0, undefined],
    ]);
    // createSecret drew the password from GetRandomPassword and put it on the rotation's version.
    const password = outputs[0]!.CREATED!;
    expect(password).toMatch(/^[A-Za-z0-9]{24}$/);
    expect(outputs.slice(1, 3).map((o) => o.NOOP)).toEqual(['setSecret', 'testSecret']);
    // finishSecret saw AWSCURRENT on the new version before it returned: it moved the label, the
    // platform (which acts only once the task has exited) did not.
    const seen = JSON.parse(outputs[3]!.FINISHED!) as Record<string, string[]>;
    expect(seen[token]).toContain('AWSCURRENT');
    expect(seen[created.VersionId!]).toEqual(['AWSPREVIOUS']);

    const described = await until('the rotation to be recorded', async () => {
      const d = await sm.send(new DescribeSecretCommand({ SecretId: 'rotating/sdk' }));
      return d.LastRotatedDate ? d : undefined;
    });
    expect(Object.fromEntries(Object.entries(described.VersionIdsToStages!).map(([id, stages]) => [id, [...stages].sort()]))).toEqual({
      [created.VersionId!]: ['AWSPREVIOUS'],
      [token]: [...seen[token]!].sort(),
    });
    expect((await sm.send(new GetSecretValueCommand({ SecretId: 'rotating/sdk' }))).SecretString).toBe(password);
    expect((await sm.send(new GetSecretValueCommand({ SecretId: 'rotating/sdk', VersionStage: 'AWSPREVIOUS' }))).SecretString).toBe('v1');
  });
});
