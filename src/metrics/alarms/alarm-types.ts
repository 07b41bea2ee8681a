import type { Dimension } from '../datum-rules.js';
import type { DataQuery } from '../metric-data.js';

/** An alarm's state. */
export type StateValue = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
export const STATE_VALUES: readonly StateValue[] = ['OK', 'ALARM', 'INSUFFICIENT_DATA'];

/** The static comparison operators; the anomaly-band ones are refused when an alarm is put. */
export type Comparison = 'GreaterThanOrEqualToThreshold' | 'GreaterThanThreshold' | 'LessThanThreshold' | 'LessThanOrEqualToThreshold';

export type MissingData = 'missing' | 'ignore' | 'breaching' | 'notBreaching';

/** What an alarm's state is and why; kept with the alarm, so it survives restarts. */
export interface AlarmState {
  readonly value: StateValue;
  readonly reason: string;
  /** StateReasonData (JSON text), when the state came with data. */
  readonly reasonData?: string;
  /** Epoch ms: last update of the state (StateUpdatedTimestamp). */
  readonly updatedAt: number;
  /** Epoch ms: last change of the state value (StateTransitionedTimestamp). */
  readonly transitionedAt: number;
}

/** What both kinds of alarm carry. */
interface AlarmCommon {
  readonly name: string;
  readonly arn: string;
  readonly region: string;
  readonly description?: string;
  readonly actionsEnabled: boolean;
  readonly okActions: readonly string[];
  readonly alarmActions: readonly string[];
  readonly insufficientDataActions: readonly string[];
  /** Epoch ms. */
  readonly configUpdatedAt: number;
  readonly tags: ReadonlyArray<{ Key: string; Value: string }>;
  readonly state: AlarmState;
}

/** The one metric of a static-threshold alarm. */
export interface AlarmMetric {
  readonly namespace: string;
  readonly metricName: string;
  /** Sorted by name. */
  readonly dimensions: readonly Dimension[];
  readonly statistic?: string;
  readonly extendedStatistic?: string;
  readonly unit?: string;
  /** Seconds. */
  readonly period: number;
}

/** What decides a metric alarm's state from its datapoints (the evaluator's input). */
export interface ThresholdRule {
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  /** DatapointsToAlarm was not given (it is then EvaluationPeriods, and DescribeAlarms leaves it out, as CloudWatch does). */
  readonly datapointsToAlarmOmitted?: true;
  readonly threshold: number;
  readonly comparison: Comparison;
  readonly treatMissingData: MissingData;
  /** `evaluate` or `ignore`, for percentile statistics only. */
  readonly evaluateLowSampleCountPercentile?: 'evaluate' | 'ignore';
}

/** A metric alarm: one metric and a statistic, or metric math (Metrics). */
export interface MetricAlarm extends AlarmCommon, ThresholdRule {
  readonly kind: 'MetricAlarm';
  readonly metric?: AlarmMetric;
  readonly metrics?: readonly DataQuery[];
}

/** A composite alarm: a rule over other alarms' states. */
export interface CompositeAlarm extends AlarmCommon {
  readonly kind: 'CompositeAlarm';
  readonly rule: string;
}

export type Alarm = MetricAlarm | CompositeAlarm;

/** An alarm history item, as DescribeAlarmHistory answers it (Timestamp in epoch ms). */
export interface HistoryItem {
  readonly alarmName: string;
  readonly alarmType: Alarm['kind'];
  readonly timestamp: number;
  readonly type: 'ConfigurationUpdate' | 'StateUpdate' | 'Action';
  readonly summary: string;
  /** JSON text. */
  readonly data: string;
}
