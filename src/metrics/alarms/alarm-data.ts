import type { Scope } from '../../lib/scope.js';
import { getMetricData } from '../metric-data.js';
import type { MetricService } from '../metric-service.js';
import { percentileOf, statistic } from '../statistics.js';
import { mathPeriod } from './alarm-input.js';
import type { MetricAlarm } from './alarm-types.js';
import { EXTRA_RANGE_PERIODS, type EvaluatedPoint, type ReasonContext } from './evaluator.js';

/** The seconds of an alarm's period. */
export const alarmPeriod = (alarm: MetricAlarm): number => alarm.metric?.period ?? mathPeriod(alarm.metrics ?? []);

/** What an alarm's evaluation reads: the datapoints of its evaluation range. */
export interface AlarmData {
  readonly points: EvaluatedPoint[];
  readonly context: ReasonContext;
  readonly percentile?: number;
}

/**
 * Reads the evaluation range of a metric alarm: the N + 2 complete periods before `now` (a
 * period still under way is judged once it has ended), one value per period that has data — the
 * alarm's statistic of its metric, or the value of its metric math's ReturnData query.
 */
export async function readAlarmData(metrics: MetricService, alarm: MetricAlarm, now: Date): Promise<AlarmData> {
  const period = alarmPeriod(alarm);
  const periodMs = period * 1000;
  const end = Math.floor(now.getTime() / periodMs) * periodMs;
  const periods = alarm.evaluationPeriods + EXTRA_RANGE_PERIODS;
  const start = end - periods * periodMs;
  const scope: Scope = { accountId: '', region: alarm.region, principalArn: '', now };
  const context = { queryDate: now.getTime(), startDate: start, period, ...(alarm.metric?.unit !== undefined && { unit: alarm.metric.unit }) };
  if (alarm.metric) {
    const m = alarm.metric;
    const stat = m.statistic ?? m.extendedStatistic!;
    const record = await metrics.metric(scope, m.namespace, m.metricName, m.dimensions);
    const points: EvaluatedPoint[] = [];
    for (const b of await metrics.buckets(record, { start, end, periodMs, buckets: periods }, period, now, m.unit, { splitUnits: false, values: m.extendedStatistic !== undefined })) {
      const value = statistic(b.aggregate, stat);
      if (value !== undefined) points.push({ timestamp: b.start, value, sampleCount: b.aggregate.sampleCount });
    }
    const percentile = m.extendedStatistic === undefined ? undefined : percentileOf(m.extendedStatistic);
    return { points, context: { ...context, statistic: stat }, ...(percentile !== undefined && { percentile }) };
  }
  const { results } = await getMetricData(metrics, scope, {
    MetricDataQueries: alarm.metrics!,
    StartTime: start / 1000,
    EndTime: end / 1000,
    ScanBy: 'TimestampAscending',
  });
  const out = results[0]!;
  return { points: out.Timestamps.map((t, k) => ({ timestamp: t * 1000, value: out.Values[k]! })), context };
}
