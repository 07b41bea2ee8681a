import { errorNameLookup, type ErrorTable } from '../error-table.js';

/**
 * IAM's error table. On the Query wire these go by their codes (NoSuchEntity, EntityAlreadyExists,
 * MalformedPolicyDocument, DeleteConflict, LimitExceeded, InvalidInput, UnmodifiableEntity,
 * ServiceFailure); a request that breaks the model's constraints is IAM's ValidationError.
 */
export const IAM_ERROR_TABLE: ErrorTable = {
  NotFound: 'NoSuchEntityException',
  AlreadyExists: 'EntityAlreadyExistsException',
  'InvalidArgument/malformed-policy': 'MalformedPolicyDocumentException',
  InvalidArgument: 'InvalidInputException',
  'FailedPrecondition/delete-conflict': 'DeleteConflictException',
  'FailedPrecondition/unmodifiable': 'UnmodifiableEntityException',
  LimitExceeded: 'LimitExceededException',
  Unavailable: 'ServiceFailureException',
  Internal: 'ServiceFailureException',
};

export const iamErrorName = errorNameLookup(IAM_ERROR_TABLE, 'InvalidInputException');
