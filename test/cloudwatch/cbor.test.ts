import { Sha256 } from '@aws-crypto/sha256-js';
import { cbor, dateToTag } from '@smithy/core/cbor';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { useCloudWatchFrontDoor } from './cloudwatch-fixture.js';

const fixture = useCloudWatchFrontDoor();

/**
 * Sends one Smithy RPC v2 CBOR call the way @aws-sdk/client-cloudwatch does (same path, headers
 * and codec: the SDK's own @smithy/core/cbor), signed for `monitoring`.
 */
async function call(operation: string, input: unknown) {
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
  return { status: res.status, headers: res.headers, body: bytes.length ? (cbor.deserialize(bytes) as Record<string, unknown>) : undefined };
}

describe('Smithy RPC v2 CBOR from the JavaScript SDK codec', () => {
  it('publishes and reads back data with tag-1 timestamps', async () => {
    const t0 = new Date(Math.floor((Date.now() - 10 * 60_000) / 60_000) * 60_000);
    const put = await call('PutMetricData', {
      Namespace: 'Js',
      MetricData: [
        { MetricName: 'Cpu', Timestamp: dateToTag(new Date(t0.getTime() + 1000)), Value: 40.5, Unit: 'Percent' },
        { MetricName: 'Cpu', Timestamp: dateToTag(new Date(t0.getTime() + 2000)), Value: 59.5, Unit: 'Percent' },
      ],
    });
    expect([put.status, put.headers.get('smithy-protocol'), put.body]).toEqual([200, 'rpc-v2-cbor', undefined]);

    const got = await call('GetMetricData', {
      StartTime: dateToTag(t0),
      EndTime: dateToTag(new Date(t0.getTime() + 60_000)),
      MetricDataQueries: [{ Id: 'cpu', MetricStat: { Metric: { Namespace: 'Js', MetricName: 'Cpu' }, Period: 60, Stat: 'Average' } }],
    });
    expect([got.status, got.headers.get('content-type'), got.headers.get('smithy-protocol')]).toEqual([200, 'application/cbor', 'rpc-v2-cbor']);
    const result = (got.body!.MetricDataResults as Array<Record<string, unknown>>)[0]!;
    expect(result).toMatchObject({ Id: 'cpu', Label: 'Cpu', Values: [50], StatusCode: 'Complete' });
    expect(result.Timestamps).toEqual([expect.objectContaining({ tag: 1, value: t0.getTime() / 1000 })]);
  });

  it('answers errors with __type, the message and the Query code header', async () => {
    const now = dateToTag(new Date());
    const query = [{ Id: 'm', MetricStat: { Metric: { Namespace: 'Js', MetricName: 'Cpu' }, Period: 60, Stat: 'Sum' } }];
    const res = await call('GetMetricData', { StartTime: dateToTag(new Date(Date.now() - 60_000)), EndTime: now, MetricDataQueries: query, NextToken: 'x' });
    expect([res.status, res.headers.get('x-amzn-query-error')]).toEqual([400, 'InvalidNextToken;Sender']);
    expect(res.body).toEqual({ __type: 'InvalidNextToken', message: 'The value of parameter NextToken is invalid.' });
    // ListMetrics is modelled without InvalidNextToken; it answers InvalidParameterValue.
    const list = await call('ListMetrics', { NextToken: 'x' });
    expect([list.status, list.body?.__type]).toEqual([400, 'InvalidParameterValueException']);
    const bad = await call('GetMetricStatistics', { Namespace: 'Js', MetricName: 'Cpu', StartTime: dateToTag(new Date()), EndTime: dateToTag(new Date()), Period: 60, Statistics: ['Sum'] });
    expect([bad.status, bad.body?.__type, bad.headers.get('x-amzn-query-error')]).toEqual([400, 'InvalidParameterValueException', 'InvalidParameterValue;Sender']);
    const refused = await call('PutDashboard', { DashboardName: 'd', DashboardBody: '{}' });
    expect([refused.status, refused.body?.__type]).toEqual([400, 'UnknownOperationException']);
    expect(refused.body?.message).toBe('PutDashboard is an operation of CloudWatch that this endpoint does not implement.');
  });
});
