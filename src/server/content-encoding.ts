import { gunzipSync } from 'node:zlib';
import { AwsError } from './aws-error.js';

/**
 * Request compression: the SDKs gzip the bodies of operations modelled with `requestcompression`
 * (CloudWatch's PutMetricData) once they pass a size (10 KiB by default in botocore and the
 * JavaScript SDK), and sign the compressed bytes. So the body is verified as it came, then
 * inflated here, with a bound on what it may inflate to.
 */

/** How much larger than the request body limit an inflated body may be. */
export const INFLATE_FACTOR = 8;

/** The body as the protocol reads it: inflated when `Content-Encoding` says gzip. */
export function decodeContentEncoding(encoding: string | string[] | undefined, body: Buffer | undefined, limit: number): Buffer | undefined {
  const codings = (Array.isArray(encoding) ? encoding.join(',') : (encoding ?? ''))
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '' && c !== 'identity');
  if (codings.length === 0 || !body || body.length === 0) return body;
  if (codings.length > 1 || codings[0] !== 'gzip') {
    throw new AwsError('SerializationException', `Content-Encoding ${codings.join(', ')} is not supported; use gzip.`, 415);
  }
  const max = limit * INFLATE_FACTOR;
  try {
    return gunzipSync(body, { maxOutputLength: max });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new AwsError('RequestEntityTooLargeException', `The request body must not inflate to more than ${max} bytes.`, 413);
    }
    throw new AwsError('SerializationException', 'The request body is not valid gzip data.');
  }
}
