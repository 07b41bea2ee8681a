import { loadServiceModel } from '../../aws-model/service-model.js';
import type { ElbDomain } from '../../elb/elb-domain.js';
import type { AwsService } from '../../server/service.js';
import { elbv2ErrorName } from './errors.js';
import { elbv2Handlers } from './handlers.js';

/**
 * Elastic Load Balancing v2 (signing name `elasticloadbalancing`, Query protocol, API 2015-12-01)
 * over the ELB domain. Trust stores, capacity reservations, IPAM pools and resource policies are
 * not served: their operations are refused by name. A request that breaks the model's
 * constraints is a ValidationError, as ELB answers.
 */
export function elbv2Service(elb: ElbDomain): AwsService {
  return {
    signingName: 'elasticloadbalancing',
    model: loadServiceModel('elbv2'),
    handlers: elbv2Handlers(elb),
    errorName: elbv2ErrorName,
    constraintErrorName: 'ValidationError',
    genericErrorNames: { client: 'ValidationError', server: 'InternalFailure' },
  };
}
