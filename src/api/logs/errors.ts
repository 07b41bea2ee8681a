import type { DomainError } from '../../lib/errors.js';

/**
 * CloudWatch Logs' error table: domain error kind (and subject) → the exception name Logs answers
 * with. The most specific entry wins; the dispatcher falls back to InvalidParameterException (or
 * ServiceUnavailableException for server faults) when the model does not list the name for the
 * operation.
 */
const LOGS_ERRORS: Readonly<Record<string, string>> = {
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
export function logsErrorName(err: DomainError): string {
  return (err.subject && LOGS_ERRORS[`${err.kind}/${err.subject}`]) ?? LOGS_ERRORS[err.kind] ?? 'InvalidParameterException';
}

/** Every entry of the table, for the test that each name is a real CloudWatch Logs exception. */
export const LOGS_ERROR_TABLE = LOGS_ERRORS;
