import { errorNameLookup, type ErrorTable } from '../error-table.js';

/**
 * ECS's error table: domain error kind (and subject) → the exception name ECS answers with.
 * The most specific entry wins; the dispatcher falls back to ClientException when ECS does not
 * list the name for the operation.
 */
export const ECS_ERROR_TABLE: ErrorTable = {
  'NotFound/cluster': 'ClusterNotFoundException',
  'NotFound/service': 'ServiceNotFoundException',
  'NotFound/resource': 'ResourceNotFoundException',
  'NotFound/capacity-provider': 'ClientException',
  'NotFound/attribute-target': 'TargetNotFoundException',
  NotFound: 'ClientException',
  'InvalidArgument/parameter': 'InvalidParameterException',
  'InvalidArgument/request': 'ClientException',
  InvalidArgument: 'InvalidParameterException',
  'FailedPrecondition/service-not-active': 'ServiceNotActiveException',
  'FailedPrecondition/cluster-has-services': 'ClusterContainsServicesException',
  'FailedPrecondition/cluster-has-tasks': 'ClusterContainsTasksException',
  'FailedPrecondition/cluster-has-instances': 'ClusterContainsContainerInstancesException',
  'FailedPrecondition/capacity-provider-in-use': 'ResourceInUseException',
  'InvalidArgument/unsupported-feature': 'UnsupportedFeatureException',
  FailedPrecondition: 'ClientException',
  AlreadyExists: 'ClientException',
  Conflict: 'ConflictException',
  'LimitExceeded/attributes': 'AttributeLimitExceededException',
  LimitExceeded: 'LimitExceededException',
  AccessDenied: 'AccessDeniedException',
  Unavailable: 'ServerException',
  Internal: 'ServerException',
};

/** The ECS exception name for a domain error. */
export const ecsErrorName = errorNameLookup(ECS_ERROR_TABLE, 'ClientException');
