/** A failed AWS call: the API's error code and message, as the CLI would print them. */
export class AwsCallError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'AwsCallError';
  }

  /** Whether the credentials themselves were refused (the console then asks to log in again). */
  get isAuthFailure(): boolean {
    return AUTH_FAILURES.has(this.code);
  }
}

const AUTH_FAILURES = new Set([
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'MissingAuthenticationTokenException',
  'IncompleteSignatureException',
  'IncompleteSignature',
  'MissingAuthenticationToken',
]);

/** The code of an AWS JSON error body (`__type`, possibly `prefix#Code`) or its header. */
export function jsonErrorCode(body: unknown, header: string | null): string {
  const type = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)['__type'] : undefined;
  const raw = typeof type === 'string' ? type : (header ?? 'UnknownError');
  const hash = raw.lastIndexOf('#');
  return (hash >= 0 ? raw.slice(hash + 1) : raw).split(':')[0]!;
}

/** The message of an AWS JSON error body (`message` or `Message`). */
export function jsonErrorMessage(body: unknown): string {
  if (typeof body !== 'object' || body === null) return '';
  const record = body as Record<string, unknown>;
  const message = record['message'] ?? record['Message'];
  return typeof message === 'string' ? message : '';
}
