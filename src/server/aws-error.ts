/**
 * An error on the AWS wire: the exception name the SDKs map to a class, AWS's message and the
 * HTTP status. Built at the edge only, from domain errors or protocol failures.
 */
export class AwsError extends Error {
  override readonly name = 'AwsError';
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    /** Further members of the exception shape (e.g. ConflictException's `resourceIds`). */
    readonly fields: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }

  /** Whether AWS blames the caller (Sender) or itself (Receiver), as Query-protocol errors say. */
  get fault(): 'Sender' | 'Receiver' {
    return this.status >= 500 ? 'Receiver' : 'Sender';
  }
}

/** The JSON 1.x error body: the SDKs read `__type` (or the `x-amzn-ErrorType` header) and `message`. */
export function jsonErrorBody(err: AwsError): string {
  return JSON.stringify({ ...err.fields, __type: err.code, message: err.message });
}

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Escapes text for an XML element or attribute. */
export function xmlEscape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!);
}

/** The AWS Query protocol error document; `code` is the Query error code (see queryErrorCode). */
export function queryErrorXml(err: AwsError, requestId: string, namespace = 'https://sts.amazonaws.com/doc/2011-06-15/', code = err.code): string {
  return (
    `<ErrorResponse xmlns="${xmlEscape(namespace)}">` +
    `<Error><Type>${err.fault}</Type><Code>${xmlEscape(code)}</Code><Message>${xmlEscape(err.message)}</Message></Error>` +
    `<RequestId>${requestId}</RequestId></ErrorResponse>`
  );
}

/**
 * Query-protocol services (STS, IAM, CloudWatch's Query API, ELB) name authentication failures
 * otherwise than the JSON ones, with their own statuses.
 */
const QUERY_AUTH_ERRORS: Readonly<Record<string, { code: string; status: number }>> = {
  InvalidSignatureException: { code: 'SignatureDoesNotMatch', status: 403 },
  IncompleteSignatureException: { code: 'IncompleteSignature', status: 400 },
  MissingAuthenticationTokenException: { code: 'MissingAuthenticationToken', status: 403 },
  UnrecognizedClientException: { code: 'InvalidClientTokenId', status: 403 },
  ExpiredTokenException: { code: 'ExpiredToken', status: 403 },
};

/** An authentication failure as a Query-protocol service answers it; any other error unchanged. */
export function asQueryAuthError(err: AwsError): AwsError {
  const query = QUERY_AUTH_ERRORS[err.code];
  return query ? new AwsError(query.code, err.message, query.status, err.fields) : err;
}
