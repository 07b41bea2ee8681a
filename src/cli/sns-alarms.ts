import type { Alarm, StateValue } from '../metrics/alarms/alarm-types.js';
import type { AlarmService } from '../metrics/alarms/alarm-service.js';
import type { Sns } from '../sns/sns.js';

/** Region names as CloudWatch writes them in notifications (`Region`, the Subject). */
const REGION_NAMES: Readonly<Record<string, string>> = {
  'us-east-1': 'US East (N. Virginia)',
  'us-east-2': 'US East (Ohio)',
  'us-west-1': 'US West (N. California)',
  'us-west-2': 'US West (Oregon)',
  'ca-central-1': 'Canada (Central)',
  'eu-west-1': 'EU (Ireland)',
  'eu-west-2': 'EU (London)',
  'eu-west-3': 'EU (Paris)',
  'eu-central-1': 'EU (Frankfurt)',
  'eu-north-1': 'EU (Stockholm)',
  'eu-south-1': 'EU (Milan)',
  'ap-northeast-1': 'Asia Pacific (Tokyo)',
  'ap-northeast-2': 'Asia Pacific (Seoul)',
  'ap-northeast-3': 'Asia Pacific (Osaka)',
  'ap-southeast-1': 'Asia Pacific (Singapore)',
  'ap-southeast-2': 'Asia Pacific (Sydney)',
  'ap-south-1': 'Asia Pacific (Mumbai)',
  'sa-east-1': 'South America (Sao Paulo)',
};

export const regionName = (region: string): string => REGION_NAMES[region] ?? region;

/** CloudWatch's timestamps in notifications: `2026-01-02T03:04:05.678+0000`. */
const cwTime = (ms: number): string => new Date(ms).toISOString().replace('Z', '+0000');

/** The JSON message CloudWatch publishes to a topic when an alarm changes state. */
export function alarmNotification(alarm: Alarm, accountId: string, newState: StateValue, oldState: StateValue | undefined): Record<string, unknown> {
  return {
    AlarmName: alarm.name,
    AlarmDescription: alarm.description ?? null,
    AWSAccountId: accountId,
    AlarmConfigurationUpdatedTimestamp: cwTime(alarm.configUpdatedAt),
    NewStateValue: newState,
    NewStateReason: alarm.state.reason,
    StateChangeTime: cwTime(alarm.state.updatedAt),
    Region: regionName(alarm.region),
    AlarmArn: alarm.arn,
    OldStateValue: oldState ?? 'INSUFFICIENT_DATA',
    OKActions: alarm.okActions,
    AlarmActions: alarm.alarmActions,
    InsufficientDataActions: alarm.insufficientDataActions,
    ...(alarm.kind === 'MetricAlarm' ? { Trigger: trigger(alarm) } : { AlarmRule: alarm.rule }),
  };
}

function trigger(alarm: Extract<Alarm, { kind: 'MetricAlarm' }>): Record<string, unknown> {
  const m = alarm.metric;
  return {
    ...(m && {
      MetricName: m.metricName,
      Namespace: m.namespace,
      StatisticType: m.extendedStatistic !== undefined ? 'ExtendedStatistic' : 'Statistic',
      ...(m.extendedStatistic !== undefined ? { ExtendedStatistic: m.extendedStatistic } : { Statistic: (m.statistic ?? '').toUpperCase() }),
      Unit: m.unit ?? null,
      Dimensions: m.dimensions.map((d) => ({ value: d.Value, name: d.Name })),
      Period: m.period,
    }),
    ...(alarm.metrics && { Metrics: alarm.metrics }),
    EvaluationPeriods: alarm.evaluationPeriods,
    DatapointsToAlarm: alarm.datapointsToAlarm,
    ComparisonOperator: alarm.comparison,
    Threshold: alarm.threshold,
    TreatMissingData: alarm.treatMissingData,
    EvaluateLowSampleCountPercentile: alarm.evaluateLowSampleCountPercentile ?? '',
  };
}

/**
 * Alarm actions naming an SNS topic publish CloudWatch's notification to it, with the Subject
 * `ALARM: "<name>" in <region name>`; returns the function that removes the handler.
 */
export function notifyTopics(alarms: AlarmService, sns: Sns): () => void {
  return alarms.registerActionHandler('arn:aws:sns:', async (topicArn, alarm, newState, oldState) => {
    const [, , , region = '', accountId = ''] = topicArn.split(':');
    const subject = `${newState}: "${alarm.name}" in ${regionName(alarm.region)}`;
    const message = JSON.stringify(alarmNotification(alarm, accountId, newState, oldState));
    // SNS takes a Subject of under 100 printable ASCII characters; a longer or non-ASCII alarm name
    // is cut and masked rather than failing the action.
    await sns.publish({ accountId, region }, topicArn, { Message: message, Subject: subject.replace(/[^\x20-\x7e]/g, '?').slice(0, 99) }, new Date());
  });
}
