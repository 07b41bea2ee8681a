import { CloudWatchLogsClient, FilterLogEventsCommand, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import type { ECSClient } from '@aws-sdk/client-ecs';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usePlatform } from '../support/platform.js';
import { isStopped, runTask, startImageFixture, waitForTask, type ImageFixture } from './task-fixture.js';

const env = usePlatform();
let ecs: ECSClient;
let logs: CloudWatchLogsClient;
let fixture: ImageFixture;

beforeAll(async () => {
  ecs = env.ecs();
  logs = new CloudWatchLogsClient({ endpoint: env.platform().endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
  fixture = await startImageFixture();
});
afterAll(async () => {
  logs?.destroy();
  await fixture?.stop();
});

describe('the awslogs driver', () => {
  it('delivers every line of stdout and stderr, in order, to ECS\'s group and stream', async () => {
    const lines = 3000;
    const res = await runTask(ecs, 'logs', 'chatty', [
      {
        name: 'app',
        image: fixture.image,
        command: ['sh', '-c', `i=0; while [ $i -lt ${lines} ]; do echo "line $i"; i=$((i+1)); done; echo '{"logType":"ErrorLog","code":500}' >&2; echo '{"logType":"Info","code":200}'`],
        logConfiguration: {
          logDriver: 'awslogs',
          options: { 'awslogs-group': '/ecs/chatty', 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': 'web', 'awslogs-create-group': 'true' },
        },
      },
    ], { executionRoleArn: 'arn:aws:iam::000000000000:role/ecsTaskExecutionRole' });
    const task = await waitForTask(ecs, 'logs', res.tasks![0]!.taskArn!, isStopped);
    expect(task.containers?.[0]?.exitCode).toBe(0);
    const taskId = task.taskArn!.split('/').pop();
    const messages: string[] = [];
    let token: string | undefined;
    for (let page = 0; page < 100; page++) {
      const out = await logs.send(
        new GetLogEventsCommand({ logGroupName: '/ecs/chatty', logStreamName: `web/app/${taskId}`, startFromHead: true, ...(token && { nextToken: token }) }),
      );
      messages.push(...out.events!.map((e) => e.message!));
      if (out.nextForwardToken === token) break;
      token = out.nextForwardToken;
    }
    // stdout's lines keep their order; the one stderr line comes through its own pipe.
    expect(messages.filter((m) => m.startsWith('line '))).toEqual(Array.from({ length: lines }, (_, i) => `line ${i}`));
    expect(messages).toHaveLength(lines + 2);

    const errors = await logs.send(new FilterLogEventsCommand({ logGroupName: '/ecs/chatty', filterPattern: '{ $.logType = "ErrorLog" }' }));
    expect(errors.events?.map((e) => JSON.parse(e.message!))).toEqual([{ logType: 'ErrorLog', code: 500 }]);
  });

  it('routes awsfirelens output to CloudWatch Logs and to a compressed archive at once', async () => {
    const res = await runTask(ecs, 'logs', 'firelens', [
      { name: 'log_router', image: fixture.image, essential: false, command: ['sleep', '1'], firelensConfiguration: { type: 'fluentbit' } },
      {
        name: 'app',
        image: fixture.image,
        command: ['sh', '-c', 'echo first; echo second >&2; echo third'],
        logConfiguration: {
          logDriver: 'awsfirelens',
          options: { Name: 'cloudwatch_logs,s3', region: 'us-east-1', log_group_name: '/firelens/app', log_stream_prefix: 'fl-', auto_create_group: 'true', bucket: 'archive-bucket', s3_key_format: '/app/$TAG/%Y%m%d%H.log.gz' },
        },
      },
    ], { executionRoleArn: 'arn:aws:iam::000000000000:role/ecsTaskExecutionRole' });
    const task = await waitForTask(ecs, 'logs', res.tasks![0]!.taskArn!, isStopped);
    const taskId = task.taskArn!.split('/').pop()!;
    const tag = `app-firelens-${taskId}`;
    const events = await logs.send(new GetLogEventsCommand({ logGroupName: '/firelens/app', logStreamName: `fl-${tag}`, startFromHead: true }));
    const records = events.events!.map((e) => JSON.parse(e.message!) as { log: string; source: string; ecs_task_arn: string });
    // Order holds within a stream; stdout and stderr are separate pipes, read as they come.
    const ofSource = (source: string) => records.filter((r) => r.source === source).map((r) => r.log);
    expect(ofSource('stdout')).toEqual(['first', 'third']);
    expect(ofSource('stderr')).toEqual(['second']);
    expect(records[0]!.ecs_task_arn).toBe(task.taskArn);

    const root = join(env.platform().config.dataDir, 'archive', 'archive-bucket', 'app', tag);
    const files = readdirSync(root);
    expect(files.every((f) => f.endsWith('.log.gz'))).toBe(true);
    const archived = files.flatMap((f) => gunzipSync(readFileSync(join(root, f))).toString('utf8').trim().split('\n')).map((l) => (JSON.parse(l) as { log: string }).log);
    expect(archived.sort()).toEqual(['first', 'second', 'third']);
  });
});
