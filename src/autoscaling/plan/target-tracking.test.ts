import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scaleInCapacity, scaleInThreshold, scaleOutCapacity } from './target-tracking.js';
import { trackingAlarms, predefinedMetric, isHighAlarm } from './tracking-alarms.js';

const capacity = fc.integer({ min: 1, max: 1000 });
const target = fc.double({ min: 1, max: 100, noNaN: true });

describe('target tracking arithmetic', () => {
  it('scales out to ceil(current × metric / target), at least one task more', () => {
    fc.assert(
      fc.property(capacity, target, fc.double({ min: 1.0001, max: 10, noNaN: true }), (current, t, ratio) => {
        const metric = t * ratio;
        const out = scaleOutCapacity(current, metric, t);
        expect(out).toBe(Math.max(current + 1, Math.ceil((current * metric) / t)));
        // Enough capacity: the load spread over `out` tasks is at or below the target.
        expect((current * metric) / out).toBeLessThanOrEqual(t * (1 + 1e-9));
      }),
    );
  });

  it('starts a service at zero with one task', () => {
    expect(scaleOutCapacity(0, 90, 50)).toBe(1);
  });

  it('scales in conservatively: never below the proportional count, never more than a tenth at once', () => {
    fc.assert(
      fc.property(capacity, target, fc.double({ min: 0, max: 0.9, noNaN: true }), (current, t, ratio) => {
        const inCap = scaleInCapacity(current, t * ratio, t);
        expect(inCap).toBeLessThanOrEqual(current);
        expect(inCap).toBeGreaterThanOrEqual(Math.ceil((current * t * ratio) / t));
        expect(current - inCap).toBeLessThanOrEqual(Math.max(1, Math.floor(current / 10)));
      }),
    );
    expect(scaleInCapacity(10, 10, 50)).toBe(9);
    expect(scaleInCapacity(100, 10, 50)).toBe(90);
    expect(scaleInCapacity(4, 44, 50)).toBe(4);
  });

  it('sets the scale-in threshold at 90 % of the target', () => {
    expect(scaleInThreshold(50)).toBe(45);
    expect(scaleInThreshold(75)).toBe(67.5);
    expect(scaleInThreshold(1000)).toBe(900);
  });
});

describe('the alarm pair', () => {
  const metric = predefinedMetric('ECSServiceAverageCPUUtilization', 'prod', 'web');
  if (typeof metric === 'string') throw new Error(metric);

  it('is named, counted and thresholded as AWS makes it', () => {
    const [high, low] = trackingAlarms({ resourceId: 'service/prod/web', policyArn: 'arn:p', targetValue: 60, disableScaleIn: false, metric, uuid: 'u-1' });
    expect(high).toMatchObject({
      AlarmName: 'TargetTracking-service/prod/web-AlarmHigh-u-1',
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 3,
      DatapointsToAlarm: 3,
      Period: 60,
      Threshold: 60,
      Namespace: 'AWS/ECS',
      MetricName: 'CPUUtilization',
      Statistic: 'Average',
      AlarmActions: ['arn:p'],
      Dimensions: [
        { Name: 'ClusterName', Value: 'prod' },
        { Name: 'ServiceName', Value: 'web' },
      ],
    });
    expect(low).toMatchObject({ AlarmName: 'TargetTracking-service/prod/web-AlarmLow-u-1', ComparisonOperator: 'LessThanThreshold', EvaluationPeriods: 15, DatapointsToAlarm: 15, Threshold: 54 });
    expect(isHighAlarm(high!.AlarmName)).toBe(true);
    expect(isHighAlarm(low!.AlarmName)).toBe(false);
  });

  it('has no low alarm when scale-in is disabled', () => {
    expect(trackingAlarms({ resourceId: 'service/a/b', policyArn: 'p', targetValue: 5, disableScaleIn: true, metric, uuid: 'x' })).toHaveLength(1);
  });

  it('reads the target group of an ALB resource label, and refuses a label that is not one', () => {
    expect(predefinedMetric('ALBRequestCountPerTarget', 'c', 's', 'app/lb/50dc6c495c0c9188/targetgroup/tg/943f017f100becff')).toMatchObject({
      Namespace: 'AWS/ApplicationELB',
      MetricName: 'RequestCountPerTarget',
      Statistic: 'Sum',
      Dimensions: [{ Name: 'TargetGroup', Value: 'targetgroup/tg/943f017f100becff' }],
    });
    expect(typeof predefinedMetric('ALBRequestCountPerTarget', 'c', 's')).toBe('string');
    expect(typeof predefinedMetric('DynamoDBReadCapacityUtilization', 'c', 's')).toBe('string');
  });
});
