import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DomainError } from '../lib/errors.js';
import type { Scope } from '../lib/scope.js';
import { getMetricData } from './metric-data.js';
import { openMetricService, type MetricService } from './metric-service.js';

const now = new Date('2026-12-06T12:00:00Z');
const scope: Scope = { accountId: '000000000000', region: 'us-east-1', principalArn: 'arn:aws:iam::000000000000:root', now };
const sec = (iso: string) => Date.parse(iso) / 1000;
const web = [{ Name: 'Service', Value: 'web' }];

let metrics: MetricService;
beforeEach(async () => {
  metrics = openMetricService(':memory:');
});
afterEach(() => metrics.close());

const put = (name: string, at: string, value: number, dims = web, extra: object = {}) =>
  metrics.put(scope, { Namespace: 'App', MetricData: [{ MetricName: name, Dimensions: dims, Timestamp: sec(at), Value: value, ...extra }] });

describe('the metric service', () => {
  it('answers statistics per period and unit, with percentiles of the raw values', async () => {
    await put('Latency', '2026-12-06T11:00:10Z', 10, web, { Unit: 'Milliseconds' });
    await put('Latency', '2026-12-06T11:00:50Z', 30, web, { Unit: 'Milliseconds' });
    await metrics.put(scope, {
      Namespace: 'App',
      MetricData: [{ MetricName: 'Latency', Dimensions: web, Timestamp: sec('2026-12-06T11:01:05Z'), Values: [1, 2, 3, 100], Counts: [1, 1, 1, 1], Unit: 'Milliseconds' }],
    });
    const request = { Namespace: 'App', MetricName: 'Latency', Dimensions: web, StartTime: sec('2026-12-06T11:00:00Z'), EndTime: sec('2026-12-06T11:05:00Z'), Period: 60 };
    expect((await metrics.statistics(scope, { ...request, Statistics: ['Average', 'SampleCount', 'Maximum'] }))).toEqual([
      { Timestamp: sec('2026-12-06T11:00:00Z'), Unit: 'Milliseconds', Average: 20, SampleCount: 2, Maximum: 30 },
      { Timestamp: sec('2026-12-06T11:01:00Z'), Unit: 'Milliseconds', Average: 26.5, SampleCount: 4, Maximum: 100 },
    ]);
    expect((await metrics.statistics(scope, { ...request, Period: 300, ExtendedStatistics: ['p50', 'p99'] }))).toEqual([
      { Timestamp: sec('2026-12-06T11:00:00Z'), Unit: 'Milliseconds', ExtendedStatistics: { p50: 3, p99: 100 } },
    ]);
    expect((await metrics.statistics(scope, { ...request, Statistics: ['Sum'], Unit: 'Seconds' }))).toEqual([]);
    expect((await metrics.statistics(scope, { ...request, Dimensions: [], Statistics: ['Sum'] }))).toEqual([]);
  });

  it('answers sub-minute periods from high-resolution data, and standard data in its minute', async () => {
    await put('Hi', '2026-12-06T11:00:41Z', 1, web, { StorageResolution: 1 });
    await put('Hi', '2026-12-06T11:00:47Z', 2, web, { StorageResolution: 1 });
    await put('Std', '2026-12-06T11:00:41Z', 5);
    const request = { Namespace: 'App', Dimensions: web, StartTime: sec('2026-12-06T11:00:00Z'), EndTime: sec('2026-12-06T11:01:00Z'), Period: 5, Statistics: ['Sum'] };
    expect((await metrics.statistics(scope, { ...request, MetricName: 'Hi' })).map((p) => [p.Timestamp, p.Sum])).toEqual([
      [sec('2026-12-06T11:00:40Z'), 1],
      [sec('2026-12-06T11:00:45Z'), 2],
    ]);
    expect((await metrics.statistics(scope, { ...request, MetricName: 'Std' })).map((p) => [p.Timestamp, p.Sum])).toEqual([[sec('2026-12-06T11:00:00Z'), 5]]);
  });

  it('refuses statistics requests as CloudWatch does', async () => {
    const base = { Namespace: 'App', MetricName: 'x', StartTime: sec('2026-12-05T00:00:00Z'), EndTime: sec('2026-12-06T00:00:00Z'), Period: 60 };
    const subject = async (fn: () => Promise<unknown>) => {
      try {
        await fn();
      } catch (err) {
        return (err as DomainError).subject;
      }
      return 'accepted';
    };
    expect(await subject(() => metrics.statistics(scope, { ...base, Statistics: ['Sum'] }))).toBe('accepted');
    expect(await subject(() => metrics.statistics(scope, { ...base, EndTime: base.EndTime + 60, Statistics: ['Sum'] }))).toBe('combination');
    expect(await subject(() => metrics.statistics(scope, base))).toBe('missing');
    expect(await subject(() => metrics.statistics(scope, { ...base, Statistics: ['Sum'], ExtendedStatistics: ['p9'] }))).toBe('combination');
    expect(await subject(() => metrics.statistics(scope, { ...base, ExtendedStatistics: ['tm99'] }))).toBe('parameter');
    expect(await subject(() => metrics.statistics(scope, { ...base, Period: 45, Statistics: ['Sum'] }))).toBe('parameter');
    expect(await subject(() => metrics.put(scope, { Namespace: 'AWS/ECS', MetricData: [{ MetricName: 'm', Value: 1 }] }))).toBe('parameter');
  });

  it('lists metrics by namespace, name and dimension filters, recently active ones, in pages', async () => {
    await put('Latency', '2026-12-06T11:00:00Z', 1);
    await put('Latency', '2026-12-06T11:00:00Z', 1, [{ Name: 'Service', Value: 'api' }]);
    await put('Errors', '2026-12-06T11:00:00Z', 1, [...web, { Name: 'Zone', Value: 'a' }]);
    await metrics.put({ ...scope, now: new Date(now.getTime() - 5 * 3600_000) }, { Namespace: 'Old', MetricData: [{ MetricName: 'm', Value: 1 }] });
    const names = async (req: object) => (await metrics.list(scope, req)).metrics.map((m) => `${m.namespace}/${m.metricName}/${m.dimensions.map((d) => d.Value).join(',')}`);
    expect(await names({})).toEqual(['App/Latency/web', 'App/Latency/api', 'App/Errors/web,a', 'Old/m/']);
    expect(await names({ Namespace: 'App', MetricName: 'Latency' })).toEqual(['App/Latency/web', 'App/Latency/api']);
    expect(await names({ Dimensions: [{ Name: 'Service', Value: 'web' }] })).toEqual(['App/Latency/web', 'App/Errors/web,a']);
    expect(await names({ Dimensions: [{ Name: 'Zone' }] })).toEqual(['App/Errors/web,a']);
    expect(await names({ RecentlyActive: 'PT3H' })).toEqual(['App/Latency/web', 'App/Latency/api', 'App/Errors/web,a']);
    const many = Array.from({ length: 501 }, (_, i) => ({ MetricName: `m${i}`, Value: 1 }));
    await metrics.put(scope, { Namespace: 'Many', MetricData: many });
    const first = (await metrics.list(scope, { Namespace: 'Many' }));
    expect([first.metrics.length, first.more]).toEqual([500, true]);
    const second = (await metrics.list(scope, { Namespace: 'Many', afterId: first.metrics[499]!.id }));
    expect([second.metrics.map((m) => m.metricName), second.more]).toEqual([['m500'], false]);
  });

  it('expires data past 455 days', async () => {
    await put('Latency', '2026-12-06T11:00:00Z', 1);
    const published = Date.parse('2026-12-06T11:00:00Z');
    expect((await metrics.expire(new Date(published + 455 * 86_400_000), 100))).toBe(0);
    expect((await metrics.expire(new Date(published + 455 * 86_400_000 + 1), 100))).toBe(1);
    expect((await metrics.list({ ...scope, now: new Date(now.getTime() + 456 * 86_400_000) }, {})).metrics).toEqual([]);
  });
});

