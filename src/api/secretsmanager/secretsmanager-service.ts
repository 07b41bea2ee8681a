import type { SecretsDomain } from '../../secrets/secrets-domain.js';
import type { AwsService } from '../../server/service.js';
import { loadServiceModel } from '../../aws-model/service-model.js';
import { withCommonErrors } from './common-errors.js';
import { secretsManagerErrorName } from './errors.js';
import { listingHandlers } from './listing-handlers.js';
import { policyHandlers } from './policy-handlers.js';
import { rotationHandlers } from './rotation-handlers.js';
import { secretHandlers } from './secret-handlers.js';

/**
 * The Secrets Manager API (JSON 1.1, target prefix `secretsmanager`). Input that breaks the model is
 * a ValidationException (AWS's Coral front end sends it, e.g. "1 validation error detected: Value null
 * at 'secretId' failed to satisfy constraint: Member must not be null"); domain rules answer with the
 * modelled exceptions (InvalidParameterException, InvalidRequestException, ...).
 */
export function secretsManagerService(domain: SecretsDomain): AwsService {
  return {
    signingName: 'secretsmanager',
    model: withCommonErrors(loadServiceModel('secretsmanager'), ['ValidationException']),
    handlers: { ...secretHandlers(domain), ...listingHandlers(domain), ...policyHandlers(domain), ...rotationHandlers(domain) },
    errorName: secretsManagerErrorName,
    constraintErrorName: 'ValidationException',
    genericErrorNames: { client: 'InvalidRequestException', server: 'InternalServiceError' },
  };
}
