import type { Dimension } from '../datum-rules.js';
import { alarmPeriod } from './alarm-data.js';
import type { Alarm, MetricAlarm } from './alarm-types.js';
import { EXTRA_RANGE_PERIODS } from './evaluator.js';

/**
 * Which metric alarms data that just arrived concerns, pure. An alarm judges a period once it has
 * ended; a datum for a period that has already ended (AWS/ECS publishes a minute's datapoint at
 * that minute's end) would otherwise wait for the next scheduled round, up to a minute later. The
 * alarms whose metric got such a datum inside their evaluation range are evaluated at once: the
 * same evaluation a scheduled round would make at that moment, with the alarm's period,
 * evaluation periods and datapoints to alarm unchanged.
 */

/** No alarm period is shorter: a datum in a 10-second span still under way ends no alarm's period. */
export const SHORTEST_PERIOD_MS = 10_000;

const byName = (a: Dimension, b: Dimension) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0);

/** A metric's identity in a region: namespace, name and dimensions, whatever their order. */
export function metricKey(region: string, namespace: string, metricName: string, dimensions: readonly Dimension[]): string {
  return JSON.stringify([region, namespace, metricName, [...dimensions].sort(byName).map((d) => [d.Name, d.Value])]);
}

/** An alarm's identity across regions. */
export const alarmKey = (alarm: Pick<Alarm, 'region' | 'name'>): string => `${alarm.region}\n${alarm.name}`;

/** The metrics a metric alarm reads: its one metric, or the MetricStat queries of its metric math. */
export function alarmMetricKeys(alarm: MetricAlarm): string[] {
  if (alarm.metric) return [metricKey(alarm.region, alarm.metric.namespace, alarm.metric.metricName, alarm.metric.dimensions)];
  const keys: string[] = [];
  for (const q of alarm.metrics ?? []) {
    const m = q.MetricStat?.Metric;
    if (m?.Namespace !== undefined && m.MetricName !== undefined) keys.push(metricKey(alarm.region, m.Namespace, m.MetricName, m.Dimensions ?? []));
  }
  return keys;
}

/**
 * The data that arrived since the last look, as the earliest and latest timestamp per metric;
 * only data older than the current 10-second span are kept, the others can end no period yet.
 */
export class Arrivals {
  private readonly spans = new Map<string, { first: number; last: number }>();

  get size(): number {
    return this.spans.size;
  }

  add(key: string, timestamp: number, now: number): void {
    if (timestamp >= Math.floor(now / SHORTEST_PERIOD_MS) * SHORTEST_PERIOD_MS) return;
    const span = this.spans.get(key);
    if (!span) this.spans.set(key, { first: timestamp, last: timestamp });
    else this.spans.set(key, { first: Math.min(span.first, timestamp), last: Math.max(span.last, timestamp) });
  }

  /** The alarms (by {@link alarmKey}) whose metric got a datum in an ended period of their evaluation range at `now`; forgets the data. */
  take(alarms: readonly Alarm[], now: number): Set<string> {
    const due = new Set<string>();
    if (this.spans.size === 0) return due;
    for (const a of alarms) {
      if (a.kind !== 'MetricAlarm') continue;
      const periodMs = alarmPeriod(a) * 1000;
      const end = Math.floor(now / periodMs) * periodMs;
      const start = end - (a.evaluationPeriods + EXTRA_RANGE_PERIODS) * periodMs;
      const hit = alarmMetricKeys(a).some((k) => {
        const span = this.spans.get(k);
        return span !== undefined && span.first < end && span.last >= start;
      });
      if (hit) due.add(alarmKey(a));
    }
    this.spans.clear();
    return due;
  }
}
