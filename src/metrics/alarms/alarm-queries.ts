import { DomainError, ErrorKind, invalidParameter } from '../../lib/errors.js';
import { decodeToken, encodeToken } from '../../lib/pagination.js';
import type { Scope } from '../../lib/scope.js';
import { invalidCombination, type Dimension } from '../datum-rules.js';
import { parseAlarmRule, ruleAlarms } from './alarm-rule.js';
import type { AlarmService } from './alarm-service.js';
import type { Alarm, HistoryItem } from './alarm-types.js';

/** DescribeAlarms, DescribeAlarmsForMetric and DescribeAlarmHistory over the alarm service. */

export interface DescribeRequest {
  AlarmNames?: string[];
  AlarmNamePrefix?: string;
  AlarmTypes?: string[];
  ChildrenOfAlarmName?: string;
  ParentsOfAlarmName?: string;
  StateValue?: string;
  ActionPrefix?: string;
  MaxRecords?: number;
  NextToken?: string;
}

const DESCRIBE_TOKEN = 'DescribeAlarms';
const HISTORY_TOKEN = 'DescribeAlarmHistory';
const badToken = () => new DomainError(ErrorKind.InvalidArgument, 'The value of parameter NextToken is invalid.', 'next-token');

function position(listing: string, token: string | undefined): string | undefined {
  try {
    return decodeToken(listing, token);
  } catch {
    throw badToken();
  }
}

function maxRecords(value: number | undefined, fallback: number): number {
  const max = value ?? fallback;
  if (max < 1 || max > 100) throw invalidParameter(`The value ${max} for parameter MaxRecords is invalid. It must be between 1 and 100.`);
  return max;
}

/** The alarms a composite alarm's rule names (ChildrenOfAlarmName). */
function childrenOf(all: readonly Alarm[], parent: Alarm): Alarm[] {
  if (parent.kind !== 'CompositeAlarm') return [];
  const refs = new Set(ruleAlarms(parseAlarmRule(parent.rule)));
  return all.filter((a) => refs.has(a.name) || refs.has(a.arn));
}

/** One page of alarms in name order, and the token of the next. */
export async function describeAlarms(service: AlarmService, scope: Scope, r: DescribeRequest): Promise<{ alarms: Alarm[]; nextToken?: string }> {
  const max = maxRecords(r.MaxRecords, 50);
  const after = position(DESCRIBE_TOKEN, r.NextToken);
  const all = await service.list(scope);
  let found: Alarm[];
  if (r.ChildrenOfAlarmName !== undefined || r.ParentsOfAlarmName !== undefined) {
    const others = [r.AlarmNames, r.AlarmNamePrefix, r.AlarmTypes, r.StateValue, r.ActionPrefix].some((x) => x !== undefined);
    if (others || (r.ChildrenOfAlarmName !== undefined && r.ParentsOfAlarmName !== undefined)) {
      throw invalidCombination('If you specify ChildrenOfAlarmName or ParentsOfAlarmName, you cannot specify any other parameters in the request except for MaxRecords and NextToken.');
    }
    if (r.ChildrenOfAlarmName !== undefined) {
      const parent = all.find((a) => a.name === r.ChildrenOfAlarmName);
      found = parent ? childrenOf(all, parent) : [];
    } else {
      const child = all.find((a) => a.name === r.ParentsOfAlarmName);
      found = child ? all.filter((a) => a.kind === 'CompositeAlarm' && childrenOf(all, a).includes(child)) : [];
    }
  } else {
    if (r.AlarmNames !== undefined && r.AlarmNamePrefix !== undefined) {
      throw invalidCombination('AlarmNames and AlarmNamePrefix cannot be specified together.');
    }
    // Without AlarmTypes, only metric alarms are described, as CloudWatch does.
    const types = new Set(r.AlarmTypes ?? ['MetricAlarm']);
    const names = r.AlarmNames && new Set(r.AlarmNames);
    found = all.filter(
      (a) =>
        types.has(a.kind) &&
        (!names || names.has(a.name)) &&
        (r.AlarmNamePrefix === undefined || a.name.startsWith(r.AlarmNamePrefix)) &&
        (r.StateValue === undefined || a.state.value === r.StateValue) &&
        (r.ActionPrefix === undefined || [...a.alarmActions, ...a.okActions, ...a.insufficientDataActions].some((x) => x.startsWith(r.ActionPrefix!))),
    );
  }
  found.sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
  const from = after === undefined ? 0 : found.findIndex((a) => a.name > after);
  const rest = from < 0 ? [] : found.slice(from);
  const page = rest.slice(0, max);
  return rest.length > max ? { alarms: page, nextToken: encodeToken(DESCRIBE_TOKEN, page[page.length - 1]!.name) } : { alarms: page };
}

