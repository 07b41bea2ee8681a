import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MetricAlarm } from './alarm-types.js';
import { alarmKey, alarmMetricKeys, Arrivals, metricKey } from './data-arrivals.js';

const T0 = Date.UTC(2026, 11, 6, 18, 0);
const DIMS = [
  { Name: 'ServiceName', Value: 'web' },
  { Name: 'ClusterName', Value: 'prod' },
];

const alarm = (name: string, period: number, evaluationPeriods: number, over: Partial<MetricAlarm> = {}): MetricAlarm => ({
  kind: 'MetricAlarm',
  name,
  arn: `arn:aws:cloudwatch:us-east-1:000000000000:alarm:${name}`,
  region: 'us-east-1',
  actionsEnabled: true,
  okActions: [],
  alarmActions: [],
  insufficientDataActions: [],
  configUpdatedAt: T0,
  tags: [],
  state: { value: 'OK', reason: '', updatedAt: T0, transitionedAt: T0 },
  evaluationPeriods,
  datapointsToAlarm: evaluationPeriods,
  threshold: 50,
  comparison: 'GreaterThanThreshold',
  treatMissingData: 'missing',
  metric: { namespace: 'AWS/ECS', metricName: 'CPUUtilization', dimensions: [...DIMS].reverse(), statistic: 'Average', period },
  ...over,
});

const cpu = metricKey('us-east-1', 'AWS/ECS', 'CPUUtilization', DIMS);

describe('Arrivals', () => {
  it('names a metric the same whatever the order of its dimensions, and tells regions apart', () => {
    expect(metricKey('us-east-1', 'AWS/ECS', 'CPUUtilization', [...DIMS].reverse())).toBe(cpu);
    expect(metricKey('eu-west-1', 'AWS/ECS', 'CPUUtilization', DIMS)).not.toBe(cpu);
    expect(alarmMetricKeys(alarm('high', 60, 3))).toEqual([cpu]);
  });

  it('finds the metrics of a metric math alarm in its MetricStat queries', () => {
    const math = alarm('math', 60, 1, {
      metrics: [
        { Id: 'a', MetricStat: { Metric: { Namespace: 'AWS/ECS', MetricName: 'CPUUtilization', Dimensions: DIMS }, Period: 60, Stat: 'Average' }, ReturnData: false },
        { Id: 'e', Expression: 'a * 2' },
      ],
    });
    const { metric: _none, ...withoutMetric } = math;
    expect(alarmMetricKeys(withoutMetric as MetricAlarm)).toEqual([cpu]);
  });

  it('makes a minute alarm due when its metric gets a datum for the minute that just ended', () => {
    const arrivals = new Arrivals();
    const now = T0 + 3 * 60_000 + 40;
    // ECS's datum for 18:02, published at 18:03:00.04.
    arrivals.add(cpu, T0 + 2 * 60_000 + 30_000, now);
    const alarms = [alarm('high', 60, 3), alarm('other', 60, 3, { metric: { namespace: 'App', metricName: 'Queue', dimensions: [], statistic: 'Sum', period: 60 } })];
    expect([...arrivals.take(alarms, now)]).toEqual([alarmKey(alarms[0]!)]);
    // Taken once: the next look finds nothing new.
    expect(arrivals.take(alarms, now).size).toBe(0);
  });

  it('leaves an alarm alone while the period of the datum is under way, or the datum is older than its range', () => {
    const arrivals = new Arrivals();
    const now = T0 + 3 * 60_000 + 20_000;
    arrivals.add(cpu, T0 + 3 * 60_000 + 5_000, now);
    // A datum of the current 10-second span is not even kept.
    arrivals.add(cpu, T0 + 3 * 60_000 + 19_000, now);
    expect(arrivals.take([alarm('high', 60, 3)], now).size).toBe(0);
    // A 10-second alarm's period 18:03:00-18:03:10 has ended.
    arrivals.add(cpu, T0 + 3 * 60_000 + 5_000, now);
    expect(arrivals.take([alarm('fast', 10, 1)], now).size).toBe(1);
    // Before 17:58 (3 + 2 minutes before 18:03) is out of the range of a 3-minute alarm.
    arrivals.add(cpu, T0 - 2 * 60_000 - 1, now);
    expect(arrivals.take([alarm('high', 60, 3)], now).size).toBe(0);
  });

  it('never misses an alarm whose metric got a datum in an ended period of its range (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(10, 20, 30, 60, 300),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 0, max: 3_600_000 }),
        fc.array(fc.integer({ min: -4_000_000, max: 0 }), { minLength: 1, maxLength: 5 }),
        (period, n, offset, ages) => {
          const now = T0 + offset;
          const periodMs = period * 1000;
          const end = Math.floor(now / periodMs) * periodMs;
          const start = end - (n + 2) * periodMs;
          const arrivals = new Arrivals();
          for (const age of ages) arrivals.add(cpu, now + age, now);
          const due = arrivals.take([alarm('a', period, n)], now).size === 1;
          const inRange = ages.some((age) => now + age >= start && now + age < end);
          const allCurrent = ages.every((age) => now + age >= end);
          if (inRange) expect(due).toBe(true);
          if (allCurrent) expect(due).toBe(false);
        },
      ),
    );
  });
});
