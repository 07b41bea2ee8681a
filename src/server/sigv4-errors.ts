/** SigV4 failures as AWS names and words them. */

/**
 * A signature problem, named as AWS names it (the `code` is the AWS exception name), with AWS's message
 * text and HTTP status.
 */
export class SignatureError extends Error {
  override readonly name = 'SignatureError';
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** AWS's text for a signature that does not match. */
export const MISMATCH =
  'The request signature we calculated does not match the signature you provided. ' +
  'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

export const incomplete = (message: string): SignatureError =>
  new SignatureError('IncompleteSignatureException', message, 400);
export const invalid = (message: string = MISMATCH): SignatureError =>
  new SignatureError('InvalidSignatureException', message, 400);
export const malformedQuery = (message: string): SignatureError => new SignatureError('MalformedQueryString', message, 400);