describe('GetMetricData', () => {
  const range = { StartTime: sec('2026-12-06T11:00:00Z'), EndTime: sec('2026-12-06T11:03:00Z') };
  const stat = (id: string, name: string, s = 'Sum') => ({ Id: id, MetricStat: { Metric: { Namespace: 'App', MetricName: name, Dimensions: web }, Period: 60, Stat: s } });

  beforeEach(async () => {
    await put('Errors', '2026-12-06T11:00:05Z', 2);
    await put('Errors', '2026-12-06T11:02:05Z', 1);
    await put('Requests', '2026-12-06T11:00:06Z', 10);
    await put('Requests', '2026-12-06T11:01:06Z', 20);
    await put('Requests', '2026-12-06T11:02:06Z', 50);
  });

  it('answers metric stats and math over them, newest first by default', async () => {
    const { results, nextToken } = await getMetricData(metrics, scope, {
      ...range,
      MetricDataQueries: [
        { ...stat('errors', 'Errors'), ReturnData: false },
        { ...stat('requests', 'Requests'), ReturnData: false },
        { Id: 'rate', Expression: '100 * FILL(errors, 0) / requests', Label: 'Error rate' },
        stat('req', 'Requests', 'p50'),
      ],
    });
    expect(nextToken).toBeUndefined();
    expect(results).toEqual([
      { Id: 'rate', Label: 'Error rate', Timestamps: [sec('2026-12-06T11:02:00Z'), sec('2026-12-06T11:01:00Z'), sec('2026-12-06T11:00:00Z')], Values: [2, 0, 20], StatusCode: 'Complete', Messages: [] },
      { Id: 'req', Label: 'Requests', Timestamps: [sec('2026-12-06T11:02:00Z'), sec('2026-12-06T11:01:00Z'), sec('2026-12-06T11:00:00Z')], Values: [50, 20, 10], StatusCode: 'Complete', Messages: [] },
    ]);
  });

  it('pages by MaxDatapoints, oldest first when asked', async () => {
    const request = { ...range, ScanBy: 'TimestampAscending' as const, MaxDatapoints: 2, MetricDataQueries: [stat('req', 'Requests')] };
    const first = await getMetricData(metrics, scope, request);
    expect(first.results[0]).toMatchObject({ Values: [10, 20], StatusCode: 'PartialData' });
    const second = await getMetricData(metrics, scope, { ...request, NextToken: first.nextToken! });
    expect([second.results[0]!.Values, second.results[0]!.StatusCode, second.nextToken]).toEqual([[50], 'Complete', undefined]);
    await expect(getMetricData(metrics, scope, { ...request, NextToken: 'bogus' })).rejects.toThrow(expect.objectContaining({ subject: 'next-token' }));
  });

  it('refuses bad queries', async () => {
    const bad = (queries: object[]) => getMetricData(metrics, scope, { ...range, MetricDataQueries: queries as never });
    await expect(bad([{ Id: 'e', Expression: 'nope + 1' }])).rejects.toThrow('Error in expression e: Unrecognized metric identifier nope.');
    await expect(bad([{ Id: 'a', Expression: 'b' }, { Id: 'b', Expression: 'a' }])).rejects.toThrow(/circular/);
    await expect(bad([stat('Upper', 'Errors')])).rejects.toThrow(/Id is invalid/);
    await expect(bad([stat('m', 'Errors'), stat('m', 'Errors')])).rejects.toThrow(/not unique/);
    await expect(bad([stat('m', 'Errors', 'Average2')])).rejects.toThrow('The value for parameter MetricDataQueries.member.1.MetricStat.Stat is not a valid statistic.');
    await expect(bad([{ Id: 'q', Expression: 'SELECT AVG(x) FROM y' }])).rejects.toThrow(/not supported/);
    await expect(bad([{ ...stat('m', 'Errors'), ReturnData: false }])).rejects.toThrow(/ReturnData/);
    await expect(bad([{ Id: 'e', Expression: '1 + 1' }])).rejects.toThrow(/single time series/);
    await expect(bad([{ ...stat('m', 'Errors'), Label: '${MAX}' }])).rejects.toThrow(/dynamic label/);
  });
});
