import {
  CloudWatchClient,
  GetMetricDataCommand,
  GetMetricStatisticsCommand,
  InvalidParameterCombinationException,
  ListMetricsCommand,
  PutMetricDataCommand,
} from '@aws-sdk/client-cloudwatch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useCloudWatchFrontDoor } from './cloudwatch-fixture.js';

const fixture = useCloudWatchFrontDoor();
let cw: CloudWatchClient;
const sent: string[] = [];
beforeAll(() => {
  cw = new CloudWatchClient({ endpoint: fixture.endpoint(), region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
  // Records the protocol the SDK chose, so the test proves what it claims.
  cw.middlewareStack.add(
    (next) => async (args) => {
      const headers = (args.request as { headers: Record<string, string> }).headers;
      sent.push(headers['smithy-protocol'] ?? headers['content-type'] ?? 'unknown');
      return next(args);
    },
    { step: 'finalizeRequest', name: 'recordProtocol' },
  );
});
afterAll(() => cw?.destroy());

describe('@aws-sdk/client-cloudwatch', () => {
  it('puts data, reads statistics and metric math back, and lists the metric', async () => {
    const t0 = new Date(Math.floor((Date.now() - 20 * 60_000) / 60_000) * 60_000);
    const dims = [{ Name: 'ServiceName', Value: 'web' }];
    await cw.send(
      new PutMetricDataCommand({
        Namespace: 'Shop',
        MetricData: [
          { MetricName: 'Latency', Dimensions: dims, Timestamp: new Date(t0.getTime() + 5_000), Values: [100, 200, 300], Counts: [1, 1, 2], Unit: 'Milliseconds' },
          { MetricName: 'Requests', Dimensions: dims, Timestamp: new Date(t0.getTime() + 5_000), Value: 4, Unit: 'Count' },
        ],
      }),
    );
    const stats = await cw.send(
      new GetMetricStatisticsCommand({
        Namespace: 'Shop',
        MetricName: 'Latency',
        Dimensions: dims,
        StartTime: t0,
        EndTime: new Date(t0.getTime() + 60_000),
        Period: 60,
        Statistics: ['SampleCount', 'Sum', 'Average', 'Maximum'],
      }),
    );
    expect(stats.Datapoints).toEqual([expect.objectContaining({ Timestamp: t0, SampleCount: 4, Sum: 900, Average: 225, Maximum: 300, Unit: 'Milliseconds' })]);
    const p50 = await cw.send(
      new GetMetricStatisticsCommand({ Namespace: 'Shop', MetricName: 'Latency', Dimensions: dims, StartTime: t0, EndTime: new Date(t0.getTime() + 60_000), Period: 60, ExtendedStatistics: ['p50'] }),
    );
    expect(p50.Datapoints?.[0]?.ExtendedStatistics).toEqual({ p50: 200 });
    const math = await cw.send(
      new GetMetricDataCommand({
        StartTime: t0,
        EndTime: new Date(t0.getTime() + 60_000),
        MetricDataQueries: [
          { Id: 'sum', MetricStat: { Metric: { Namespace: 'Shop', MetricName: 'Latency', Dimensions: dims }, Period: 60, Stat: 'Sum' }, ReturnData: false },
          { Id: 'n', MetricStat: { Metric: { Namespace: 'Shop', MetricName: 'Requests', Dimensions: dims }, Period: 60, Stat: 'Sum' }, ReturnData: false },
          { Id: 'perRequest', Expression: 'sum / n', Label: 'ms per request' },
        ],
      }),
    );
    expect(math.MetricDataResults).toEqual([expect.objectContaining({ Id: 'perRequest', Label: 'ms per request', Values: [225], Timestamps: [t0], StatusCode: 'Complete' })]);
    const listed = await cw.send(new ListMetricsCommand({ Namespace: 'Shop', Dimensions: [{ Name: 'ServiceName', Value: 'web' }] }));
    expect(listed.Metrics?.map((m) => m.MetricName).sort()).toEqual(['Latency', 'Requests']);
    // This SDK version speaks AWS JSON 1.0 to CloudWatch (later ones speak RPC v2 CBOR: cbor.test.ts).
    expect(new Set(sent)).toEqual(new Set(['application/x-amz-json-1.0']));
  });

  it('gets CloudWatch’s exception classes', async () => {
    const at = new Date();
    await expect(
      cw.send(new GetMetricStatisticsCommand({ Namespace: 'Shop', MetricName: 'Latency', StartTime: new Date(at.getTime() - 86_400_000 * 2), EndTime: at, Period: 60, Statistics: ['Sum'] })),
    ).rejects.toThrow(InvalidParameterCombinationException);
  });
});
