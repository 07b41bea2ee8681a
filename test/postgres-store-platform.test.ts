import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CloudWatchClient,
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
  GetMetricDataCommand,
  GetMetricStatisticsCommand,
  ListMetricsCommand,
  PutMetricAlarmCommand,
  PutMetricDataCommand,
} from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, FilterLogEventsCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateClusterCommand, DescribeClustersCommand, ListClustersCommand, RegisterTaskDefinitionCommand, RunTaskCommand } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresMissing, startPostgresServer, type PostgresServer } from '../src/store/postgres-server.fixtures.js';
import { DEFAULT_NETWORK } from './support/default-vpc.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';

const logsOf = (p: TestPlatform) =>
  new CloudWatchLogsClient({
    endpoint: p.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: p.config.accessKeyId, secretAccessKey: p.config.secretAccessKey },
    maxAttempts: 1,
  });

const cloudWatchOf = (p: TestPlatform) =>
  new CloudWatchClient({
    endpoint: p.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: p.config.accessKeyId, secretAccessKey: p.config.secretAccessKey },
    maxAttempts: 1,
  });

// Two platforms on one PostgreSQL database see each other's writes through the ECS API.
const missing = postgresMissing();

describe.skipIf(missing !== undefined)(missing ?? 'minato up --store postgres://', () => {
  let server: PostgresServer;
  const platforms: TestPlatform[] = [];
  // The processes sharing a database share a blob dir (registry blobs, the platform's keys).
  let blobDir: string;
  beforeAll(async () => {
    server = await startPostgresServer();
    blobDir = mkdtempSync(join(tmpdir(), 'minato-blobs-'));
  });
  afterAll(async () => {
    for (const p of platforms) await p.dispose();
    await server?.stop();
    if (blobDir) rmSync(blobDir, { recursive: true, force: true });
  });

  it('keeps the documents on the server, shared by two platforms and kept across restarts', async () => {
    const url = await server.createDatabase();
    const a = await startTestPlatform({ store: url, blobDir });
    platforms.push(a);
    const b = await startTestPlatform({ store: url, replica: true, blobDir });
    platforms.push(b);
    await a.ecs().send(new CreateClusterCommand({ clusterName: 'shared' }));
    const seen = await b.ecs().send(new DescribeClustersCommand({ clusters: ['shared'] }));
    expect(seen.clusters?.map((c) => [c.clusterName, c.status])).toEqual([['shared', 'ACTIVE']]);
    expect(existsSync(join(a.config.dataDir, 'minato.db'))).toBe(false);
    await platforms.shift()!.dispose();
    await platforms.shift()!.dispose();
    const c = await startTestPlatform({ store: url, blobDir });
    platforms.push(c);
    const listed = await c.ecs().send(new ListClustersCommand({}));
    expect(listed.clusterArns?.some((arn) => arn.endsWith(':cluster/shared'))).toBe(true);
  });

  it('keeps CloudWatch Logs in the same database, shared by two platforms', async () => {
    const url = await server.createDatabase();
    const a = await startTestPlatform({ store: url, blobDir });
    platforms.push(a);
    const b = await startTestPlatform({ store: url, replica: true, blobDir });
    platforms.push(b);
    const [logsA, logsB] = [logsOf(a), logsOf(b)];
    try {
      await logsA.send(new CreateLogGroupCommand({ logGroupName: '/shared' }));
      await logsA.send(new CreateLogStreamCommand({ logGroupName: '/shared', logStreamName: 's' }));
      const now = Date.now();
      await logsA.send(
        new PutLogEventsCommand({
          logGroupName: '/shared',
          logStreamName: 's',
          logEvents: [
            { timestamp: now - 2, message: 'ERROR disk full' },
            { timestamp: now - 1, message: 'error lower case' },
            { timestamp: now, message: 'INFO ok' },
          ],
        }),
      );
      const found = await logsB.send(new FilterLogEventsCommand({ logGroupName: '/shared', filterPattern: 'ERROR' }));
      expect(found.events?.map((e) => e.message)).toEqual(['ERROR disk full']);
      expect(existsSync(join(b.config.dataDir, 'logs.db'))).toBe(false);
    } finally {
      logsA.destroy();
      logsB.destroy();
    }
  });

  it('keeps CloudWatch metrics and alarms in the same database, shared by two platforms and evaluated by the leader', async () => {
    const url = await server.createDatabase();
    // Alarm rounds every 200 ms, so that a 10-second alarm is judged as soon as its period ends.
    const a = await startTestPlatform({ store: url, blobDir }, { alarmTickMs: 200 });
    platforms.push(a);
    const b = await startTestPlatform({ store: url, replica: true, blobDir }, { alarmTickMs: 200 });
    platforms.push(b);
    const [cwA, cwB] = [cloudWatchOf(a), cloudWatchOf(b)];
    try {
      const dimensions = [{ Name: 'Service', Value: 'web' }];
      // In the 10-second period that has just ended (and within its minute for GetMetricStatistics).
      const periodEnd = Math.floor(Date.now() / 10_000) * 10_000;
      const at = new Date(periodEnd - 5_000);
      await cwA.send(new PutMetricDataCommand({ Namespace: 'Shared', MetricData: [{ MetricName: 'Load', Dimensions: dimensions, Timestamp: at, Value: 20, StorageResolution: 1 }] }));
      const listed = await cwB.send(new ListMetricsCommand({ Namespace: 'Shared' }));
      expect(listed.Metrics?.map((m) => [m.MetricName, m.Dimensions])).toEqual([['Load', dimensions]]);
      const range = { StartTime: new Date(periodEnd - 3600_000), EndTime: new Date(periodEnd + 60_000) };
      const stats = await cwB.send(new GetMetricStatisticsCommand({ Namespace: 'Shared', MetricName: 'Load', Dimensions: dimensions, Period: 3600, Statistics: ['Sum', 'SampleCount'], ...range }));
      expect(stats.Datapoints?.map((p) => [p.Sum, p.SampleCount])).toEqual([[20, 1]]);
      const data = await cwB.send(
        new GetMetricDataCommand({ ...range, MetricDataQueries: [{ Id: 'load', MetricStat: { Metric: { Namespace: 'Shared', MetricName: 'Load', Dimensions: dimensions }, Period: 10, Stat: 'Maximum' } }] }),
      );
      expect(data.MetricDataResults?.[0]?.Values).toEqual([20]);

      // Created through the replica, described through the leader, judged by the leader's rounds.
      await cwB.send(
        new PutMetricAlarmCommand({
          AlarmName: 'load-high',
          Namespace: 'Shared',
          MetricName: 'Load',
          Dimensions: dimensions,
          Statistic: 'Maximum',
          Period: 10,
          EvaluationPeriods: 1,
          Threshold: 50,
          ComparisonOperator: 'GreaterThanThreshold',
          TreatMissingData: 'ignore',
        }),
      );
      const state = async (client: CloudWatchClient) => (await client.send(new DescribeAlarmsCommand({ AlarmNames: ['load-high'] }))).MetricAlarms?.[0]?.StateValue;
      const waitFor = async (value: string) => {
        const deadline = Date.now() + 20_000;
        while ((await state(cwA)) !== value && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
        return state(cwA);
      };
      expect(await waitFor('OK')).toBe('OK');
      // Data over the threshold, put through the replica, turn the alarm to ALARM.
      const next = Math.floor(Date.now() / 10_000) * 10_000;
      await cwB.send(new PutMetricDataCommand({ Namespace: 'Shared', MetricData: [{ MetricName: 'Load', Dimensions: dimensions, Timestamp: new Date(next + 1_000), Value: 99, StorageResolution: 1 }] }));
      expect(await waitFor('ALARM')).toBe('ALARM');
      expect(await state(cwB)).toBe('ALARM');
      const history = await cwB.send(new DescribeAlarmHistoryCommand({ AlarmName: 'load-high', HistoryItemType: 'StateUpdate', ScanBy: 'TimestampAscending' }));
      expect(history.AlarmHistoryItems?.map((h) => h.HistorySummary)).toEqual(['Alarm updated from INSUFFICIENT_DATA to OK', 'Alarm updated from OK to ALARM']);
      expect(existsSync(join(a.config.dataDir, 'metrics.db'))).toBe(false);
      expect(existsSync(join(b.config.dataDir, 'metrics.db'))).toBe(false);
    } finally {
      cwA.destroy();
      cwB.destroy();
    }
  });

  it('refuses a second process that is not a replica, once the leader kept the lease past its wait', async () => {
    const url = await server.createDatabase();
    const lease = { leaseMs: 600, renewEveryMs: 100 };
    const a = await startTestPlatform({ store: url, blobDir }, { lease });
    platforms.push(a);
    const started = Date.now();
    await expect(startTestPlatform({ store: url, blobDir }, { lease })).rejects.toThrow('another minato process leads this PostgreSQL store: start every process that shares it with --replica');
    // It waited two lease times for a lease a killed predecessor might have left.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_200);
    // A replica joins, and runs no task itself: a Fargate task finds no capacity there.
    const b = await startTestPlatform({ store: url, replica: true, blobDir }, { lease });
    platforms.push(b);
    await b.ecs().send(new CreateClusterCommand({ clusterName: 'replicated' }));
    expect((await a.ecs().send(new DescribeClustersCommand({ clusters: ['replicated'] }))).clusters?.[0]?.status).toBe('ACTIVE');
    const td = await b.ecs().send(
      new RegisterTaskDefinitionCommand({
        family: 'nowhere',
        requiresCompatibilities: ['FARGATE'],
        networkMode: 'awsvpc',
        cpu: '256',
        memory: '512',
        containerDefinitions: [{ name: 'app', image: 'busybox', essential: true }],
      }),
    );
    const run = await b.ecs().send(new RunTaskCommand({ cluster: 'replicated', taskDefinition: td.taskDefinition!.taskDefinitionArn!, launchType: 'FARGATE', networkConfiguration: DEFAULT_NETWORK }));
    expect(run.tasks).toEqual([]);
    expect(run.failures?.map((f) => f.reason)).toEqual(['RESOURCE:CPU']);
  });
});
