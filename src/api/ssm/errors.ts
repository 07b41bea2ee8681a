import { errorNameLookup, type ErrorTable } from '../error-table.js';
import { ParameterSubject } from '../../secrets/parameters/errors.js';

/**
 * SSM's error table: domain error kind and subject → the exception name Parameter Store answers with.
 * The most specific entry wins; SSM's catch-all for a caller's fault is ValidationException.
 */
export const SSM_ERROR_TABLE: ErrorTable = {
  [`NotFound/${ParameterSubject.Parameter}`]: 'ParameterNotFound',
  [`NotFound/${ParameterSubject.ParameterVersion}`]: 'ParameterVersionNotFound',
  [`NotFound/${ParameterSubject.ResourceId}`]: 'InvalidResourceId',
  NotFound: 'ParameterNotFound',
  [`AlreadyExists/${ParameterSubject.ParameterExists}`]: 'ParameterAlreadyExists',
  AlreadyExists: 'ParameterAlreadyExists',
  [`InvalidArgument/${ParameterSubject.HierarchyLevel}`]: 'HierarchyLevelLimitExceededException',
  [`InvalidArgument/${ParameterSubject.PatternMismatch}`]: 'ParameterPatternMismatchException',
  [`InvalidArgument/${ParameterSubject.AllowedPattern}`]: 'InvalidAllowedPatternException',
  [`InvalidArgument/${ParameterSubject.FilterKey}`]: 'InvalidFilterKey',
  [`InvalidArgument/${ParameterSubject.FilterOption}`]: 'InvalidFilterOption',
  [`InvalidArgument/${ParameterSubject.FilterValue}`]: 'InvalidFilterValue',
  [`InvalidArgument/${ParameterSubject.NextToken}`]: 'InvalidNextToken',
  [`InvalidArgument/${ParameterSubject.Validation}`]: 'ValidationException',
  InvalidArgument: 'ValidationException',
  [`LimitExceeded/${ParameterSubject.VersionLabels}`]: 'ParameterVersionLabelLimitExceeded',
  [`LimitExceeded/${ParameterSubject.MaxVersions}`]: 'ParameterMaxVersionLimitExceeded',
  [`LimitExceeded/${ParameterSubject.Tags}`]: 'TooManyTagsError',
  LimitExceeded: 'ParameterLimitExceeded',
  [`FailedPrecondition/${ParameterSubject.Decryption}`]: 'InvalidKeyId',
  FailedPrecondition: 'ValidationException',
  Conflict: 'TooManyUpdates',
  [`AccessDenied/${ParameterSubject.Reserved}`]: 'AccessDeniedException',
  AccessDenied: 'AccessDeniedException',
  Unavailable: 'InternalServerError',
  Internal: 'InternalServerError',
};

/** The SSM exception name for a domain error. */
export const ssmErrorName = errorNameLookup(SSM_ERROR_TABLE, 'ValidationException');
