import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudWatchClient, GetMetricDataCommand, GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import {
  CloudWatchLogsClient,
  DescribeMetricFiltersCommand,
  PutLogEventsCommand,
  PutMetricFilterCommand,
  type PutMetricFilterCommandInput,
} from '@aws-sdk/client-cloudwatch-logs';
import { afterAll, describe, expect, it } from 'vitest';
import { awsCli } from '../support/aws-cli.js';
import { spawnMinato, type MinatoProcess } from '../support/minato-process.js';

// Runs the compiled CLI (`npm run build` first): metric filters across processes, the AWS CLI
// and the SDK, and a restart of `minato up` on the same data dir.
const dataDir = mkdtempSync(join(tmpdir(), 'minato-metric-filters-'));
const cliHome = mkdtempSync(join(tmpdir(), 'minato-metric-filters-cli-'));
const running: MinatoProcess[] = [];
afterAll(async () => {
  for (const p of running) await p.stop('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(cliHome, { recursive: true, force: true });
});

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const clients = (endpoint: string) => ({
  logs: new CloudWatchLogsClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 }),
  cw: new CloudWatchClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 }),
});

async function cli(endpoint: string, ...args: string[]): Promise<Record<string, unknown>> {
  const res = await awsCli(endpoint, cliHome, args);
  expect([res.code, res.stderr]).toEqual([0, '']);
  return JSON.parse(res.stdout || '{}') as Record<string, unknown>;
}

/** The error name an SDK call fails with. */
async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    return (err as Error).name;
  }
  throw new Error('expected the call to fail');
}

async function errorsSum(cw: CloudWatchClient, minute: number): Promise<number[]> {
  const res = await cw.send(
    new GetMetricDataCommand({
      StartTime: new Date(minute),
      EndTime: new Date(minute + 60_000),
      MetricDataQueries: [{ Id: 'e', MetricStat: { Metric: { Namespace: 'MfApp', MetricName: 'Errors' }, Period: 60, Stat: 'Sum' } }],
    }),
  );
  return res.MetricDataResults![0]!.Values!;
}

