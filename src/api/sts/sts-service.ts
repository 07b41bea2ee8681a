import type { AwsService } from '../../server/service.js';
import { loadServiceModel } from '../../aws-model/service-model.js';

/** STS over the Query protocol: enough for `aws sts get-caller-identity` to name the account. */
export function stsService(): AwsService {
  return {
    signingName: 'sts',
    model: loadServiceModel('sts'),
    handlers: {
      async GetCallerIdentity(_input: unknown, { scope }) {
        return { UserId: scope.accountId, Account: scope.accountId, Arn: scope.principalArn };
      },
    },
    errorName: () => 'InvalidParameterValue',
    constraintErrorName: 'ValidationError',
    genericErrorNames: { client: 'InvalidParameterValue', server: 'InternalFailure' },
  };
}
