import type { LogService } from '../../logstore/log-service.js';
import type { AwsService } from '../../server/service.js';
import { loadServiceModel } from '../../aws-model/service-model.js';
import { logsErrorName } from './errors.js';
import { logEventHandlers } from './log-events.js';
import { logGroupHandlers } from './log-groups.js';
import { logStreamHandlers } from './log-streams.js';
import { metricFilterHandlers } from './metric-filters.js';
import { taggingHandlers } from './tagging.js';

/**
 * The CloudWatch Logs API (JSON 1.1, target prefix Logs_20140328, signing name `logs`) over the
 * log service. A request that breaks the model's constraints is an InvalidParameterException
 * with the "1 validation error detected: …" message, which is what CloudWatch Logs answers.
 */
export function logsService(logs: LogService): AwsService {
  return {
    signingName: 'logs',
    model: loadServiceModel('logs'),
    handlers: {
      ...logGroupHandlers(logs),
      ...logStreamHandlers(logs),
      ...logEventHandlers(logs),
      ...metricFilterHandlers(logs),
      ...taggingHandlers(logs),
    },
    errorName: logsErrorName,
    constraintErrorName: 'InvalidParameterException',
    // A legal PutLogEvents batch is 1 MiB of events, which JSON escaping can inflate several times.
    bodyLimit: 8 * 1024 * 1024,
    genericErrorNames: { client: 'InvalidParameterException', server: 'ServiceUnavailableException' },
  };
}
