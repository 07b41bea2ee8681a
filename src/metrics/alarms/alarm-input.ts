import { invalidParameter } from '../../lib/errors.js';
import { invalidCombination, missingParameter, type Dimension } from '../datum-rules.js';
import type { DataQuery } from '../metric-data.js';
import { BASIC_STATISTICS, percentileOf } from '../statistics.js';
import type { AlarmMetric, Comparison, MissingData, ThresholdRule } from './alarm-types.js';

/**
 * PutMetricAlarm's and PutCompositeAlarm's rules, pure: the request as the API carries it (the
 * same input Application Auto Scaling's target tracking gives for its alarms) checked and turned
 * into the alarm's configuration, or refused with CloudWatch's error.
 */

export interface Tag {
  Key: string;
  Value: string;
}

/** A PutMetricAlarm request. */
export interface PutMetricAlarmRequest {
  AlarmName: string;
  AlarmDescription?: string;
  ActionsEnabled?: boolean;
  OKActions?: string[];
  AlarmActions?: string[];
  InsufficientDataActions?: string[];
  MetricName?: string;
  Namespace?: string;
  Statistic?: string;
  ExtendedStatistic?: string;
  Dimensions?: Dimension[];
  Period?: number;
  Unit?: string;
  EvaluationPeriods?: number;
  DatapointsToAlarm?: number;
  Threshold?: number;
  ComparisonOperator?: string;
  TreatMissingData?: string;
  EvaluateLowSampleCountPercentile?: string;
  Metrics?: DataQuery[];
  Tags?: Tag[];
  ThresholdMetricId?: string;
  EvaluationCriteria?: unknown;
  EvaluationInterval?: number;
}

/** A PutCompositeAlarm request. */
export interface PutCompositeAlarmRequest {
  AlarmName: string;
  AlarmRule: string;
  AlarmDescription?: string;
  ActionsEnabled?: boolean;
  OKActions?: string[];
  AlarmActions?: string[];
  InsufficientDataActions?: string[];
  Tags?: Tag[];
  ActionsSuppressor?: string;
  ActionsSuppressorWaitPeriod?: number;
  ActionsSuppressorExtensionPeriod?: number;
}

const STATIC: readonly string[] = ['GreaterThanOrEqualToThreshold', 'GreaterThanThreshold', 'LessThanThreshold', 'LessThanOrEqualToThreshold'];
const MISSING: readonly string[] = ['missing', 'ignore', 'breaching', 'notBreaching'];
/** The longest Period × EvaluationPeriods: seven days, or one day for periods under an hour. */
const MAX_RANGE_SECONDS = 604_800;
const MAX_SHORT_RANGE_SECONDS = 86_400;
/** Most metrics in one metric math alarm. */
export const MAX_ALARM_METRICS = 10;
/** ARN of an action: `arn:<partition>:<service>:…`. */
const ACTION_ARN = /^arn:aws[a-z-]*:[a-z0-9-]+:[^\s]*$/;

/** Checks an alarm period: 10, 20, 30 or a multiple of 60 seconds. */
function checkAlarmPeriod(period: number, param: string): void {
  if (period === 10 || period === 20 || period === 30 || (period > 0 && period % 60 === 0)) return;
  throw invalidParameter(`The parameter ${param} must be 10, 20, 30, or a multiple of 60.`);
}

/** Checks action ARNs (each list at most 5, as the model says). */
export function checkActions(lists: Record<string, readonly string[] | undefined>): void {
  for (const [param, arns] of Object.entries(lists)) {
    for (const arn of arns ?? []) {
      if (!ACTION_ARN.test(arn)) throw invalidParameter(`Invalid arn syntax: ${arn}`);
    }
    if (new Set(arns ?? []).size !== (arns ?? []).length) throw invalidParameter(`The collection ${param} must not hold duplicates.`);
  }
}

/** The checked configuration of a metric alarm. */
export interface CheckedMetricAlarm extends ThresholdRule {
  readonly metric?: AlarmMetric;
  readonly metrics?: readonly DataQuery[];
}

