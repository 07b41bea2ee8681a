import type { Discovery } from '../../discovery/discovery.js';
import type { AwsService } from '../../server/service.js';
import { loadServiceModel } from '../../aws-model/service-model.js';
import { serviceDiscoveryErrorName } from './errors.js';
import { namespaceHandlers } from './namespace-handlers.js';
import { serviceHandlers } from './service-handlers.js';

/**
 * AWS Cloud Map (JSON 1.1, target prefix Route53AutoNaming_v20170314, signing name
 * servicediscovery). Input that breaks the model is InvalidInput, as Cloud Map answers. AWS serves
 * DiscoverInstances and DiscoverInstancesRevision on the `data-` host prefix; the front door does
 * not look at the host, so one endpoint serves both once the client's prefix injection is off
 * (AWS CLI: AWS_DISABLE_HOST_PREFIX_INJECTION=true; SDK v3: disableHostPrefix: true), or when a
 * `data-<host>` name points at the same endpoint.
 */
export function serviceDiscoveryService(discovery: Discovery): AwsService {
  return {
    signingName: 'servicediscovery',
    model: loadServiceModel('servicediscovery'),
    handlers: { ...namespaceHandlers(discovery), ...serviceHandlers(discovery) },
    errorName: serviceDiscoveryErrorName,
    constraintErrorName: 'InvalidInput',
    genericErrorNames: { client: 'InvalidInput', server: 'InternalFailure' },
  };
}
