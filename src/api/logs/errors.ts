import { errorNameLookup, type ErrorTable } from '../error-table.js';

/**
 * CloudWatch Logs' error table: domain error kind (and subject) → the exception name Logs answers
 * with. The most specific entry wins; the dispatcher falls back to InvalidParameterException (or
 * ServiceUnavailableException for server faults) when the model does not list the name for the
 * operation.
 */
export const LOGS_ERROR_TABLE: ErrorTable = {
  NotFound: 'ResourceNotFoundException',
  AlreadyExists: 'ResourceAlreadyExistsException',
  InvalidArgument: 'InvalidParameterException',
  'LimitExceeded/tags': 'TooManyTagsException',
  LimitExceeded: 'LimitExceededException',
  // DeleteLogGroup lists ValidationException since log groups gained deletion protection.
  'FailedPrecondition/log-group-protected': 'ValidationException',
  FailedPrecondition: 'InvalidOperationException',
  Conflict: 'OperationAbortedException',
  AccessDenied: 'AccessDeniedException',
  Unavailable: 'ServiceUnavailableException',
  Internal: 'ServiceUnavailableException',
};

/** The CloudWatch Logs exception name for a domain error. */
export const logsErrorName = errorNameLookup(LOGS_ERROR_TABLE, 'InvalidParameterException');
