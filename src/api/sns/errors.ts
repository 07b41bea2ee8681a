import { errorNameLookup, type ErrorTable } from '../error-table.js';

/**
 * SNS's error table. On the Query wire these go by their codes: NotFound, InvalidParameter,
 * AuthorizationError, ResourceNotFound, TagLimitExceeded, InternalError.
 */
export const SNS_ERROR_TABLE: ErrorTable = {
  'NotFound/resource': 'ResourceNotFoundException',
  NotFound: 'NotFoundException',
  AccessDenied: 'AuthorizationErrorException',
  'LimitExceeded/tags': 'TagLimitExceededException',
  InvalidArgument: 'InvalidParameterException',
  Unavailable: 'InternalErrorException',
  Internal: 'InternalErrorException',
};

export const snsErrorName = errorNameLookup(SNS_ERROR_TABLE, 'InvalidParameterException');