/** Checks a PutMetricAlarm request; throws CloudWatch's error for the first rule it breaks. */
export function checkMetricAlarm(input: PutMetricAlarmRequest): CheckedMetricAlarm {
  if (input.EvaluationCriteria !== undefined || input.EvaluationInterval !== undefined) {
    throw invalidParameter('The parameters EvaluationCriteria and EvaluationInterval (PromQL alarms) are not supported by this endpoint.');
  }
  const comparison = input.ComparisonOperator;
  if (comparison === undefined) throw missingParameter('The parameter ComparisonOperator is required.');
  if (!STATIC.includes(comparison)) {
    throw invalidParameter(
      `The value ${comparison} for parameter ComparisonOperator is not supported by this endpoint: anomaly detection bands are not served; use GreaterThanOrEqualToThreshold, GreaterThanThreshold, LessThanThreshold or LessThanOrEqualToThreshold.`,
    );
  }
  if (input.ThresholdMetricId !== undefined) {
    throw invalidParameter('The parameter ThresholdMetricId (anomaly detection bands) is not supported by this endpoint.');
  }
  if (input.Threshold === undefined) throw missingParameter('The parameter Threshold is required.');
  const n = input.EvaluationPeriods;
  if (n === undefined) throw missingParameter('The parameter EvaluationPeriods is required.');
  if (!(n >= 1)) throw invalidParameter(`The value ${n} for parameter EvaluationPeriods is invalid. It must be at least 1.`);
  const m = input.DatapointsToAlarm ?? n;
  if (!(m >= 1)) throw invalidParameter(`The value ${m} for parameter DatapointsToAlarm is invalid. It must be at least 1.`);
  if (m > n) throw invalidParameter('DatapointsToAlarm must be less than or equal to EvaluationPeriods.');
  const missing = input.TreatMissingData ?? 'missing';
  if (!MISSING.includes(missing)) {
    throw invalidParameter(`The value ${missing} for parameter TreatMissingData is invalid. Valid values are breaching, notBreaching, ignore and missing.`);
  }
  checkActions({ OKActions: input.OKActions, AlarmActions: input.AlarmActions, InsufficientDataActions: input.InsufficientDataActions });
  const rule: ThresholdRule = {
    evaluationPeriods: n,
    datapointsToAlarm: m,
    ...(input.DatapointsToAlarm === undefined && { datapointsToAlarmOmitted: true }),
    threshold: input.Threshold,
    comparison: comparison as Comparison,
    treatMissingData: missing as MissingData,
  };

  const single = input.MetricName !== undefined || input.Namespace !== undefined || input.Statistic !== undefined || input.ExtendedStatistic !== undefined || input.Dimensions !== undefined || input.Period !== undefined;
  if (input.Metrics !== undefined) {
    if (single || input.Unit !== undefined) {
      throw invalidCombination('When Metrics is specified, MetricName, Namespace, Statistic, ExtendedStatistic, Dimensions, Period and Unit must not be specified.');
    }
    if (input.EvaluateLowSampleCountPercentile !== undefined) {
      throw invalidCombination('EvaluateLowSampleCountPercentile can only be used with a percentile ExtendedStatistic.');
    }
    return { ...rule, metrics: checkAlarmMetrics(input.Metrics, n) };
  }
  if (input.MetricName === undefined) throw missingParameter('The parameter MetricName is required.');
  if (input.Namespace === undefined) throw missingParameter('The parameter Namespace is required.');
  if ((input.Statistic === undefined) === (input.ExtendedStatistic === undefined)) {
    throw invalidCombination('Exactly one of the parameters Statistic and ExtendedStatistic must be specified.');
  }
  if (input.Statistic !== undefined && !(BASIC_STATISTICS as readonly string[]).includes(input.Statistic)) {
    throw invalidParameter(`The value ${input.Statistic} for parameter Statistic is invalid.`);
  }
  if (input.ExtendedStatistic !== undefined && percentileOf(input.ExtendedStatistic) === undefined) {
    throw invalidParameter(`The value ${input.ExtendedStatistic} for parameter ExtendedStatistic is invalid. Use a percentile from p0 to p100.`);
  }
  const low = input.EvaluateLowSampleCountPercentile;
  if (low !== undefined) {
    if (input.ExtendedStatistic === undefined) throw invalidCombination('EvaluateLowSampleCountPercentile can only be used with a percentile ExtendedStatistic.');
    if (low !== 'evaluate' && low !== 'ignore') {
      throw invalidParameter(`The value ${low} for parameter EvaluateLowSampleCountPercentile is invalid. Valid values are evaluate and ignore.`);
    }
  }
  if (input.Period === undefined) throw missingParameter('The parameter Period is required.');
  checkAlarmPeriod(input.Period, 'Period');
  checkRange(input.Period, n);
  const dims = [...(input.Dimensions ?? [])].sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0));
  for (let k = 1; k < dims.length; k++) if (dims[k]!.Name === dims[k - 1]!.Name) throw invalidParameter(`The dimension ${dims[k]!.Name} is given more than once.`);
  return {
    ...rule,
    ...(low !== undefined && { evaluateLowSampleCountPercentile: low }),
    metric: {
      namespace: input.Namespace,
      metricName: input.MetricName,
      dimensions: dims.map((d) => ({ Name: d.Name, Value: d.Value })),
      period: input.Period,
      ...(input.Statistic !== undefined && { statistic: input.Statistic }),
      ...(input.ExtendedStatistic !== undefined && { extendedStatistic: input.ExtendedStatistic }),
      ...(input.Unit !== undefined && { unit: input.Unit }),
    },
  };
}

