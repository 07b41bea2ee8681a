import { reasonDataTime } from './evaluator.js';
import type { Alarm, AlarmState, HistoryItem } from './alarm-types.js';

/**
 * The history items CloudWatch writes, pure: ConfigurationUpdate (created, updated, deleted),
 * StateUpdate (old and new state with reasons) and Action (executed or failed), with their
 * HistoryData JSON as CloudWatch words it.
 */

type Item = HistoryItem & { region: string };

/** The alarm as HistoryData shows it (wire-like names, times as ISO text). */
function alarmJson(a: Alarm): Record<string, unknown> {
  const common = {
    alarmName: a.name,
    alarmArn: a.arn,
    ...(a.description !== undefined && { alarmDescription: a.description }),
    actionsEnabled: a.actionsEnabled,
    okactions: a.okActions,
    alarmActions: a.alarmActions,
    insufficientDataActions: a.insufficientDataActions,
    alarmConfigurationUpdatedTimestamp: reasonDataTime(a.configUpdatedAt),
  };
  if (a.kind === 'CompositeAlarm') return { ...common, alarmRule: a.rule };
  return {
    ...common,
    ...(a.metric && {
      namespace: a.metric.namespace,
      metricName: a.metric.metricName,
      dimensions: a.metric.dimensions.map((d) => ({ name: d.Name, value: d.Value })),
      period: a.metric.period,
      ...(a.metric.statistic !== undefined && { statistic: a.metric.statistic.toUpperCase() }),
      ...(a.metric.extendedStatistic !== undefined && { extendedStatistic: a.metric.extendedStatistic }),
      ...(a.metric.unit !== undefined && { unit: a.metric.unit }),
    }),
    ...(a.metrics && { metrics: a.metrics }),
    evaluationPeriods: a.evaluationPeriods,
    ...(!a.datapointsToAlarmOmitted && { datapointsToAlarm: a.datapointsToAlarm }),
    threshold: a.threshold,
    comparisonOperator: a.comparison,
    treatMissingData: a.treatMissingData,
    ...(a.evaluateLowSampleCountPercentile !== undefined && { evaluateLowSampleCountPercentile: a.evaluateLowSampleCountPercentile }),
  };
}

const base = (a: Alarm, at: number) => ({ region: a.region, alarmName: a.name, alarmType: a.kind, timestamp: at });

/** `Alarm "name" created|updated|deleted`. */
export function configurationItem(change: 'Create' | 'Update' | 'Delete', alarm: Alarm, at: number, before?: Alarm): Item {
  const word = { Create: 'created', Update: 'updated', Delete: 'deleted' }[change];
  const key = { Create: 'createdAlarm', Update: 'updatedAlarm', Delete: 'deletedAlarm' }[change];
  const now = alarmJson(alarm);
  let original: Record<string, unknown> | undefined;
  if (before) {
    const was = alarmJson(before);
    original = Object.fromEntries(Object.entries(was).filter(([k, v]) => k !== 'alarmConfigurationUpdatedTimestamp' && JSON.stringify(v) !== JSON.stringify(now[k])));
  }
  return {
    ...base(alarm, at),
    type: 'ConfigurationUpdate',
    summary: `Alarm "${alarm.name}" ${word}`,
    data: JSON.stringify({ version: '1.0', type: change, [key]: now, ...(original && { originalUpdatedFields: original }) }),
  };
}

const stateJson = (s: AlarmState) => ({
  stateValue: s.value,
  stateReason: s.reason,
  ...(s.reasonData !== undefined && { stateReasonData: JSON.parse(s.reasonData) as unknown }),
});

/** `Alarm updated from OK to ALARM`. */
export function stateItem(alarm: Alarm, before: AlarmState, after: AlarmState): Item {
  return {
    ...base(alarm, after.updatedAt),
    type: 'StateUpdate',
    summary: `Alarm updated from ${before.value} to ${after.value}`,
    data: JSON.stringify({ version: '1.0', oldState: stateJson(before), newState: stateJson(after) }),
  };
}

/** `Successfully executed action <arn>` or `Failed to execute action <arn>. Received error: "…"`. */
export function actionItem(alarm: Alarm, arn: string, stateAt: number, at: number, error?: string): Item {
  return {
    ...base(alarm, at),
    type: 'Action',
    summary: error === undefined ? `Successfully executed action ${arn}` : `Failed to execute action ${arn}. Received error: "${error}"`,
    data: JSON.stringify({
      actionState: error === undefined ? 'Succeeded' : 'Failed',
      stateUpdateTimestamp: stateAt,
      notificationResource: arn,
      ...(error !== undefined && { error }),
    }),
  };
}
