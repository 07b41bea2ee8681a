import type { Scope } from '../../../lib/scope.js';
import { ACCESS_DENIED, each, regional, type AuthorizationTable, type Input, type Resources } from '../table.js';

/*
 * CloudWatch (prefix `cloudwatch`). The alarm operations act on `alarm:<name>`: PutMetricAlarm,
 * PutCompositeAlarm, SetAlarmState, DescribeAlarmHistory (when it names one); EnableAlarmActions,
 * DisableAlarmActions, DeleteAlarms and DescribeAlarms on each alarm named (DescribeAlarms without
 * names on `alarm:*`). The tagging operations on the ARN they name. On `*`: the metric operations
 * (PutMetricData, GetMetricStatistics, GetMetricData, ListMetrics) and DescribeAlarmsForMetric.
 * Refusals are AccessDenied (403) on every protocol CloudWatch speaks.
 */
const alarmArn = (scope: Scope, name: string) => regional('cloudwatch', scope, `alarm:${name}`);
const alarm: Resources = (input: Input, scope) => [input.AlarmName === undefined ? undefined : alarmArn(scope, input.AlarmName)];
const alarms: Resources = (input: Input, scope) => each(input.AlarmNames, (name) => alarmArn(scope, name));
const tagged: Resources = (input: Input) => [input.ResourceARN];

export const CLOUDWATCH_AUTHORIZATION: AuthorizationTable = {
  prefix: 'cloudwatch',
  denial: ACCESS_DENIED,
  resources: {
    PutMetricAlarm: alarm,
    PutCompositeAlarm: alarm,
    SetAlarmState: alarm,
    DescribeAlarmHistory: alarm,
    EnableAlarmActions: alarms,
    DisableAlarmActions: alarms,
    DeleteAlarms: alarms,
    DescribeAlarms: (input: Input, scope, operation) => (input.AlarmNames?.length ? alarms(input, scope, operation) : [alarmArn(scope, '*')]),
    TagResource: tagged,
    UntagResource: tagged,
    ListTagsForResource: tagged,
  },
};