function checkRange(period: number, n: number): void {
  if (period < 3600 && period * n > MAX_SHORT_RANGE_SECONDS) {
    throw invalidParameter('For alarms with a period of less than one hour, Period multiplied by EvaluationPeriods must not exceed one day (86400 seconds).');
  }
  if (period * n > MAX_RANGE_SECONDS) {
    throw invalidParameter('Period multiplied by EvaluationPeriods must not exceed seven days (604800 seconds).');
  }
}

/** The period of a metric math alarm: its ReturnData query's, or its first metric's. */
export function mathPeriod(metrics: readonly DataQuery[]): number {
  const out = metrics.find((q) => q.ReturnData !== false);
  return out?.Period ?? out?.MetricStat?.Period ?? metrics.find((q) => q.MetricStat)?.MetricStat?.Period ?? 60;
}

function checkAlarmMetrics(metrics: readonly DataQuery[], n: number): DataQuery[] {
  if (metrics.length === 0) throw missingParameter('The parameter Metrics must not be empty.');
  if (metrics.length > MAX_ALARM_METRICS) throw invalidParameter(`The collection Metrics must not have a size greater than ${MAX_ALARM_METRICS}.`);
  const returned = metrics.filter((q) => q.ReturnData !== false);
  if (returned.length !== 1) throw invalidParameter('Exactly one element of the metrics list should return data.');
  metrics.forEach((q, i) => {
    const at = `Metrics.member.${i + 1}`;
    if (q.MetricStat) {
      checkAlarmPeriod(q.MetricStat.Period, `${at}.MetricStat.Period`);
    } else if (q.Expression === undefined) {
      throw invalidCombination(`Exactly one of the parameters ${at}.MetricStat and ${at}.Expression must be specified.`);
    }
  });
  if (!metrics.some((q) => q.MetricStat)) throw invalidParameter('A metric math alarm needs at least one metric (MetricStat) in Metrics.');
  const period = mathPeriod(metrics);
  checkAlarmPeriod(period, 'Metrics period');
  checkRange(period, n);
  // Each query as given, without members the request did not carry.
  return metrics.map((q) => JSON.parse(JSON.stringify(q)) as DataQuery);
}
