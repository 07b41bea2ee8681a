/**
 * Alerting and scaling on a service's logs: a real task writes JSON lines through awslogs, a
 * metric filter `{ $.logType = "ErrorLog" }` counts its errors, and one alarm on that count names
 * a step scaling policy and an SNS topic. When the task starts logging errors, the alarm fires:
 * the service's desired count goes up and CloudWatch's notification reaches an HTTP endpoint on
 * loopback, signed (checked as SNS's client libraries check it). Also: CloudWatch's Query protocol
 * by a hand-built SigV4 request, against what the AWS CLI reads back.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudWatchLogsClient, CreateLogGroupCommand, PutMetricFilterCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateClusterCommand, CreateServiceCommand, DeleteServiceCommand, RegisterTaskDefinitionCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCli } from '../support/aws-cli.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { signedQuery, xmlValues } from '../support/signed-query.js';
import { NETWORK, waitForService } from '../services/service-fixture.js';
import { TestEndpoint, verifySnsMessage } from '../sns/sns-fixture.js';
import { ensureTaskRole, startImageFixture, type ImageFixture } from '../tasks/task-fixture.js';

const CLUSTER = 'logs';
const SERVICE = 'api';
const RESOURCE = `service/${CLUSTER}/${SERVICE}`;
const GROUP = '/ecs/api';

let platform: TestPlatform;
let ecs: ECSClient;
let logs: CloudWatchLogsClient;
let fixture: ImageFixture;
let endpoint: TestEndpoint;
let home: string;
const control = mkdtempSync(join(tmpdir(), 'minato-errlog-'));

const aws = async (...args: string[]) => {
  const res = await awsCli(platform.endpoint, home, args);
  if (res.code !== 0) throw new Error(`aws ${args.slice(0, 2).join(' ')} failed: ${res.stderr}`);
  return res.stdout.trim() === '' ? {} : (JSON.parse(res.stdout) as Record<string, unknown>);
};

beforeAll(async () => {
  // Alarm rounds every second instead of every 10 s: periods and the minute's full round stay CloudWatch's.
  platform = await startTestPlatform({}, { alarmTickMs: 1000 });
  ecs = platform.ecs();
  logs = new CloudWatchLogsClient({ endpoint: platform.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
  fixture = await startImageFixture();
  endpoint = await new TestEndpoint().start();
  home = mkdtempSync(join(tmpdir(), 'minato-errlog-cli-'));
}, 60_000);

afterAll(async () => {
  await ecs?.send(new DeleteServiceCommand({ cluster: CLUSTER, service: SERVICE, force: true })).catch(() => undefined);
  ecs?.destroy();
  logs?.destroy();
  await fixture?.stop();
  await platform?.dispose();
  await endpoint?.close();
  if (home) rmSync(home, { recursive: true, force: true });
  rmSync(control, { recursive: true, force: true });
});

describe('a metric filter on error lines drives a step policy and an SNS notification', () => {
  it('scales the service out and notifies a signed HTTP endpoint when its task logs errors', async () => {
    // The topic and a confirmed HTTP subscription, by the AWS CLI and SNS's handshake.
    const topicArn = (await aws('sns', 'create-topic', '--name', 'api-alerts')).TopicArn as string;
    await aws('sns', 'subscribe', '--topic-arn', topicArn, '--protocol', 'http', '--notification-endpoint', endpoint.url);
    const [confirmation] = await endpoint.waitFor('SubscriptionConfirmation');
    expect(await verifySnsMessage(confirmation!.body)).toBe(true);
    expect((await fetch(confirmation!.body.SubscribeURL!)).status).toBe(200);

    // Every line counts: 1 for an ErrorLog, 0 for anything else (defaultValue), so the alarm has data before the errors.
    await logs.send(new CreateLogGroupCommand({ logGroupName: GROUP }));
    await logs.send(
      new PutMetricFilterCommand({
        logGroupName: GROUP,
        filterName: 'errors',
        filterPattern: '{ $.logType = "ErrorLog" }',
        metricTransformations: [{ metricName: 'ErrorCount', metricNamespace: 'Api', metricValue: '1', defaultValue: 0 }],
      }),
    );

    await ecs.send(new CreateClusterCommand({ clusterName: CLUSTER }));
    // The execution role must exist and trust ECS tasks for a task to start, as on AWS.
    await ensureTaskRole(ecs, 'arn:aws:iam::000000000000:role/ecsTaskExecutionRole');
    const { taskDefinition } = await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'api',
        networkMode: 'awsvpc',
        requiresCompatibilities: ['EC2'],
        cpu: '128',
        memory: '128',
        executionRoleArn: 'arn:aws:iam::000000000000:role/ecsTaskExecutionRole',
        volumes: [{ name: 'control', host: { sourcePath: control } }],
        containerDefinitions: [
          {
            name: 'app',
            image: fixture.image,
            mountPoints: [{ sourceVolume: 'control', containerPath: '/control' }],
            // Info lines every second; error lines once the test writes /control/fail.
            command: [
              'sh',
              '-c',
              'trap "exit 0" TERM; while true; do if [ -e /control/fail ]; then echo \'{"logType":"ErrorLog","message":"upstream refused"}\'; else echo \'{"logType":"InfoLog","message":"ok"}\'; fi; sleep 1; done',
            ],
            logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': GROUP, 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': 'api' } },
          },
        ],
      }),
    );
    await ecs.send(new CreateServiceCommand({ cluster: CLUSTER, serviceName: SERVICE, taskDefinition: taskDefinition!.taskDefinitionArn!, desiredCount: 1, launchType: 'EC2', networkConfiguration: NETWORK }));
    await waitForService(ecs, CLUSTER, SERVICE, (s) => s.runningCount === 1, 90_000);

    await aws('application-autoscaling', 'register-scalable-target', '--service-namespace', 'ecs', '--resource-id', RESOURCE, '--scalable-dimension', 'ecs:service:DesiredCount', '--min-capacity', '1', '--max-capacity', '2');
    const policy = (await aws(
      'application-autoscaling', 'put-scaling-policy', '--service-namespace', 'ecs', '--resource-id', RESOURCE, '--scalable-dimension', 'ecs:service:DesiredCount',
      '--policy-name', 'on-errors', '--policy-type', 'StepScaling',
      '--step-scaling-policy-configuration',
      JSON.stringify({ AdjustmentType: 'ChangeInCapacity', Cooldown: 0, MetricAggregationType: 'Maximum', StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 1 }] }),
    )) as { PolicyARN: string };
    await aws('cloudwatch', 'put-metric-alarm', '--alarm-name', 'api-errors', '--namespace', 'Api', '--metric-name', 'ErrorCount',
      '--statistic', 'Sum', '--period', '60', '--evaluation-periods', '1', '--threshold', '1', '--comparison-operator', 'GreaterThanOrEqualToThreshold',
      '--treat-missing-data', 'notBreaching', '--alarm-actions', policy.PolicyARN, topicArn);

    // Info lines only: the alarm does not fire.
    const describe = async () => ((await aws('cloudwatch', 'describe-alarms', '--alarm-names', 'api-errors')) as { MetricAlarms: Array<{ StateValue: string }> }).MetricAlarms[0]!.StateValue;
    await new Promise((r) => setTimeout(r, 5_000));
    expect(await describe()).not.toBe('ALARM');
    expect((await waitForService(ecs, CLUSTER, SERVICE, () => true)).desiredCount).toBe(1);

    writeFileSync(join(control, 'fail'), '');
    const failing = Date.now();
    // The minute the errors fall in is judged when it ends (the alarm's round then comes within a second).
    const notified = await endpoint.waitForSubject('ALARM: "api-errors" in US East (N. Virginia)', 130_000);
    expect(await verifySnsMessage(notified.body)).toBe(true);
    // A message altered in transit no longer verifies.
    expect(await verifySnsMessage({ ...notified.body, Message: notified.body.Message!.replace('ALARM', 'OK') })).toBe(false);
    const message = JSON.parse(notified.body.Message!) as Record<string, unknown>;
    expect(message).toMatchObject({ AlarmName: 'api-errors', NewStateValue: 'ALARM', Region: 'US East (N. Virginia)', AlarmActions: [policy.PolicyARN, topicArn] });
    expect(message.Trigger).toMatchObject({ MetricName: 'ErrorCount', Namespace: 'Api', Statistic: 'SUM', Threshold: 1 });

    const out = await waitForService(ecs, CLUSTER, SERVICE, (s) => s.desiredCount === 2 && s.runningCount === 2, 60_000);
    expect(out.desiredCount).toBe(2);
    expect((Date.now() - failing) / 1000).toBeLessThan(190);
    const activities = (await aws('application-autoscaling', 'describe-scaling-activities', '--service-namespace', 'ecs', '--resource-id', RESOURCE)) as {
      ScalingActivities: Array<{ Description: string; Cause: string; StatusCode: string }>;
    };
    expect(activities.ScalingActivities[0]).toMatchObject({ Description: 'Setting desired count to 2.', StatusCode: 'Successful' });
    expect(activities.ScalingActivities[0]!.Cause).toContain('api-errors');

    await aws('application-autoscaling', 'deregister-scalable-target', '--service-namespace', 'ecs', '--resource-id', RESOURCE, '--scalable-dimension', 'ecs:service:DesiredCount');
    await aws('cloudwatch', 'delete-alarms', '--alarm-names', 'api-errors');
  }, 300_000);

  it('takes PutMetricData and GetMetricStatistics as hand-built Query requests, and the AWS CLI reads the same data', async () => {
    const minute = Math.floor(Date.now() / 60_000) * 60_000 - 60_000;
    const put = await signedQuery(platform.endpoint, 'monitoring', [
      ['Action', 'PutMetricData'],
      ['Version', '2010-08-01'],
      ['Namespace', 'Api'],
      ['MetricData.member.1.MetricName', 'Latency'],
      ['MetricData.member.1.Dimensions.member.1.Name', 'Route'],
      ['MetricData.member.1.Dimensions.member.1.Value', '/orders'],
      ['MetricData.member.1.Timestamp', new Date(minute + 5_000).toISOString()],
      ['MetricData.member.1.Values.member.1', '12'],
      ['MetricData.member.1.Values.member.2', '40'],
      ['MetricData.member.1.Counts.member.1', '3'],
      ['MetricData.member.1.Counts.member.2', '1'],
      ['MetricData.member.1.Unit', 'Milliseconds'],
    ]);
    expect(put.status).toBe(200);
    expect(put.text).toContain('<PutMetricDataResponse');

    const stats = await signedQuery(platform.endpoint, 'monitoring', [
      ['Action', 'GetMetricStatistics'],
      ['Version', '2010-08-01'],
      ['Namespace', 'Api'],
      ['MetricName', 'Latency'],
      ['Dimensions.member.1.Name', 'Route'],
      ['Dimensions.member.1.Value', '/orders'],
      ['StartTime', new Date(minute).toISOString()],
      ['EndTime', new Date(minute + 60_000).toISOString()],
      ['Period', '60'],
      ['Statistics.member.1', 'Sum'],
      ['Statistics.member.2', 'SampleCount'],
      ['Statistics.member.3', 'Maximum'],
    ]);
    expect(stats.status).toBe(200);
    expect(xmlValues(stats.text, 'Sum').map(Number)).toEqual([76]);
    expect(xmlValues(stats.text, 'SampleCount').map(Number)).toEqual([4]);
    expect(xmlValues(stats.text, 'Maximum').map(Number)).toEqual([40]);
    expect(xmlValues(stats.text, 'Unit')).toEqual(['Milliseconds']);

    // An unsigned Query request is refused.
    const unsigned = await fetch(`${platform.endpoint}/`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=ListMetrics&Version=2010-08-01' });
    expect(unsigned.status).toBe(403);

    const cli = (await aws('cloudwatch', 'get-metric-statistics', '--namespace', 'Api', '--metric-name', 'Latency', '--dimensions', 'Name=Route,Value=/orders',
      '--start-time', new Date(minute).toISOString(), '--end-time', new Date(minute + 60_000).toISOString(), '--period', '60', '--extended-statistics', 'p75')) as {
      Datapoints: Array<{ ExtendedStatistics: Record<string, number> }>;
    };
    // Nearest rank over the weighted values: three of four samples are 12.
    expect(cli.Datapoints.map((d) => d.ExtendedStatistics.p75)).toEqual([12]);
  });
});
