import { errorNameLookup, type ErrorTable } from '../error-table.js';

/**
 * STS's error table. On the Query wire: AccessDenied (403), ValidationError,
 * MalformedPolicyDocument, PackedPolicyTooLarge; ExpiredToken and InvalidClientTokenId come from
 * the front door's authentication.
 */
export const STS_ERROR_TABLE: ErrorTable = {
  AccessDenied: 'AccessDenied',
  'InvalidArgument/malformed-policy': 'MalformedPolicyDocumentException',
  'LimitExceeded/packed-policy': 'PackedPolicyTooLargeException',
  InvalidArgument: 'ValidationError',
  Internal: 'InternalFailure',
  Unavailable: 'InternalFailure',
};

export const stsErrorName = errorNameLookup(STS_ERROR_TABLE, 'InvalidParameterValue');

/** STS answers AccessDenied with 403 (the model lists it nowhere, so it has no status there). */
export const STS_ERROR_STATUSES: Readonly<Record<string, number>> = { AccessDenied: 403 };
