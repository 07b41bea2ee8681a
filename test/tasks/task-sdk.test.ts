import { CloudWatchLogsClient, CreateLogGroupCommand, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import type { ECSClient } from '@aws-sdk/client-ecs';
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDistributionRegistry, type DistributionRegistry } from '../support/distribution-registry.js';
import { nodeSdkCommand, pushNodeSdkImage } from '../support/node-sdk-image.js';
import { usePlatform } from '../support/platform.js';
import { ECS_TASKS_TRUST, isStopped, runTask, waitForTask } from './task-fixture.js';

/**
 * A task whose application is a real AWS SDK for JavaScript v3 program (node-sdk-program.ts), with
 * no credentials, endpoint or region in its code or its definition: the SDK's default chain finds
 * the task role's credentials and the platform's endpoint from what the task is given, and the
 * role's policy decides what it may do.
 */

const env = usePlatform();
const ACCOUNT = '000000000000';
const ROLE_NAME = 'sdk-app';
const TASK_ROLE = `arn:aws:iam::${ACCOUNT}:role/${ROLE_NAME}`;
const EXEC_ROLE = `arn:aws:iam::${ACCOUNT}:role/ecsTaskExecutionRole`;
const APP_GROUP = '/sdk/app';
const OTHER_GROUP = '/sdk/other';
const OUTPUT_GROUP = '/ecs/sdk';
const MESSAGE = 'written through the SDK with the task role';

let registry: DistributionRegistry;
let image: string;
let sm: SecretsManagerClient;
let logs: CloudWatchLogsClient;
let ecs: ECSClient;
const secrets = { allowed: '', denied: '' };

beforeAll(async () => {
  const platform = env.platform();
  ecs = env.ecs();
  const client = { endpoint: platform.endpoint, region: 'us-east-1', credentials: { accessKeyId: platform.config.accessKeyId, secretAccessKey: platform.config.secretAccessKey }, maxAttempts: 1 };
  sm = new SecretsManagerClient(client);
  logs = new CloudWatchLogsClient(client);
  registry = await startDistributionRegistry();
  image = await pushNodeSdkImage(registry.host);

  secrets.allowed = (await sm.send(new CreateSecretCommand({ Name: 'sdk/allowed', SecretString: 'the allowed value' }))).ARN!;
  secrets.denied = (await sm.send(new CreateSecretCommand({ Name: 'sdk/denied', SecretString: 'not for this role' }))).ARN!;
  await logs.send(new CreateLogGroupCommand({ logGroupName: APP_GROUP }));
  await logs.send(new CreateLogGroupCommand({ logGroupName: OTHER_GROUP }));
  const iam = new IAMClient(client);
  try {
    await iam.send(new CreateRoleCommand({ RoleName: ROLE_NAME, AssumeRolePolicyDocument: ECS_TASKS_TRUST }));
    const policy = {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: secrets.allowed },
        { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${APP_GROUP}:*` },
      ],
    };
    await iam.send(new PutRolePolicyCommand({ RoleName: ROLE_NAME, PolicyName: 'app', PolicyDocument: JSON.stringify(policy) }));
  } finally {
    iam.destroy();
  }
}, 120_000);
afterAll(async () => {
  sm?.destroy();
  logs?.destroy();
  await registry?.stop();
});

describe('the AWS SDK for JavaScript v3 inside a task', () => {
  it('finds the task role and the endpoint with no configuration, and is allowed only what the role allows', { timeout: 180_000 }, async () => {
    const res = await runTask(
      ecs,
      'sdk',
      'sdk-probe',
      [
        {
          name: 'app',
          image,
          command: nodeSdkCommand('probe'),
          environment: [
            { name: 'ALLOWED_SECRET', value: 'sdk/allowed' },
            { name: 'DENIED_SECRET', value: 'sdk/denied' },
            { name: 'LOG_GROUP', value: APP_GROUP },
            { name: 'LOG_STREAM', value: 'from-the-task' },
            { name: 'LOG_MESSAGE', value: MESSAGE },
            { name: 'DENIED_LOG_GROUP', value: OTHER_GROUP },
          ],
          logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': OUTPUT_GROUP, 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': 'task', 'awslogs-create-group': 'true' } },
        },
      ],
      { taskRoleArn: TASK_ROLE, executionRoleArn: EXEC_ROLE },
    );
    expect(res.failures).toEqual([]);
    const taskArn = res.tasks![0]!.taskArn!;
    const taskId = taskArn.split('/').pop()!;
    const task = await waitForTask(ecs, 'sdk', taskArn, isStopped, 150_000);

    const out = await logs.send(new GetLogEventsCommand({ logGroupName: OUTPUT_GROUP, logStreamName: `task/app/${taskId}`, startFromHead: true }));
    const lines = out.events!.map((e) => e.message!);
    const value = (key: string) => lines.find((l) => l.startsWith(`${key}=`))?.slice(key.length + 1);
    expect({ reason: task.stoppedReason, exit: task.containers?.[0]?.exitCode, error: value('ERROR') }).toEqual({ reason: 'Essential container in task exited', exit: 0, error: undefined });
    // Nothing but what the platform gives every task: no keys, no profile.
    expect(value('AWS_ENV')).toBe('AWS_CONTAINER_CREDENTIALS_RELATIVE_URI,AWS_DEFAULT_REGION,AWS_ENDPOINT_URL,AWS_EXECUTION_ENV,AWS_REGION');
    expect(value('CALLER')).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/${ROLE_NAME}/${taskId}`);
    expect(value('ALLOWED')).toBe('the allowed value');
    expect(value('DENIED')).toBe('AccessDeniedException');
    expect(value('LOGGED')).toBe('ok');
    expect(value('LOG_DENIED')).toBe('AccessDeniedException');

    // The event the task wrote is there, read back with the SDK from outside.
    const written = await logs.send(new GetLogEventsCommand({ logGroupName: APP_GROUP, logStreamName: 'from-the-task', startFromHead: true }));
    expect(written.events?.map((e) => e.message)).toEqual([MESSAGE]);
  });
});
