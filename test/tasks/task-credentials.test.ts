import { CloudWatchLogsClient, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import type { ECSClient } from '@aws-sdk/client-ecs';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usePlatform } from '../support/platform.js';
import { ensureTaskRole, isStopped, runTask, startImageFixture, waitForTask, type ImageFixture } from './task-fixture.js';

const env = usePlatform();
let ecs: ECSClient;
let logs: CloudWatchLogsClient;
let fixture: ImageFixture;

const ACCOUNT = '000000000000';
const TASK_ROLE = `arn:aws:iam::${ACCOUNT}:role/app-task`;
const EXEC_ROLE = `arn:aws:iam::${ACCOUNT}:role/ecsTaskExecutionRole`;
const LAMBDA_ROLE = `arn:aws:iam::${ACCOUNT}:role/lambda-only`;
const reason = (arn: string) =>
  `ECS was unable to assume the role '${arn}' that was provided for this task. Please verify that the role being passed has the proper trust relationship and permissions and that your IAM user has permissions to pass this role.`;

beforeAll(async () => {
  ecs = env.ecs();
  logs = new CloudWatchLogsClient({ endpoint: env.platform().endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
  fixture = await startImageFixture();
  await ensureTaskRole(ecs, TASK_ROLE);
  await ensureTaskRole(ecs, LAMBDA_ROLE, JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] }));
});
afterAll(async () => {
  logs?.destroy();
  await fixture?.stop();
});

/** The lines a task's container wrote, through awslogs. */
async function linesOf(group: string, taskArn: string): Promise<string[]> {
  const taskId = taskArn.split('/').pop();
  const out = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: `task/app/${taskId}`, startFromHead: true }));
  return out.events!.map((e) => e.message!);
}

describe("a task's role credentials", () => {
  it('are fetched at 169.254.170.2 inside the task and work against the endpoint the task is given', { timeout: 120_000 }, async () => {
    const script = [
      'echo "URI=$AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"',
      'echo "CREDS=$(timeout 10 wget -q -O - "http://169.254.170.2$AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")"',
      // Another id is refused: ids are per task.
      'echo "OTHER=$(timeout 10 wget -q -O - "http://169.254.170.2/v2/credentials/00000000-0000-0000-0000-000000000000" 2>&1)"',
      'echo "ENDPOINT=$AWS_ENDPOINT_URL REGION=$AWS_REGION DEFAULT=$AWS_DEFAULT_REGION"',
      // The endpoint answers from inside the task (an unsigned call is refused by the front door itself).
      'echo "REACH=$(timeout 10 wget -q -O - "$AWS_ENDPOINT_URL/?Action=GetCallerIdentity&Version=2011-06-15" 2>&1)"',
    ].join('; ');
    const res = await runTask(
      ecs,
      'creds',
      'with-role',
      [
        {
          name: 'app',
          image: fixture.image,
          command: ['sh', '-c', script],
          logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/creds', 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': 'task', 'awslogs-create-group': 'true' } },
        },
      ],
      { taskRoleArn: TASK_ROLE, executionRoleArn: EXEC_ROLE },
    );
    const task = await waitForTask(ecs, 'creds', res.tasks![0]!.taskArn!, isStopped);
    expect({ reason: task.stoppedReason, exit: task.containers?.[0]?.exitCode }).toEqual({ reason: 'Essential container in task exited', exit: 0 });
    const lines = await linesOf('/ecs/creds', task.taskArn!);
    const value = (key: string) => lines.find((l) => l.startsWith(`${key}=`))?.slice(key.length + 1);
    expect(value('URI')).toMatch(/^\/v2\/credentials\/[0-9a-f-]{36}$/);
    const creds = JSON.parse(value('CREDS')!) as Record<string, string>;
    expect(Object.keys(creds).sort()).toEqual(['AccessKeyId', 'Expiration', 'RoleArn', 'SecretAccessKey', 'Token']);
    expect(creds.RoleArn).toBe(TASK_ROLE);
    expect(creds.AccessKeyId).toMatch(/^ASIA/);
    expect(creds.Expiration).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(Date.parse(creds.Expiration!) - Date.now()).toBeGreaterThan(5 * 3600_000);
    expect(value('OTHER')).toContain('400');
    expect(value('ENDPOINT')).toMatch(/^http:\/\/10\.214\.\d+\.1:\d+ REGION=us-east-1 DEFAULT=us-east-1$/);
    expect(value('REACH')).toContain('403');

    // The credentials the task got act as its role's session, named by the task id.
    const sts = new STSClient({
      endpoint: env.platform().endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: creds.AccessKeyId!, secretAccessKey: creds.SecretAccessKey!, sessionToken: creds.Token! },
      maxAttempts: 1,
    });
    const who = await sts.send(new GetCallerIdentityCommand({}));
    sts.destroy();
    expect(who.Arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/app-task/${task.taskArn!.split('/').pop()}`);
    expect(who.UserId).toMatch(/^AROA[A-Z2-7]{17}:[0-9a-f]{32}$/);

    // Through the tasks' endpoint (a relay to the loopback front door) the role's credentials work
    // and the well-known default root keys do not: they stay loopback-only.
    const taskEndpoint = value('ENDPOINT')!.split(' ')[0]!;
    const viaRelay = (credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) =>
      new STSClient({ endpoint: taskEndpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
    const asRole = viaRelay({ accessKeyId: creds.AccessKeyId!, secretAccessKey: creds.SecretAccessKey!, sessionToken: creds.Token! });
    const asRoot = viaRelay({ accessKeyId: 'test', secretAccessKey: 'test' });
    try {
      expect((await asRole.send(new GetCallerIdentityCommand({}))).Arn).toBe(who.Arn);
      await expect(asRoot.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({ name: 'InvalidClientTokenId' });
    } finally {
      asRole.destroy();
      asRoot.destroy();
    }
  });

  it("stop a task whose role does not trust ecs-tasks, or does not exist, with ECS's reason", { timeout: 60_000 }, async () => {
    for (const [family, roleArn] of [['untrusted', LAMBDA_ROLE], ['missing', `arn:aws:iam::${ACCOUNT}:role/nobody`]] as const) {
      const res = await runTask(ecs, 'creds', family, [{ name: 'app', image: fixture.image, command: ['true'] }], { taskRoleArn: roleArn });
      const task = await waitForTask(ecs, 'creds', res.tasks![0]!.taskArn!, isStopped);
      expect(task.stopCode).toBe('TaskFailedToStart');
      expect(task.stoppedReason).toBe(reason(roleArn));
      expect(task.containers?.[0]?.runtimeId).toBeUndefined();
    }
  });
});
