import { errorNameLookup, type ErrorTable } from '../error-table.js';

/**
 * CloudWatch's error table: domain error kind (and subject) → the exception shape CloudWatch
 * answers with. On the Query protocol (and in the `x-amzn-query-error` header of the JSON and CBOR
 * protocols) these go by their Query codes: InvalidParameterValue, InvalidParameterCombination,
 * MissingParameter, LimitExceeded, InvalidNextToken, InternalServiceError, ResourceNotFound, InvalidFormat. A name the model does not
 * list for the operation falls back to `ValidationError`, the code CloudWatch gives GetMetricData's
 * invalid queries.
 */
export const CLOUDWATCH_ERROR_TABLE: ErrorTable = {
  'InvalidArgument/combination': 'InvalidParameterCombinationException',
  'InvalidArgument/missing': 'MissingRequiredParameterException',
  'InvalidArgument/next-token': 'InvalidNextToken',
  // ListMetrics is modelled without InvalidNextToken.
  'ListMetrics:InvalidArgument/next-token': 'InvalidParameterValueException',
  'InvalidArgument/format': 'InvalidFormatFault',
  InvalidArgument: 'InvalidParameterValueException',
  // Alarms named by SetAlarmState or DeleteAlarms; resources named by ARN (the tagging operations).
  'NotFound/alarm': 'ResourceNotFound',
  'NotFound/resource': 'ResourceNotFoundException',
  LimitExceeded: 'LimitExceededFault',
  Unavailable: 'InternalServiceFault',
  Internal: 'InternalServiceFault',
};

/** The CloudWatch exception name for a domain error. */
export const cloudWatchErrorName = errorNameLookup(CLOUDWATCH_ERROR_TABLE, 'InvalidParameterValueException');
