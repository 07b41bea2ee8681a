import { loadServiceModel } from '../../aws-model/service-model.js';
import type { IamDomain } from '../../iam/iam-domain.js';
import type { AwsService } from '../../server/service.js';
import { iamErrorName } from './errors.js';
import { groupHandlers } from './group-handlers.js';
import { identityHandlers } from './identity-handlers.js';
import { policyHandlers } from './policy-handlers.js';
import { roleHandlers } from './role-handlers.js';

/**
 * IAM over the Query protocol (API 2010-05-08). IAM is global: clients sign for us-east-1 and the
 * records are the account's, whatever the region.
 */
export function iamService(iam: IamDomain): AwsService {
  return {
    signingName: 'iam',
    model: loadServiceModel('iam'),
    handlers: { ...roleHandlers(iam), ...policyHandlers(iam), ...identityHandlers(iam), ...groupHandlers(iam) },
    errorName: (err, operation) => iamErrorName(err, operation),
    constraintErrorName: 'ValidationError',
    genericErrorNames: { client: 'InvalidInputException', server: 'ServiceFailureException' },
  };
}
