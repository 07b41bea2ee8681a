import {
  CloudWatchClient,
  DeleteAlarmsCommand,
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
  PutCompositeAlarmCommand,
  PutMetricAlarmCommand,
  PutMetricDataCommand,
  ResourceNotFound,
  SetAlarmStateCommand,
  waitUntilAlarmExists,
} from '@aws-sdk/client-cloudwatch';
import { Sha256 } from '@aws-crypto/sha256-js';
import { cbor, dateToTag } from '@smithy/core/cbor';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useCloudWatchFrontDoor } from './cloudwatch-fixture.js';

const fixture = useCloudWatchFrontDoor();
let cw: CloudWatchClient;
beforeAll(() => {
  cw = new CloudWatchClient({ endpoint: fixture.endpoint(), region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
});
afterAll(() => cw?.destroy());

const MIN = 60_000;
const base = Math.floor(Date.now() / MIN) * MIN - 10 * MIN;

/** One Smithy RPC v2 CBOR call, as later SDKs send it (their codec, path and headers), signed for `monitoring`. */
async function cborCall(operation: string, input: unknown) {
  const url = new URL(fixture.endpoint());
  const body = Buffer.from(cbor.serialize(input));
  const path = `/service/GraniteServiceVersion20100801/operation/${operation}`;
  const signer = new SignatureV4({ credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, region: 'us-east-1', service: 'monitoring', sha256: Sha256 });
  const signed = await signer.sign({
    method: 'POST',
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path,
    query: {},
    headers: { host: url.host, 'content-type': 'application/cbor', accept: 'application/cbor', 'smithy-protocol': 'rpc-v2-cbor' },
    body,
  });
  const headers = Object.fromEntries(Object.entries(signed.headers).filter(([k]) => k !== 'host'));
  const res = await fetch(`${fixture.endpoint()}${path}`, { method: 'POST', headers, body });
  const bytes = new Uint8Array(await res.arrayBuffer());
  return { status: res.status, body: bytes.length ? (cbor.deserialize(bytes) as Record<string, unknown>) : undefined };
}

describe('alarms through @aws-sdk/client-cloudwatch', () => {
  it('M of N: a p90 alarm goes to ALARM on 2 breaching of 3 and its composite follows', async () => {
    await cw.send(
      new PutMetricAlarmCommand({
        AlarmName: 'latency-p90',
        Namespace: 'Sdk',
        MetricName: 'Latency',
        ExtendedStatistic: 'p90',
        Period: 60,
        EvaluationPeriods: 3,
        DatapointsToAlarm: 2,
        Threshold: 500,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
        EvaluateLowSampleCountPercentile: 'evaluate',
      }),
    );
    await waitUntilAlarmExists({ client: cw, maxWaitTime: 10 }, { AlarmNames: ['latency-p90'] });
    await cw.send(new PutCompositeAlarmCommand({ AlarmName: 'sdk-any', AlarmRule: 'ALARM(latency-p90) OR FALSE' }));
    const at = (k: number) => new Date(base + k * MIN + 1000);
    await cw.send(
      new PutMetricDataCommand({
        Namespace: 'Sdk',
        MetricData: [
          { MetricName: 'Latency', Timestamp: at(0), Values: [100, 900], Counts: [1, 9] },
          { MetricName: 'Latency', Timestamp: at(1), Values: [100], Counts: [10] },
          { MetricName: 'Latency', Timestamp: at(2), Values: [600], Counts: [10] },
        ],
      }),
    );
    await fixture.alarms().evaluate(new Date(base + 3 * MIN + 5000));
    const described = await cw.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'latency', AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] }));
    expect(described.MetricAlarms?.[0]).toMatchObject({ StateValue: 'ALARM', ExtendedStatistic: 'p90', DatapointsToAlarm: 2 });
    expect(described.MetricAlarms?.[0]?.StateReason).toMatch(/^Threshold Crossed: 2 out of the last 3 datapoints \[600\.0 .*, 900\.0 .*\] were greater than or equal to the threshold \(500\.0\) \(minimum 2 datapoints for INSUFFICIENT_DATA -> ALARM transition\)\.$/);
    expect(described.MetricAlarms?.[0]?.StateUpdatedTimestamp).toEqual(new Date(base + 3 * MIN + 5000));
    const composite = await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['sdk-any'], AlarmTypes: ['CompositeAlarm'] }));
    expect(composite.CompositeAlarms?.[0]).toMatchObject({ StateValue: 'ALARM' });
    const history = await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: 'sdk-any', AlarmTypes: ['CompositeAlarm'], HistoryItemType: 'StateUpdate' }));
    expect(history.AlarmHistoryItems?.map((h) => h.HistorySummary)).toEqual(['Alarm updated from OK to ALARM', 'Alarm updated from INSUFFICIENT_DATA to OK']);
    // A contributor's history: only Metrics Insights alarms have contributors.
    const contributor = await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: 'sdk-any', AlarmTypes: ['CompositeAlarm'], AlarmContributorId: 'c0ffee' }));
    expect(contributor.AlarmHistoryItems).toEqual([]);
  });

  it('pages DescribeAlarms and gets the SDK’s exception classes', async () => {
    for (let i = 0; i < 5; i++) {
      await cw.send(new PutMetricAlarmCommand({ AlarmName: `page-${i}`, Namespace: 'Sdk', MetricName: 'X', Statistic: 'Sum', Period: 60, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanThreshold' }));
    }
    const first = await cw.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'page-', MaxRecords: 3 }));
    const second = await cw.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'page-', MaxRecords: 3, NextToken: first.NextToken }));
    expect([first.MetricAlarms?.map((a) => a.AlarmName), second.MetricAlarms?.map((a) => a.AlarmName), second.NextToken]).toEqual([
      ['page-0', 'page-1', 'page-2'],
      ['page-3', 'page-4'],
      undefined,
    ]);
    await expect(cw.send(new SetAlarmStateCommand({ AlarmName: 'nope', StateValue: 'OK', StateReason: 'x' }))).rejects.toThrow(ResourceNotFound);
    await expect(cw.send(new DeleteAlarmsCommand({ AlarmNames: ['page-0', 'nope'] }))).rejects.toThrow(ResourceNotFound);
    expect((await cw.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'page-' }))).MetricAlarms).toHaveLength(4);
  });

  it('serves alarms over Smithy RPC v2 CBOR with tag-1 timestamps', async () => {
    const put = await cborCall('PutMetricAlarm', {
      AlarmName: 'cbor-alarm', Namespace: 'Sdk', MetricName: 'Y', Statistic: 'Maximum', Period: 10, EvaluationPeriods: 1, Threshold: 5, ComparisonOperator: 'LessThanThreshold',
    });
    expect(put.status).toBe(200);
    const set = await cborCall('SetAlarmState', { AlarmName: 'cbor-alarm', StateValue: 'ALARM', StateReason: 'cbor' });
    expect(set.status).toBe(200);
    const got = await cborCall('DescribeAlarms', { AlarmNames: ['cbor-alarm'] });
    const alarm = (got.body!.MetricAlarms as Array<Record<string, unknown>>)[0]!;
    expect(alarm).toMatchObject({ AlarmName: 'cbor-alarm', StateValue: 'ALARM', StateReason: 'cbor', Period: 10 });
    expect(alarm.StateUpdatedTimestamp).toEqual(expect.objectContaining({ tag: 1 }));
    const bad = await cborCall('PutMetricAlarm', { AlarmName: 'cbor-bad', Namespace: 'Sdk', MetricName: 'Y', Statistic: 'Maximum', Period: 45, EvaluationPeriods: 1, Threshold: 5, ComparisonOperator: 'LessThanThreshold' });
    expect([bad.status, bad.body?.__type, bad.body?.message]).toEqual([400, 'ValidationError', 'The parameter Period must be 10, 20, 30, or a multiple of 60.']);
    const history = await cborCall('DescribeAlarmHistory', { AlarmName: 'cbor-alarm', StartDate: dateToTag(new Date(Date.now() - MIN)) });
    expect((history.body!.AlarmHistoryItems as unknown[]).length).toBe(2);
  });
});
