import { DomainError, ErrorKind, isDomainError } from '../../lib/errors.js';

/**
 * The error codes of the OCI distribution spec (v1.1), plus the two of CNCF Distribution that ECR
 * and Docker clients also know (TAG_INVALID, PAGINATION_NUMBER_INVALID) and its catch-all UNKNOWN.
 */
export const OciCode = {
  BlobUnknown: 'BLOB_UNKNOWN',
  BlobUploadInvalid: 'BLOB_UPLOAD_INVALID',
  BlobUploadUnknown: 'BLOB_UPLOAD_UNKNOWN',
  DigestInvalid: 'DIGEST_INVALID',
  ManifestBlobUnknown: 'MANIFEST_BLOB_UNKNOWN',
  ManifestInvalid: 'MANIFEST_INVALID',
  ManifestUnknown: 'MANIFEST_UNKNOWN',
  NameInvalid: 'NAME_INVALID',
  NameUnknown: 'NAME_UNKNOWN',
  SizeInvalid: 'SIZE_INVALID',
  TagInvalid: 'TAG_INVALID',
  Unauthorized: 'UNAUTHORIZED',
  Denied: 'DENIED',
  Unsupported: 'UNSUPPORTED',
  TooManyRequests: 'TOOMANYREQUESTS',
  PaginationNumberInvalid: 'PAGINATION_NUMBER_INVALID',
  Unknown: 'UNKNOWN',
} as const;
/** One of {@link OciCode}. */
export type OciCode = (typeof OciCode)[keyof typeof OciCode];

/** An OCI code and the HTTP status it is sent with. */
export interface OciErrorMapping {
  code: OciCode;
  status: number;
}

/**
 * The one table from domain errors (kind, or kind/subject: the most specific entry wins) to OCI
 * error codes and HTTP statuses. Statuses follow the spec's endpoint tables and CNCF Distribution
 * where the spec leaves them open (MANIFEST_BLOB_UNKNOWN 400, UNSUPPORTED 405); an immutable tag is
 * TAG_INVALID as on ECR; an out-of-order chunk is 416, as the spec requires; a pull through cache
 * whose upstream failed answers 502, the gateway's status for a bad upstream.
 */
export const OCI_ERROR_TABLE: Readonly<Record<string, OciErrorMapping>> = {
  'NotFound/repository': { code: OciCode.NameUnknown, status: 404 },
  'InvalidArgument/repository-name': { code: OciCode.NameInvalid, status: 400 },
  'NotFound/manifest': { code: OciCode.ManifestUnknown, status: 404 },
  'InvalidArgument/manifest-invalid': { code: OciCode.ManifestInvalid, status: 400 },
  'LimitExceeded/manifest-too-large': { code: OciCode.ManifestInvalid, status: 413 },
  'FailedPrecondition/manifest-blob': { code: OciCode.ManifestBlobUnknown, status: 400 },
  'FailedPrecondition/referenced-manifest': { code: OciCode.ManifestBlobUnknown, status: 400 },
  'FailedPrecondition/manifest-referenced': { code: OciCode.Denied, status: 409 },
  'AlreadyExists/image-exists': { code: OciCode.TagInvalid, status: 400 },
  'NotFound/blob': { code: OciCode.BlobUnknown, status: 404 },
  'NotFound/upload': { code: OciCode.BlobUploadUnknown, status: 404 },
  'InvalidArgument/upload-invalid': { code: OciCode.BlobUploadInvalid, status: 400 },
  'FailedPrecondition/upload-range': { code: OciCode.BlobUploadInvalid, status: 416 },
  'InvalidArgument/digest': { code: OciCode.DigestInvalid, status: 400 },
  'InvalidArgument/digest-mismatch': { code: OciCode.DigestInvalid, status: 400 },
  'InvalidArgument/size': { code: OciCode.SizeInvalid, status: 400 },
  'InvalidArgument/tag': { code: OciCode.TagInvalid, status: 400 },
  'AlreadyExists/tag-immutable': { code: OciCode.TagInvalid, status: 400 },
  'InvalidArgument/pagination': { code: OciCode.PaginationNumberInvalid, status: 400 },
  'FailedPrecondition/range': { code: OciCode.SizeInvalid, status: 416 },
  'NotFound/route': { code: OciCode.Unsupported, status: 404 },
  'InvalidArgument/unsupported': { code: OciCode.Unsupported, status: 405 },
  'AccessDenied/unauthenticated': { code: OciCode.Unauthorized, status: 401 },
  'AccessDenied/upstream-denied': { code: OciCode.Denied, status: 403 },
  'LimitExceeded/upstream-throttled': { code: OciCode.TooManyRequests, status: 429 },
  'Unavailable/upstream': { code: OciCode.Unknown, status: 502 },
  AccessDenied: { code: OciCode.Denied, status: 403 },
  LimitExceeded: { code: OciCode.TooManyRequests, status: 429 },
  InvalidArgument: { code: OciCode.Unsupported, status: 400 },
  FailedPrecondition: { code: OciCode.Denied, status: 409 },
  NotFound: { code: OciCode.NameUnknown, status: 404 },
  AlreadyExists: { code: OciCode.Denied, status: 409 },
  Conflict: { code: OciCode.Denied, status: 409 },
  Unavailable: { code: OciCode.Unknown, status: 503 },
  Internal: { code: OciCode.Unknown, status: 500 },
};

/**
 * Codes the table above never produces, and why they still exist: the test that every code is
 * used or documented reads this.
 */
export const OCI_CODES_NOT_PRODUCED: Readonly<Partial<Record<OciCode, string>>> = {};

/** The mapping for a domain error. */
export function ociMapping(err: DomainError): OciErrorMapping {
  return (err.subject ? OCI_ERROR_TABLE[`${err.kind}/${err.subject}`] : undefined) ?? OCI_ERROR_TABLE[err.kind] ?? { code: OciCode.Unknown, status: 500 };
}

/** The OCI error body: `{"errors":[{"code","message","detail"}]}`. */
export function ociErrorBody(code: OciCode, message: string, detail?: unknown): string {
  return JSON.stringify({ errors: [{ code, message, detail: detail ?? {} }] });
}

/** The status, code and body for any failure of a `/v2/` request; unexpected errors become UNKNOWN 500. */
export function toOciError(err: unknown): { status: number; code: OciCode; body: string; expected: boolean } {
  if (isDomainError(err)) {
    const { code, status } = ociMapping(err);
    return { status, code, body: ociErrorBody(code, err.message, err.details), expected: err.kind !== ErrorKind.Internal };
  }
  // Fastify's own request errors (4xx) are the client's fault; their messages say what was wrong.
  const statusCode = (err as { statusCode?: unknown }).statusCode;
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    return { status: statusCode, code: OciCode.Unsupported, body: ociErrorBody(OciCode.Unsupported, (err as Error).message), expected: true };
  }
  return { status: 500, code: OciCode.Unknown, body: ociErrorBody(OciCode.Unknown, 'internal server error'), expected: false };
}

/** The domain error for a request without valid credentials (401 with a challenge). */
export const unauthenticated = (): DomainError =>
  new DomainError(ErrorKind.AccessDenied, 'authentication required: log in with the user AWS and a token from GetAuthorizationToken', 'unauthenticated');