describe('metric filters in minato up', () => {
  it('turn ingested log events into metrics, refuse bad input, and survive a restart', async () => {
    const minute = Math.floor((Date.now() - 5 * 60_000) / 60_000) * 60_000;
    const first = await spawnMinato(['--port', '0', '--data-dir', dataDir]);
    running.push(first);
    const { logs, cw } = clients(first.endpoint);

    await cli(first.endpoint, 'logs', 'create-log-group', '--log-group-name', '/mf/app');
    await cli(first.endpoint, 'logs', 'create-log-stream', '--log-group-name', '/mf/app', '--log-stream-name', 'web');
    await cli(first.endpoint, 'logs', 'put-metric-filter', '--log-group-name', '/mf/app', '--filter-name', 'errors',
      '--filter-pattern', '{ $.logType = "ErrorLog" }',
      '--metric-transformations', 'metricName=Errors,metricNamespace=MfApp,metricValue=1,unit=Count');
    const latency: PutMetricFilterCommandInput = {
      logGroupName: '/mf/app',
      filterName: 'latency',
      filterPattern: '{ $.latency = * }',
      metricTransformations: [{ metricName: 'Latency', metricNamespace: 'MfApp', metricValue: '$.latency', unit: 'Milliseconds', dimensions: { Service: '$.service' } }],
    };
    await logs.send(new PutMetricFilterCommand(latency));

    // Bad input: AWS's errors, and nothing stored.
    const bad = (over: Partial<PutMetricFilterCommandInput>) => failure(logs.send(new PutMetricFilterCommand({ ...latency, filterName: 'bad', ...over })));
    expect(await bad({ logGroupName: '/mf/none' })).toBe('ResourceNotFoundException');
    expect(await bad({ filterPattern: '{ $.latency = }' })).toBe('InvalidParameterException');
    expect(await bad({ metricTransformations: [{ ...latency.metricTransformations![0]!, metricNamespace: 'AWS/Logs' }] })).toBe('InvalidParameterException');
    expect(await bad({ metricTransformations: [{ ...latency.metricTransformations![0]!, metricValue: 'fast' }] })).toBe('InvalidParameterException');
    expect(await bad({ metricTransformations: [latency.metricTransformations![0]!, latency.metricTransformations![0]!] })).toBe('InvalidParameterException');
    const invalidCli = await awsCli(first.endpoint, cliHome, ['logs', 'put-metric-filter', '--log-group-name', '/mf/app', '--filter-name', 'bad2',
      '--filter-pattern', '[a, b]', '--metric-transformations', 'metricName=X,metricNamespace=MfApp,metricValue=$c']);
    expect(invalidCli.code).not.toBe(0);
    expect(invalidCli.stderr).toContain('InvalidParameterException');

    const described = await cli(first.endpoint, 'logs', 'describe-metric-filters', '--log-group-name', '/mf/app');
    expect(described.metricFilters).toEqual([
      {
        filterName: 'errors',
        filterPattern: '{ $.logType = "ErrorLog" }',
        metricTransformations: [{ metricName: 'Errors', metricNamespace: 'MfApp', metricValue: '1', unit: 'Count' }],
        creationTime: expect.any(Number),
        logGroupName: '/mf/app',
      },
      {
        filterName: 'latency',
        filterPattern: '{ $.latency = * }',
        metricTransformations: [{ metricName: 'Latency', metricNamespace: 'MfApp', metricValue: '$.latency', unit: 'Milliseconds', dimensions: { Service: '$.service' } }],
        creationTime: expect.any(Number),
        logGroupName: '/mf/app',
      },
    ]);
    const byMetric = await cli(first.endpoint, 'logs', 'describe-metric-filters', '--metric-name', 'Latency', '--metric-namespace', 'MfApp');
    expect((byMetric.metricFilters as Array<{ filterName: string }>).map((f) => f.filterName)).toEqual(['latency']);

    const tested = await cli(first.endpoint, 'logs', 'test-metric-filter', '--filter-pattern', '[ip, user, status = 5*, bytes]',
      '--log-event-messages', '10.0.0.1 bob 503 12', '10.0.0.2 amy 200 40');
    expect(tested).toEqual({ matches: [{ eventNumber: 1, eventMessage: '10.0.0.1 bob 503 12', extractedValues: { $ip: '10.0.0.1', $user: 'bob', $status: '503', $bytes: '12' } }] });

    // 3 error lines among others, and latencies: one without its dimension and one not a number, both skipped.
    const lines = [
      '{"logType":"ErrorLog","code":500}',
      '{"logType":"InfoLog"}',
      'ErrorLog as plain text',
      '{"logType":"ErrorLog","code":502}',
      '{"latency":100,"service":"api"}',
      '{"latency":300,"service":"api"}',
      '{"latency":50}',
      '{"latency":"slow","service":"api"}',
      '{"logType":"ErrorLog","code":503}',
    ];
    await logs.send(new PutLogEventsCommand({ logGroupName: '/mf/app', logStreamName: 'web', logEvents: lines.map((message, i) => ({ timestamp: minute + 1000 + i, message })) }));

    expect(await errorsSum(cw, minute)).toEqual([3]);
    expect(await errorsSum(cw, minute - 60_000)).toEqual([]);
    const stats = await cw.send(
      new GetMetricStatisticsCommand({
        Namespace: 'MfApp',
        MetricName: 'Latency',
        Dimensions: [{ Name: 'Service', Value: 'api' }],
        StartTime: new Date(minute),
        EndTime: new Date(minute + 60_000),
        Period: 60,
        Statistics: ['Sum', 'SampleCount', 'Maximum'],
      }),
    );
    expect(stats.Datapoints).toEqual([{ Timestamp: new Date(minute), Sum: 400, SampleCount: 2, Maximum: 300, Unit: 'Milliseconds' }]);
    const groups = await cli(first.endpoint, 'logs', 'describe-log-groups', '--log-group-name-prefix', '/mf/app');
    expect((groups.logGroups as Array<{ metricFilterCount: number }>)[0]!.metricFilterCount).toBe(2);
    logs.destroy();
    cw.destroy();
    expect(await first.stop('SIGTERM')).toBe(0);

    // After a restart the filters are still there and still count.
    const second = await spawnMinato(['--port', '0', '--data-dir', dataDir]);
    running.push(second);
    const again = clients(second.endpoint);
    const after = await again.logs.send(new DescribeMetricFiltersCommand({ logGroupName: '/mf/app' }));
    expect(after.metricFilters?.map((f) => f.filterName)).toEqual(['errors', 'latency']);
    await again.logs.send(
      new PutLogEventsCommand({ logGroupName: '/mf/app', logStreamName: 'web', logEvents: [{ timestamp: minute + 60_000 + 5, message: '{"logType":"ErrorLog"}' }] }),
    );
    expect(await errorsSum(again.cw, minute + 60_000)).toEqual([1]);
    expect(await errorsSum(again.cw, minute)).toEqual([3]);
    again.logs.destroy();
    again.cw.destroy();
    expect(await second.stop('SIGTERM')).toBe(0);
  }, 120_000);
});
