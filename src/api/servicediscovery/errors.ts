import { DiscoverySubject } from '../../discovery/errors.js';
import { errorNameLookup, type ErrorTable } from '../error-table.js';

/** Cloud Map's error table: domain error kind and subject → the exception Cloud Map answers with. */
export const SERVICE_DISCOVERY_ERROR_TABLE: ErrorTable = {
  [`NotFound/${DiscoverySubject.Namespace}`]: 'NamespaceNotFound',
  [`NotFound/${DiscoverySubject.Service}`]: 'ServiceNotFound',
  [`NotFound/${DiscoverySubject.Instance}`]: 'InstanceNotFound',
  [`NotFound/${DiscoverySubject.Operation}`]: 'OperationNotFound',
  [`NotFound/${DiscoverySubject.Resource}`]: 'ResourceNotFoundException',
  [`AlreadyExists/${DiscoverySubject.NamespaceExists}`]: 'NamespaceAlreadyExists',
  [`AlreadyExists/${DiscoverySubject.ServiceExists}`]: 'ServiceAlreadyExists',
  [`FailedPrecondition/${DiscoverySubject.InUse}`]: 'ResourceInUse',
  [`FailedPrecondition/${DiscoverySubject.CustomHealth}`]: 'CustomHealthNotFound',
  [`Conflict/${DiscoverySubject.DuplicateRequest}`]: 'DuplicateRequest',
  [`LimitExceeded/${DiscoverySubject.TooManyTags}`]: 'TooManyTagsException',
  LimitExceeded: 'ResourceLimitExceeded',
  InvalidArgument: 'InvalidInput',
  Unavailable: 'InternalFailure',
  Internal: 'InternalFailure',
};

/** The exception name Cloud Map answers a domain error with. */
export const serviceDiscoveryErrorName = errorNameLookup(SERVICE_DISCOVERY_ERROR_TABLE, 'InvalidInput');
