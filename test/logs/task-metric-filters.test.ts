import { CloudWatchClient, GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, CreateLogGroupCommand, PutMetricFilterCommand } from '@aws-sdk/client-cloudwatch-logs';
import type { ECSClient } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usePlatform } from '../support/platform.js';
import { isStopped, runTask, startImageFixture, waitForTask, type ImageFixture } from '../tasks/task-fixture.js';

const env = usePlatform();
let ecs: ECSClient;
let logs: CloudWatchLogsClient;
let cw: CloudWatchClient;
let fixture: ImageFixture;

beforeAll(async () => {
  ecs = env.ecs();
  const config = { endpoint: env.platform().endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 };
  logs = new CloudWatchLogsClient(config);
  cw = new CloudWatchClient(config);
  fixture = await startImageFixture();
});
afterAll(async () => {
  logs?.destroy();
  cw?.destroy();
  await fixture?.stop();
});

describe('metric filters over a task\'s awslogs lines', () => {
  it('count what a real container writes', async () => {
    const start = Math.floor(Date.now() / 60_000) * 60_000;
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/ecs/metered' }));
    await logs.send(
      new PutMetricFilterCommand({
        logGroupName: '/ecs/metered',
        filterName: 'requests',
        filterPattern: '[method, path, status = 5*, ms]',
        metricTransformations: [{ metricName: 'ServerErrors', metricNamespace: 'Metered', metricValue: '$ms', unit: 'Milliseconds', dimensions: { Path: '$path' } }],
      }),
    );
    const res = await runTask(ecs, 'logs', 'metered', [
      {
        name: 'app',
        image: fixture.image,
        command: ['sh', '-c', 'echo "GET /a 200 5"; echo "GET /a 500 30"; echo "noise"; echo "POST /a 503 12"; echo "GET /b 502 7"'],
        logConfiguration: {
          logDriver: 'awslogs',
          options: { 'awslogs-group': '/ecs/metered', 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': 'web' },
        },
      },
    ], { executionRoleArn: 'arn:aws:iam::000000000000:role/ecsTaskExecutionRole' });
    const task = await waitForTask(ecs, 'logs', res.tasks![0]!.taskArn!, isStopped);
    expect(task.containers?.[0]?.exitCode).toBe(0);

    // The lines' timestamps fall in the minute the task ran (or the next): one period covers both.
    const stats = (path: string) =>
      cw.send(
        new GetMetricStatisticsCommand({
          Namespace: 'Metered',
          MetricName: 'ServerErrors',
          Dimensions: [{ Name: 'Path', Value: path }],
          StartTime: new Date(start),
          EndTime: new Date(start + 5 * 60_000),
          Period: 300,
          Statistics: ['Sum', 'SampleCount'],
        }),
      );
    expect((await stats('/a')).Datapoints).toEqual([{ Timestamp: new Date(start), Sum: 42, SampleCount: 2, Unit: 'Milliseconds' }]);
    expect((await stats('/b')).Datapoints).toEqual([{ Timestamp: new Date(start), Sum: 7, SampleCount: 1, Unit: 'Milliseconds' }]);
  });
});
