import { describe, expect, it } from 'vitest';
import type { MetricAlarm } from '../metrics/alarms/alarm-types.js';
import { alarmNotification, regionName } from './sns-alarms.js';

const alarm: MetricAlarm = {
  kind: 'MetricAlarm',
  name: 'p99-latency',
  arn: 'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:p99-latency',
  region: 'eu-west-1',
  actionsEnabled: true,
  okActions: [],
  alarmActions: ['arn:aws:sns:eu-west-1:123456789012:ops'],
  insufficientDataActions: [],
  configUpdatedAt: Date.UTC(2026, 0, 2, 3, 4, 5, 678),
  tags: [],
  state: { value: 'ALARM', reason: 'Threshold Crossed', updatedAt: Date.UTC(2026, 0, 2, 4, 0, 0, 1), transitionedAt: Date.UTC(2026, 0, 2, 4, 0, 0, 1) },
  metric: { namespace: 'App', metricName: 'Latency', dimensions: [{ Name: 'Service', Value: 'web' }], extendedStatistic: 'p99', period: 60 },
  evaluationPeriods: 3,
  datapointsToAlarm: 2,
  threshold: 0.5,
  comparison: 'GreaterThanThreshold',
  treatMissingData: 'missing',
};

describe('alarmNotification', () => {
  it('is CloudWatch\'s notification JSON: timestamps with +0000, the region by name, the trigger', () => {
    expect(alarmNotification(alarm, '123456789012', 'ALARM', 'OK')).toEqual({
      AlarmName: 'p99-latency',
      AlarmDescription: null,
      AWSAccountId: '123456789012',
      AlarmConfigurationUpdatedTimestamp: '2026-01-02T03:04:05.678+0000',
      NewStateValue: 'ALARM',
      NewStateReason: 'Threshold Crossed',
      StateChangeTime: '2026-01-02T04:00:00.001+0000',
      Region: 'EU (Ireland)',
      AlarmArn: alarm.arn,
      OldStateValue: 'OK',
      OKActions: [],
      AlarmActions: ['arn:aws:sns:eu-west-1:123456789012:ops'],
      InsufficientDataActions: [],
      Trigger: {
        MetricName: 'Latency',
        Namespace: 'App',
        StatisticType: 'ExtendedStatistic',
        ExtendedStatistic: 'p99',
        Unit: null,
        Dimensions: [{ value: 'web', name: 'Service' }],
        Period: 60,
        EvaluationPeriods: 3,
        DatapointsToAlarm: 2,
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 0.5,
        TreatMissingData: 'missing',
        EvaluateLowSampleCountPercentile: '',
      },
    });
  });

  it('names regions as CloudWatch does, and a region it does not know by its code', () => {
    expect(regionName('us-east-1')).toBe('US East (N. Virginia)');
    expect(regionName('xx-local-1')).toBe('xx-local-1');
  });
});
