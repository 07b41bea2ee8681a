import { errorNameLookup, type ErrorTable } from '../error-table.js';

/**
 * Application Auto Scaling's error table: domain error kind (and subject) → the exception it
 * answers with. Targets, policies and scheduled actions that are not there are
 * ObjectNotFoundException; a tagged resource that is not there is ResourceNotFoundException; the
 * alarms' side failing is FailedResourceAccessException.
 */
export const APPLICATION_AUTOSCALING_ERROR_TABLE: ErrorTable = {
  'NotFound/tag-resource': 'ResourceNotFoundException',
  NotFound: 'ObjectNotFoundException',
  'InvalidArgument/next-token': 'InvalidNextTokenException',
  InvalidArgument: 'ValidationException',
  'LimitExceeded/tags': 'TooManyTagsException',
  'RegisterScalableTarget:LimitExceeded/tags': 'ValidationException',
  LimitExceeded: 'LimitExceededException',
  Conflict: 'ConcurrentUpdateException',
  'Unavailable/alarms': 'FailedResourceAccessException',
  Unavailable: 'InternalServiceException',
  Internal: 'InternalServiceException',
};

/** The Application Auto Scaling exception name for a domain error. */
export const applicationAutoScalingErrorName = errorNameLookup(APPLICATION_AUTOSCALING_ERROR_TABLE, 'ValidationException');
