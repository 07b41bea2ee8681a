import type { ApplicationAutoScaling } from '../autoscaling/application-autoscaling.js';
import type { Alarms } from '../autoscaling/ports.js';
import { rootPrincipal } from '../lib/scope.js';
import type { AlarmService } from '../metrics/alarms/alarm-service.js';
import type { PutMetricAlarmRequest } from '../metrics/alarms/alarm-input.js';

/** Application Auto Scaling's Alarms port over CloudWatch alarms: target tracking keeps its pair there. */
export function alarmsForScaling(alarms: AlarmService): Alarms {
  return {
    async put(scope, spec) {
      return (await alarms.putMetricAlarm(scope, spec as PutMetricAlarmRequest)).arn;
    },
    async delete(scope, names) {
      // Names already gone are ignored, as the port asks.
      await alarms.deleteAlarms(scope, names);
    },
  };
}

/**
 * Alarm actions naming a scaling policy (arn:aws:autoscaling:<region>:<account>:scalingPolicy:…)
 * run the policy, as the account's root; returns the function that removes the handler.
 */
export function runScalingPolicies(alarms: AlarmService, autoscaling: ApplicationAutoScaling): () => void {
  return alarms.registerActionHandler('arn:aws:autoscaling:', async (actionArn, alarm, newState) => {
    const [, , , region = 'us-east-1', accountId = ''] = actionArn.split(':');
    const scope = { accountId, region, principalArn: rootPrincipal(accountId), now: new Date() };
    await autoscaling.executor.executePolicy(scope, actionArn, {
      name: alarm.name,
      arn: alarm.arn,
      newState,
      ...(alarm.kind === 'MetricAlarm' && { threshold: alarm.threshold }),
      ...(alarm.state.reasonData !== undefined && { reasonData: alarm.state.reasonData }),
    });
  });
}
