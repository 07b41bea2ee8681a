import { DomainError, ErrorKind } from '../../lib/errors.js';
import { alarmHistory, alarmsForMetric, describeAlarms, type DescribeRequest, type ForMetricRequest, type HistoryRequest } from '../../metrics/alarms/alarm-queries.js';
import type { PutCompositeAlarmRequest, PutMetricAlarmRequest, Tag } from '../../metrics/alarms/alarm-input.js';
import type { AlarmService } from '../../metrics/alarms/alarm-service.js';
import type { Alarm, StateValue } from '../../metrics/alarms/alarm-types.js';
import type { OperationHandler } from '../../server/service.js';

const seconds = (ms: number) => ms / 1000;

/** An alarm as DescribeAlarms answers it (MetricAlarm or CompositeAlarm shape). */
export function alarmWire(a: Alarm): Record<string, unknown> {
  const common = {
    AlarmName: a.name,
    AlarmArn: a.arn,
    ...(a.description !== undefined && { AlarmDescription: a.description }),
    AlarmConfigurationUpdatedTimestamp: seconds(a.configUpdatedAt),
    ActionsEnabled: a.actionsEnabled,
    OKActions: a.okActions,
    AlarmActions: a.alarmActions,
    InsufficientDataActions: a.insufficientDataActions,
    StateValue: a.state.value,
    StateReason: a.state.reason,
    ...(a.state.reasonData !== undefined && { StateReasonData: a.state.reasonData }),
    StateUpdatedTimestamp: seconds(a.state.updatedAt),
    StateTransitionedTimestamp: seconds(a.state.transitionedAt),
  };
  if (a.kind === 'CompositeAlarm') return { ...common, AlarmRule: a.rule };
  const m = a.metric;
  return {
    ...common,
    ...(m && {
      MetricName: m.metricName,
      Namespace: m.namespace,
      ...(m.statistic !== undefined && { Statistic: m.statistic }),
      ...(m.extendedStatistic !== undefined && { ExtendedStatistic: m.extendedStatistic }),
      Dimensions: m.dimensions,
      Period: m.period,
      ...(m.unit !== undefined && { Unit: m.unit }),
    }),
    ...(a.metrics && { Metrics: a.metrics }),
    EvaluationPeriods: a.evaluationPeriods,
    ...(!a.datapointsToAlarmOmitted && { DatapointsToAlarm: a.datapointsToAlarm }),
    Threshold: a.threshold,
    ComparisonOperator: a.comparison,
    TreatMissingData: a.treatMissingData,
    ...(a.evaluateLowSampleCountPercentile !== undefined && { EvaluateLowSampleCountPercentile: a.evaluateLowSampleCountPercentile }),
  };
}

const split = (alarms: readonly Alarm[]) => ({
  MetricAlarms: alarms.filter((a) => a.kind === 'MetricAlarm').map(alarmWire),
  CompositeAlarms: alarms.filter((a) => a.kind === 'CompositeAlarm').map(alarmWire),
});

/** The handlers of CloudWatch's alarm operations: wire ⇄ the alarm service. */
export function alarmHandlers(alarms: AlarmService): Record<string, OperationHandler> {
  return {
    async PutMetricAlarm(input: PutMetricAlarmRequest, { scope }) {
      await alarms.putMetricAlarm(scope, input);
      return {};
    },

    async PutCompositeAlarm(input: PutCompositeAlarmRequest, { scope }) {
      await alarms.putCompositeAlarm(scope, input);
      return {};
    },

    async DescribeAlarms(input: DescribeRequest, { scope }) {
      const { alarms: page, nextToken } = await describeAlarms(alarms, scope, input);
      const { MetricAlarms, CompositeAlarms } = split(page);
      return { MetricAlarms, CompositeAlarms, ...(nextToken && { NextToken: nextToken }) };
    },

    async DescribeAlarmsForMetric(input: ForMetricRequest, { scope }) {
      return { MetricAlarms: (await alarmsForMetric(alarms, scope, input)).map(alarmWire) };
    },

    async DescribeAlarmHistory(input: HistoryRequest, { scope }) {
      const { items, nextToken } = await alarmHistory(alarms, scope, input);
      return {
        AlarmHistoryItems: items.map((h) => ({
          AlarmName: h.alarmName,
          AlarmType: h.alarmType,
          Timestamp: seconds(h.timestamp),
          HistoryItemType: h.type,
          HistorySummary: h.summary,
          HistoryData: h.data,
        })),
        ...(nextToken && { NextToken: nextToken }),
      };
    },

    async SetAlarmState(input: { AlarmName: string; StateValue: StateValue; StateReason: string; StateReasonData?: string }, { scope }) {
      await alarms.setState(scope, input.AlarmName, input.StateValue, input.StateReason, input.StateReasonData);
      return {};
    },

    async EnableAlarmActions(input: { AlarmNames: string[] }, { scope }) {
      await alarms.setActionsEnabled(scope, input.AlarmNames, true);
      return {};
    },

    async DisableAlarmActions(input: { AlarmNames: string[] }, { scope }) {
      await alarms.setActionsEnabled(scope, input.AlarmNames, false);
      return {};
    },

    async DeleteAlarms(input: { AlarmNames: string[] }, { scope }) {
      const missing = await alarms.deleteAlarms(scope, input.AlarmNames);
      // The alarms that exist are deleted all the same; the others are named in the error.
      if (missing.length > 0) throw new DomainError(ErrorKind.NotFound, `Alarms [${missing.join(', ')}] not found`, 'alarm');
      return {};
    },

    async TagResource(input: { ResourceARN: string; Tags: Tag[] }, { scope }) {
      await alarms.tag(scope, input.ResourceARN, input.Tags);
      return {};
    },

    async UntagResource(input: { ResourceARN: string; TagKeys: string[] }, { scope }) {
      await alarms.untag(scope, input.ResourceARN, input.TagKeys);
      return {};
    },

    async ListTagsForResource(input: { ResourceARN: string }, { scope }) {
      return { Tags: await alarms.listTags(scope, input.ResourceARN) };
    },
  };
}
