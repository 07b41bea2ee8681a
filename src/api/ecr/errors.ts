import { errorNameLookup, type ErrorTable } from '../error-table.js';

/**
 * ECR's error table: domain error kind (and subject) → the exception name ECR answers with. The
 * most specific entry wins: `<operation>:<kind>/<subject>`, then `<kind>/<subject>`, then `<kind>`.
 * The dispatcher falls back to InvalidParameterException (or ServerException) when the model does
 * not list the name for the operation.
 */
export const ECR_ERROR_TABLE: ErrorTable = {
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
  'InvalidArgument/scanning-configuration': 'ValidationException',
  'NotFound/scan': 'ScanNotFoundException',
  'LimitExceeded/scan-limit': 'LimitExceededException',
  'InvalidArgument/unsupported-image-type': 'UnsupportedImageTypeException',
  'AccessDenied/foreign-registry': 'AccessDeniedException',
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

/**
 * Errors AWS documents for every action that ECR's model defines on none: the model is given them
 * (withCommonErrors), so the dispatcher keeps their names.
 */
export const ECR_COMMON_ERRORS: readonly string[] = ['AccessDeniedException'];

/** The ECR exception name for a domain error raised by an operation. */
export const ecrErrorName = errorNameLookup(ECR_ERROR_TABLE, 'InvalidParameterException');
