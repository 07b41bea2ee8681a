import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { awsCli, type CliResult } from '../support/aws-cli.js';
import { useCloudWatchFrontDoor } from './cloudwatch-fixture.js';

const fixture = useCloudWatchFrontDoor();
const aws = (...args: string[]) => awsCli(fixture.endpoint(), fixture.dataDir(), args);

const json = (res: CliResult) => {
  expect(res.stderr).toBe('');
  expect(res.code).toBe(0);
  return JSON.parse(res.stdout || '{}') as Record<string, unknown>;
};

const minute = 60_000;
const t0 = Math.floor((Date.now() - 20 * minute) / minute) * minute;
const iso = (ms: number) => new Date(ms).toISOString();

// The AWS CLI v1 is botocore, which sends AWS JSON 1.0 to CloudWatch (its first supported protocol of the model's list).
describe.concurrent('the AWS CLI (v1) against CloudWatch metrics', () => {
  beforeAll(async () => {
    json(await aws('cloudwatch', 'put-metric-data', '--namespace', 'Cli', '--metric-name', 'Queue', '--dimensions', 'Queue=jobs', '--value', '4', '--unit', 'Count', '--timestamp', iso(t0 + 1000)));
    const file = join(fixture.dataDir(), 'metric-data.json');
    writeFileSync(
      file,
      JSON.stringify([
        { MetricName: 'Queue', Dimensions: [{ Name: 'Queue', Value: 'jobs' }], Timestamp: iso(t0 + 30_000), Values: [1, 2, 3], Counts: [1, 1, 2], Unit: 'Count' },
        { MetricName: 'Queue', Dimensions: [{ Name: 'Queue', Value: 'jobs' }], Timestamp: iso(t0 + minute + 5000), Value: 10, Unit: 'Count' },
      ]),
    );
    json(await aws('cloudwatch', 'put-metric-data', '--namespace', 'Cli', '--metric-data', `file://${file}`));
  });

  it('gets statistics per period', async () => {
    const res = json(
      await aws('cloudwatch', 'get-metric-statistics', '--namespace', 'Cli', '--metric-name', 'Queue', '--dimensions', 'Name=Queue,Value=jobs',
        '--start-time', iso(t0), '--end-time', iso(t0 + 3 * minute), '--period', '60', '--statistics', 'Sum', 'SampleCount', 'Maximum'),
    );
    const points = (res.Datapoints as Array<Record<string, unknown>>).sort((a, b) => Number(a.Timestamp) - Number(b.Timestamp));
    expect(points).toEqual([
      { Timestamp: t0 / 1000, Sum: 13, SampleCount: 5, Maximum: 4, Unit: 'Count' },
      { Timestamp: (t0 + minute) / 1000, Sum: 10, SampleCount: 1, Maximum: 10, Unit: 'Count' },
    ]);
  });

  it('lists metrics by dimension', async () => {
    const res = json(await aws('cloudwatch', 'list-metrics', '--namespace', 'Cli', '--dimensions', 'Name=Queue,Value=jobs'));
    expect(res.Metrics).toEqual([{ Namespace: 'Cli', MetricName: 'Queue', Dimensions: [{ Name: 'Queue', Value: 'jobs' }] }]);
  });

  it('gets metric data with an expression', async () => {
    const file = join(fixture.dataDir(), 'queries.json');
    writeFileSync(
      file,
      JSON.stringify([
        { Id: 'q', MetricStat: { Metric: { Namespace: 'Cli', MetricName: 'Queue', Dimensions: [{ Name: 'Queue', Value: 'jobs' }] }, Period: 60, Stat: 'p50' }, ReturnData: false },
        { Id: 'double', Expression: 'q * 2', Label: 'twice the median' },
      ]),
    );
    const res = json(await aws('cloudwatch', 'get-metric-data', '--metric-data-queries', `file://${file}`, '--start-time', iso(t0), '--end-time', iso(t0 + 3 * minute)));
    expect(res.MetricDataResults).toEqual([
      // Medians by nearest rank: of 4, 1, 2, 3, 3 is 3; of 10 is 10. Newest first (ScanBy's default).
      { Id: 'double', Label: 'twice the median', Timestamps: [(t0 + minute) / 1000, t0 / 1000], Values: [20, 6], StatusCode: 'Complete', Messages: [] },
    ]);
  });

  it('prints CloudWatch error codes and exits non-zero', async () => {
    const res = await aws('cloudwatch', 'put-metric-data', '--namespace', 'Cli', '--metric-name', 'Old', '--value', '1', '--timestamp', iso(Date.now() - 15 * 24 * 3600_000));
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain('An error occurred (InvalidParameterValue) when calling the PutMetricData operation: The parameter MetricData.member.1.Timestamp must specify a time within the past two weeks.');
    const dashboard = await aws('cloudwatch', 'put-dashboard', '--dashboard-name', 'd', '--dashboard-body', '{}');
    expect(dashboard.code).not.toBe(0);
    expect(dashboard.stderr).toContain('(UnknownOperationException) when calling the PutDashboard operation: PutDashboard is an operation of CloudWatch that this endpoint does not implement.');
  });
});
