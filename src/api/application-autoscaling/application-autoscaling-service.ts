import type { ApplicationAutoScaling } from '../../autoscaling/application-autoscaling.js';
import { loadServiceModel } from '../../aws-model/service-model.js';
import type { AwsService } from '../../server/service.js';
import { applicationAutoScalingErrorName } from './errors.js';
import { applicationAutoScalingHandlers } from './handlers.js';

/**
 * Application Auto Scaling (signing name `application-autoscaling`, JSON 1.1, target prefix
 * AnyScaleFrontendService) for ECS services' desired counts. Other namespaces and predictive
 * scaling are refused with a ValidationException, not stored.
 */
export function applicationAutoScalingService(aas: ApplicationAutoScaling): AwsService {
  return {
    signingName: 'application-autoscaling',
    model: loadServiceModel('application-autoscaling'),
    handlers: applicationAutoScalingHandlers(aas),
    errorName: applicationAutoScalingErrorName,
    constraintErrorName: 'ValidationException',
    genericErrorNames: { client: 'ValidationException', server: 'InternalServiceException' },
  };
}
