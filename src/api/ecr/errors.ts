import type { DomainError } from '../../lib/errors.js';

/**
 * ECR's error table: domain error kind (and subject) → the exception name ECR answers with. The
 * most specific entry wins: `<operation>:<kind>/<subject>`, then `<kind>/<subject>`, then `<kind>`.
 * The dispatcher falls back to InvalidParameterException (or ServerException) when the model does
 * not list the name for the operation.
 */
const ECR_ERRORS: Readonly<Record<string, string>> = {
  'NotFound/repository': 'RepositoryNotFoundException',
  'AlreadyExists/repository-exists': 'RepositoryAlreadyExistsException',
  'FailedPrecondition/repository-not-empty': 'RepositoryNotEmptyException',
  'InvalidArgument/repository-name': 'InvalidParameterException',
  'NotFound/manifest': 'ImageNotFoundException',
  'InvalidArgument/manifest-invalid': 'InvalidParameterException',
  'LimitExceeded/manifest-too-large': 'InvalidParameterException',
  'FailedPrecondition/manifest-blob': 'LayersNotFoundException',
  'FailedPrecondition/referenced-manifest': 'ReferencedImagesNotFoundException',
  'AlreadyExists/image-exists': 'ImageAlreadyExistsException',
  'AlreadyExists/tag-immutable': 'ImageTagAlreadyExistsException',
  'PutImage:InvalidArgument/digest-mismatch': 'ImageDigestDoesNotMatchException',
  'CompleteLayerUpload:InvalidArgument/digest-mismatch': 'InvalidLayerException',
  'CompleteLayerUpload:InvalidArgument/digest': 'InvalidLayerException',
  'InvalidArgument/digest-mismatch': 'InvalidParameterException',
  'InvalidArgument/digest': 'InvalidParameterException',
  'NotFound/blob': 'LayersNotFoundException',
  'NotFound/upload': 'UploadNotFoundException',
  'FailedPrecondition/upload-range': 'InvalidLayerPartException',
  'InvalidArgument/size': 'InvalidLayerPartException',
  'InvalidArgument/upload-empty': 'EmptyUploadException',
  'AlreadyExists/layer-exists': 'LayerAlreadyExistsException',
  'InvalidArgument/tag': 'InvalidParameterException',
  'NotFound/policy': 'RepositoryPolicyNotFoundException',
  'NotFound/lifecycle-policy': 'LifecyclePolicyNotFoundException',
  'InvalidArgument/lifecycle-policy-invalid': 'InvalidParameterException',
  'NotFound/lifecycle-preview': 'LifecyclePolicyPreviewNotFoundException',
  'InvalidArgument/resource-tags': 'InvalidTagParameterException',
  'LimitExceeded/too-many-tags': 'TooManyTagsException',
  'NotFound/pull-through-rule': 'PullThroughCacheRuleNotFoundException',
  'AlreadyExists/pull-through-rule-exists': 'PullThroughCacheRuleAlreadyExistsException',
  'InvalidArgument/upstream': 'UnsupportedUpstreamRegistryException',
  InvalidArgument: 'InvalidParameterException',
  NotFound: 'InvalidParameterException',
  AlreadyExists: 'InvalidParameterException',
  FailedPrecondition: 'InvalidParameterException',
  Conflict: 'InvalidParameterException',
  LimitExceeded: 'LimitExceededException',
  AccessDenied: 'InvalidParameterException',
  Unavailable: 'ServerException',
  Internal: 'ServerException',
};

/** The ECR exception name for a domain error raised by `operation`. */
export function ecrErrorName(err: DomainError, operation: string): string {
  const specific = err.subject ? `${err.kind}/${err.subject}` : undefined;
  return (
    (specific && (ECR_ERRORS[`${operation}:${specific}`] ?? ECR_ERRORS[specific])) ?? ECR_ERRORS[err.kind] ?? 'InvalidParameterException'
  );
}

/** Every entry of the table, for the test that each name is a real ECR exception. */
export const ECR_ERROR_TABLE = ECR_ERRORS;