export interface ForMetricRequest {
  MetricName: string;
  Namespace: string;
  Statistic?: string;
  ExtendedStatistic?: string;
  Dimensions?: Dimension[];
  Period?: number;
  Unit?: string;
}

/** DescribeAlarmsForMetric: the metric alarms on this metric (alone or among their metric math). */
export async function alarmsForMetric(service: AlarmService, scope: Scope, r: ForMetricRequest): Promise<Alarm[]> {
  const dims = r.Dimensions && JSON.stringify([...r.Dimensions].sort((a, b) => (a.Name < b.Name ? -1 : 1)).map((d) => [d.Name, d.Value]));
  const sameDims = (d: readonly Dimension[] | undefined) => dims === undefined || JSON.stringify([...(d ?? [])].sort((a, b) => (a.Name < b.Name ? -1 : 1)).map((x) => [x.Name, x.Value])) === dims;
  return (await service.list(scope)).filter((a) => {
    if (a.kind !== 'MetricAlarm') return false;
    if (a.metric) {
      const m = a.metric;
      return (
        m.namespace === r.Namespace &&
        m.metricName === r.MetricName &&
        sameDims(m.dimensions) &&
        (r.Statistic === undefined || m.statistic === r.Statistic) &&
        (r.ExtendedStatistic === undefined || m.extendedStatistic === r.ExtendedStatistic) &&
        (r.Period === undefined || m.period === r.Period) &&
        (r.Unit === undefined || m.unit === r.Unit)
      );
    }
    return (a.metrics ?? []).some(
      (q) =>
        q.MetricStat?.Metric.Namespace === r.Namespace &&
        q.MetricStat.Metric.MetricName === r.MetricName &&
        sameDims(q.MetricStat.Metric.Dimensions) &&
        (r.Statistic === undefined || q.MetricStat.Stat === r.Statistic) &&
        (r.ExtendedStatistic === undefined || q.MetricStat.Stat === r.ExtendedStatistic) &&
        (r.Period === undefined || q.MetricStat.Period === r.Period) &&
        (r.Unit === undefined || q.MetricStat.Unit === r.Unit),
    );
  });
}

export interface HistoryRequest {
  AlarmName?: string;
  AlarmTypes?: string[];
  HistoryItemType?: string;
  /** Epoch seconds. */
  StartDate?: number;
  EndDate?: number;
  MaxRecords?: number;
  NextToken?: string;
  ScanBy?: string;
  AlarmContributorId?: string;
}

/** DescribeAlarmHistory: newest first unless ScanBy says TimestampAscending; metric alarms' only unless AlarmTypes says otherwise. */
export async function alarmHistory(service: AlarmService, scope: Scope, r: HistoryRequest): Promise<{ items: HistoryItem[]; nextToken?: string }> {
  const max = maxRecords(r.MaxRecords, 100);
  const after = position(HISTORY_TOKEN, r.NextToken);
  const afterId = after === undefined ? undefined : Number(after);
  if (afterId !== undefined && !Number.isSafeInteger(afterId)) throw badToken();
  // Only multi-contributor (Metrics Insights) alarms have contributors, and none is served here.
  if (r.AlarmContributorId !== undefined) return { items: [] };
  const rows = await service.store.history({
    region: scope.region,
    ascending: r.ScanBy === 'TimestampAscending',
    limit: max + 1,
    ...(r.AlarmName !== undefined && { name: r.AlarmName }),
    // Without AlarmTypes, only metric alarms' history is described, as CloudWatch does.
    kinds: r.AlarmTypes ?? ['MetricAlarm'],
    ...(r.HistoryItemType !== undefined && { type: r.HistoryItemType }),
    ...(r.StartDate !== undefined && { from: r.StartDate * 1000 }),
    ...(r.EndDate !== undefined && { to: r.EndDate * 1000 }),
    ...(afterId !== undefined && { afterId }),
  });
  const page = rows.slice(0, max);
  const items = page.map(({ id: _id, ...item }) => item);
  return rows.length > max ? { items, nextToken: encodeToken(HISTORY_TOKEN, String(page[page.length - 1]!.id)) } : { items };
}
