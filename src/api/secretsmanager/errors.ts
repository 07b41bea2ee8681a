import { SecretsManagerSubject } from '../../secrets/secrets-manager/errors.js';
import { errorNameLookup, type ErrorTable } from '../error-table.js';

/**
 * Secrets Manager's error table: domain error kind and subject → the exception name Secrets Manager
 * answers with. The most specific entry wins; ECS quotes the same names in a stopped reason, so the
 * composition root hands this lookup to the secret resolver too.
 */
export const SECRETS_MANAGER_ERROR_TABLE: ErrorTable = {
  [`NotFound/${SecretsManagerSubject.Secret}`]: 'ResourceNotFoundException',
  NotFound: 'ResourceNotFoundException',
  [`FailedPrecondition/${SecretsManagerSubject.MarkedForDeletion}`]: 'InvalidRequestException',
  [`FailedPrecondition/${SecretsManagerSubject.Decryption}`]: 'DecryptionFailure',
  [`FailedPrecondition/${SecretsManagerSubject.RotationInProgress}`]: 'InvalidRequestException',
  FailedPrecondition: 'InvalidRequestException',
  [`AlreadyExists/${SecretsManagerSubject.SecretExists}`]: 'ResourceExistsException',
  AlreadyExists: 'ResourceExistsException',
  [`InvalidArgument/${SecretsManagerSubject.Validation}`]: 'ValidationException',
  [`InvalidArgument/${SecretsManagerSubject.NextToken}`]: 'InvalidNextTokenException',
  [`InvalidArgument/${SecretsManagerSubject.MalformedPolicy}`]: 'MalformedPolicyDocumentException',
  [`InvalidArgument/${SecretsManagerSubject.PublicPolicy}`]: 'PublicPolicyException',
  'InvalidArgument/parameter': 'InvalidParameterException',
  'InvalidArgument/request': 'InvalidRequestException',
  InvalidArgument: 'InvalidParameterException',
  Conflict: 'InvalidRequestException',
  LimitExceeded: 'LimitExceededException',
  AccessDenied: 'AccessDeniedException',
  Unavailable: 'InternalServiceError',
  Internal: 'InternalServiceError',
};

/** The exception name Secrets Manager answers a domain error with. */
export const secretsManagerErrorName = errorNameLookup(SECRETS_MANAGER_ERROR_TABLE, 'InvalidRequestException');
