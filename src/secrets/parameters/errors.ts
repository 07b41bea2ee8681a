import { DomainError, ErrorKind } from '../../lib/errors.js';

/**
 * Subjects of Parameter Store's errors; `api/ssm/errors.ts` maps each to SSM's exception name.
 * Messages are AWS's where they are known.
 */
export const ParameterSubject = {
  Parameter: 'ssm-parameter',
  ParameterVersion: 'ssm-parameter-version',
  ParameterExists: 'ssm-parameter-exists',
  Validation: 'ssm-validation',
  HierarchyLevel: 'ssm-hierarchy-level',
  PatternMismatch: 'ssm-pattern-mismatch',
  AllowedPattern: 'ssm-allowed-pattern',
  FilterKey: 'ssm-filter-key',
  FilterOption: 'ssm-filter-option',
  FilterValue: 'ssm-filter-value',
  NextToken: 'ssm-next-token',
  ResourceId: 'ssm-resource-id',
  VersionLabels: 'ssm-version-labels',
  MaxVersions: 'ssm-max-versions',
  Tags: 'ssm-tags',
  Reserved: 'ssm-reserved',
  Decryption: 'ssm-decryption',
} as const;

type Subject = (typeof ParameterSubject)[keyof typeof ParameterSubject];

const error = (kind: (typeof ErrorKind)[keyof typeof ErrorKind], subject: Subject) => (message: string) =>
  new DomainError(kind, message, subject);

/** ValidationException. */
export const validation = error(ErrorKind.InvalidArgument, ParameterSubject.Validation);
/** ParameterNotFound, with AWS's text "Parameter <name> not found.". */
export const parameterNotFound = (name: string): DomainError =>
  new DomainError(ErrorKind.NotFound, `Parameter ${name} not found.`, ParameterSubject.Parameter);
/** ParameterVersionNotFound. */
export const versionNotFound = (name: string, version: number): DomainError =>
  new DomainError(
    ErrorKind.NotFound,
    `Systems Manager could not find version ${version} of ${name}. Verify the version and try again.`,
    ParameterSubject.ParameterVersion,
  );
/** ParameterAlreadyExists, AWS's text. */
export const parameterExists = (): DomainError =>
  new DomainError(
    ErrorKind.AlreadyExists,
    'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.',
    ParameterSubject.ParameterExists,
  );
/** HierarchyLevelLimitExceededException. */
export const hierarchyTooDeep = error(ErrorKind.InvalidArgument, ParameterSubject.HierarchyLevel);
/** ParameterPatternMismatchException. */
export const patternMismatch = error(ErrorKind.InvalidArgument, ParameterSubject.PatternMismatch);
/** InvalidAllowedPatternException. */
export const invalidAllowedPattern = error(ErrorKind.InvalidArgument, ParameterSubject.AllowedPattern);
/** InvalidFilterKey. */
export const invalidFilterKey = error(ErrorKind.InvalidArgument, ParameterSubject.FilterKey);
/** InvalidFilterOption. */
export const invalidFilterOption = error(ErrorKind.InvalidArgument, ParameterSubject.FilterOption);
/** InvalidFilterValue. */
export const invalidFilterValue = error(ErrorKind.InvalidArgument, ParameterSubject.FilterValue);
/** InvalidNextToken. */
export const invalidNextToken = (): DomainError =>
  new DomainError(ErrorKind.InvalidArgument, 'The specified token isn\'t valid.', ParameterSubject.NextToken);
/** InvalidResourceId. */
export const invalidResourceId = (): DomainError =>
  new DomainError(ErrorKind.NotFound, 'Invalid Resource Id', ParameterSubject.ResourceId);
/** ParameterVersionLabelLimitExceeded. */
export const tooManyLabels = error(ErrorKind.LimitExceeded, ParameterSubject.VersionLabels);
/** ParameterMaxVersionLimitExceeded. */
export const tooManyVersions = error(ErrorKind.LimitExceeded, ParameterSubject.MaxVersions);
/** TooManyTagsError. */
export const tooManyTags = error(ErrorKind.LimitExceeded, ParameterSubject.Tags);
/** AccessDeniedException for the reserved `/aws` namespace. */
export const reservedName = (name: string): DomainError =>
  new DomainError(ErrorKind.AccessDenied, `No access to reserved parameter name: ${name}.`, ParameterSubject.Reserved);
/** InvalidKeyId: a stored SecureString value failed authentication (the KMS decrypt failure's place). */
export const decryptionFailure = (): DomainError =>
  new DomainError(
    ErrorKind.FailedPrecondition,
    'The SecureString value could not be decrypted: it failed authentication.',
    ParameterSubject.Decryption,
  );
