import type { SecretsDomain } from '../../secrets/secrets-domain.js';
import type { AwsService } from '../../server/service.js';
import { loadServiceModel } from '../../aws-model/service-model.js';
import { withCommonErrors } from '../secretsmanager/common-errors.js';
import { ssmErrorName } from './errors.js';
import { labelTagHandlers } from './label-tag-handlers.js';
import { parameterHandlers } from './parameter-handlers.js';

/**
 * The SSM API's Parameter Store operations (JSON 1.1, target prefix `AmazonSSM`, signing name `ssm`).
 * Input that breaks the model is a ValidationException, SSM's exception for every malformed request.
 */
export function ssmService(domain: SecretsDomain): AwsService {
  return {
    signingName: 'ssm',
    model: withCommonErrors(loadServiceModel('ssm'), ['ValidationException', 'AccessDeniedException']),
    handlers: { ...parameterHandlers(domain), ...labelTagHandlers(domain) },
    errorName: ssmErrorName,
    constraintErrorName: 'ValidationException',
    genericErrorNames: { client: 'ValidationException', server: 'InternalServerError' },
  };
}
