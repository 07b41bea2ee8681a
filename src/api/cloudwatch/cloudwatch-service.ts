import type { MetricService } from '../../metrics/metric-service.js';
import type { AwsService } from '../../server/service.js';
import { loadServiceModel } from '../../aws-model/service-model.js';
import { cloudWatchErrorName } from './errors.js';
import { metricHandlers } from './metric-handlers.js';
import { alarmHandlers } from './alarm-handlers.js';
import type { AlarmService } from '../../metrics/alarms/alarm-service.js';

/**
 * The CloudWatch metrics API (signing name `monitoring`) over the metric service, on all three of
 * the model's protocols: Smithy RPC v2 CBOR (current AWS SDKs for JavaScript), AWS JSON 1.0 with
 * target prefix GraniteServiceVersion20100801 (botocore: boto3 and the AWS CLI) and Query
 * (Action=…&Version=2010-08-01; the AWS SDK for Go, so Terraform). Metric and composite alarms
 * are served when an alarm service is given; dashboards, metric streams, insight rules and anomaly
 * detectors are not: their operations are refused by name. A request that breaks the model's constraints is an InvalidParameterValue, as CloudWatch
 * answers ("The collection MetricData.member.1.Values must not have a size greater than 150.").
 */
export function cloudWatchService(metrics: MetricService, alarms?: AlarmService): AwsService {
  return {
    signingName: 'monitoring',
    model: loadServiceModel('cloudwatch'),
    handlers: { ...metricHandlers(metrics), ...(alarms && alarmHandlers(alarms)) },
    errorName: cloudWatchErrorName,
    constraintErrorName: 'InvalidParameterValueException',
    genericErrorNames: { client: 'ValidationError', server: 'InternalServiceFault' },
  };
}
