import { DomainError, ErrorKind } from '../../lib/errors.js';

/**
 * Subjects of the Secrets Manager domain's errors; `api/secretsmanager/errors.ts` maps each to the
 * exception name Secrets Manager answers with. Messages are AWS's where they are known (see each).
 */
export const SecretsManagerSubject = {
  Secret: 'sm-secret',
  MarkedForDeletion: 'sm-marked-for-deletion',
  SecretExists: 'sm-secret-exists',
  Decryption: 'sm-decryption',
  Validation: 'sm-validation',
  NextToken: 'sm-next-token',
  MalformedPolicy: 'sm-malformed-policy',
  PublicPolicy: 'sm-public-policy',
  RotationInProgress: 'sm-rotation-in-progress',
} as const;

/** AWS's text for a secret id that names no secret (ResourceNotFoundException). */
export const SECRET_NOT_FOUND = "Secrets Manager can't find the specified secret.";

/** ResourceNotFoundException: no such secret in this account and region. */
export const secretNotFound = (): DomainError =>
  new DomainError(ErrorKind.NotFound, SECRET_NOT_FOUND, SecretsManagerSubject.Secret);

/** ResourceNotFoundException for a version or staging label the secret does not have. */
export const secretValueNotFound = (what: 'staging label' | 'VersionId', id: string): DomainError =>
  new DomainError(
    ErrorKind.NotFound,
    `Secrets Manager can't find the specified secret value for ${what}: ${id}`,
    SecretsManagerSubject.Secret,
  );

/** InvalidRequestException on a secret scheduled for deletion (the text AWS sends on GetSecretValue). */
export const markedForDeletion = (): DomainError =>
  new DomainError(
    ErrorKind.FailedPrecondition,
    "You can't perform this operation on the secret because it was marked for deletion.",
    SecretsManagerSubject.MarkedForDeletion,
  );

/** ResourceExistsException. */
export const secretExists = (message: string): DomainError =>
  new DomainError(ErrorKind.AlreadyExists, message, SecretsManagerSubject.SecretExists);

/** DecryptionFailure: a stored value failed authentication (AWS's text for a KMS decrypt failure). */
export const decryptionFailure = (): DomainError =>
  new DomainError(
    ErrorKind.FailedPrecondition,
    "Secrets Manager can't decrypt the protected secret text using the provided KMS key.",
    SecretsManagerSubject.Decryption,
  );

/** ValidationException raised by the domain (AWS uses it for malformed names, outside the model). */
export const validationError = (message: string): DomainError =>
  new DomainError(ErrorKind.InvalidArgument, message, SecretsManagerSubject.Validation);

/** InvalidNextTokenException. */
export const invalidNextToken = (): DomainError =>
  new DomainError(ErrorKind.InvalidArgument, 'The NextToken value is invalid.', SecretsManagerSubject.NextToken);

/** MalformedPolicyDocumentException, with the text AWS answers a policy of bad syntax with. */
export const malformedPolicy = (): DomainError =>
  new DomainError(ErrorKind.InvalidArgument, 'This policy has invalid syntax.', SecretsManagerSubject.MalformedPolicy);

/** PublicPolicyException (the model's description of it: AWS's text is not published). */
export const publicPolicy = (): DomainError =>
  new DomainError(
    ErrorKind.InvalidArgument,
    'The BlockPublicPolicy parameter is set to true, and the resource policy did not prevent broad access to the secret.',
    SecretsManagerSubject.PublicPolicy,
  );
