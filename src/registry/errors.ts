import { DomainError, ErrorKind } from '../lib/errors.js';

/**
 * The registry's domain errors. Each has a subject, so that both edges can name it: the `/v2/`
 * routes translate it to an OCI error code (`http/oci-errors.ts`) and the ECR API to an AWS
 * exception (`api/ecr/errors.ts`). `details` carries what the OCI body's `detail` shows.
 */
export const RegistrySubject = {
  Repository: 'repository',
  RepositoryName: 'repository-name',
  RepositoryNotEmpty: 'repository-not-empty',
  Manifest: 'manifest',
  ManifestInvalid: 'manifest-invalid',
  ManifestBlob: 'manifest-blob',
  ManifestTooLarge: 'manifest-too-large',
  ManifestReferenced: 'manifest-referenced',
  ReferencedManifest: 'referenced-manifest',
  Blob: 'blob',
  Upload: 'upload',
  UploadInvalid: 'upload-invalid',
  UploadRange: 'upload-range',
  UploadEmpty: 'upload-empty',
  Digest: 'digest',
  DigestMismatch: 'digest-mismatch',
  Size: 'size',
  Tag: 'tag',
  TagImmutable: 'tag-immutable',
  ImageExists: 'image-exists',
  Unsupported: 'unsupported',
  Policy: 'policy',
  LifecyclePolicy: 'lifecycle-policy',
  LifecyclePolicyInvalid: 'lifecycle-policy-invalid',
  LifecyclePreview: 'lifecycle-preview',
  PullThroughRule: 'pull-through-rule',
  PullThroughRuleExists: 'pull-through-rule-exists',
  Upstream: 'upstream',
  UpstreamDenied: 'upstream-denied',
  UpstreamThrottled: 'upstream-throttled',
  RepositoryExists: 'repository-exists',
  ResourceTags: 'resource-tags',
  TooManyTags: 'too-many-tags',
  Parameter: 'parameter',
  Pagination: 'pagination',
  Range: 'range',
  Route: 'route',
  LayerExists: 'layer-exists',
  ScanningConfiguration: 'scanning-configuration',
  Scan: 'scan',
  ScanLimit: 'scan-limit',
  UnsupportedImageType: 'unsupported-image-type',
} as const;
/** One of {@link RegistrySubject}. */
export type RegistrySubject = (typeof RegistrySubject)[keyof typeof RegistrySubject];

const error = (kind: DomainError['kind'], subject: RegistrySubject, message: string, details?: Record<string, unknown>) =>
  new DomainError(kind, message, subject, details);

/** ECR's wording for a repository that does not exist (the same on the API and on `/v2/`). */
export const repositoryNotFound = (name: string, registryId: string): DomainError =>
  error(ErrorKind.NotFound, 'repository', `The repository with name '${name}' does not exist in the registry with id '${registryId}'`, { name });

/** A repository name outside the OCI / ECR grammar. */
export const invalidRepositoryName = (name: string): DomainError =>
  error(ErrorKind.InvalidArgument, 'repository-name', `invalid repository name '${name}'`, { name });

/** A tag outside the OCI grammar. */
export const invalidTag = (tag: string): DomainError =>
  error(ErrorKind.InvalidArgument, 'tag', `invalid tag '${tag}': a tag is up to 128 of [A-Za-z0-9_.-], not starting with '.' or '-'`, { tag });

/** An image (manifest or tag) the repository does not have. */
export const manifestUnknown = (reference: string, message = 'Requested image not found'): DomainError =>
  error(ErrorKind.NotFound, 'manifest', message, { reference });

/** A manifest that is not a valid manifest of a supported type. */
export const manifestInvalid = (message: string, details?: Record<string, unknown>): DomainError =>
  error(ErrorKind.InvalidArgument, 'manifest-invalid', message, details);

/** A manifest that references a blob the repository does not have. */
export const manifestBlobUnknown = (digest: string): DomainError =>
  error(ErrorKind.FailedPrecondition, 'manifest-blob', `blob ${digest} referenced by the manifest is unknown to the repository`, { digest });

/** An index that references a manifest the repository does not have. */
export const referencedManifestUnknown = (digest: string): DomainError =>
  error(ErrorKind.FailedPrecondition, 'referenced-manifest', `manifest ${digest} referenced by the index is unknown to the repository`, { digest });

/** A blob the repository does not have. */
export const blobUnknown = (digest: string): DomainError =>
  error(ErrorKind.NotFound, 'blob', `blob ${digest} is unknown to the repository`, { digest });

/** An upload session that does not exist (never started, finished, cancelled or expired). */
export const uploadUnknown = (id: string): DomainError =>
  error(ErrorKind.NotFound, 'upload', `upload ${id} is unknown: it was never started, is finished, was cancelled or has expired`, { uuid: id });

/** A request that does not fit the upload's state (bad headers, bad parameters). */
export const uploadInvalid = (message: string, details?: Record<string, unknown>): DomainError =>
  error(ErrorKind.InvalidArgument, 'upload-invalid', message, details);

/** A chunk that does not start where the upload ends (HTTP 416 on `/v2/`). */
export const uploadOutOfOrder = (expected: number, got: number): DomainError =>
  error(ErrorKind.FailedPrecondition, 'upload-range', `chunk starts at byte ${got}, but the upload has ${expected} bytes`, { expectedStart: expected, start: got });

/** Content whose digest is not the one claimed. */
export const digestMismatch = (claimed: string, actual: string): DomainError =>
  error(ErrorKind.InvalidArgument, 'digest-mismatch', `provided digest ${claimed} did not match uploaded content (${actual})`, { digest: claimed });

/** A length that does not match the content (Content-Length, descriptor sizes). */
export const sizeInvalid = (message: string, details?: Record<string, unknown>): DomainError =>
  error(ErrorKind.InvalidArgument, 'size', message, details);

/** An attempt to move an immutable tag (ECR's own message). */
export const tagImmutable = (tag: string, repository: string): DomainError =>
  error(
    ErrorKind.AlreadyExists,
    'tag-immutable',
    `The image tag '${tag}' already exists in the '${repository}' repository and cannot be overwritten because the tag is immutable.`,
    { tag },
  );

/** A manifest larger than the registry accepts (HTTP 413 on `/v2/`). */
export const manifestTooLarge = (limit: number): DomainError =>
  error(ErrorKind.LimitExceeded, 'manifest-too-large', `manifest exceeds the limit of ${limit} bytes`, { limit });

/** Something the registry does not do. */
export const unsupported = (message: string): DomainError => error(ErrorKind.InvalidArgument, 'unsupported', message);

/** A parameter of a registry call the registry cannot accept (AWS: InvalidParameterException). */
export const invalidRegistryParameter = (message: string): DomainError => error(ErrorKind.InvalidArgument, 'parameter', message);

/** Builds a registry domain error with an explicit subject, for the rarer cases. */
export const registryError = error;

/** A registry scanning configuration ECR refuses (AWS: ValidationException). */
export const invalidScanningConfiguration = (message: string): DomainError => error(ErrorKind.InvalidArgument, 'scanning-configuration', message);
