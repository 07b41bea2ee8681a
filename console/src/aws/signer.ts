/**
 * SigV4 in the browser: the same signer the AWS SDKs use (@smithy/signature-v4 over a pure-JS
 * SHA-256), so the front door checks the console's calls exactly as it checks the CLI's.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';

/** What the login page asks for; kept in sessionStorage only (see session.ts). */
export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly region: string;
}

/** One request to sign: a POST to the endpoint's root, as every JSON and Query call is. */
export interface UnsignedRequest {
  /** `host[:port]` as the browser will send it (location.host): the browser sets Host itself. */
  readonly host: string;
  readonly signingName: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/**
 * The headers to send with the request: the given ones plus `x-amz-date` and `authorization`.
 * `host` is signed but left out of the answer, since a page may not set it (the browser sends the
 * same value).
 */
export async function signedHeaders(credentials: Credentials, request: UnsignedRequest, now: Date = new Date()): Promise<Record<string, string>> {
  const signer = signerFor(credentials, request.signingName);
  const signed = await signer.sign(
    {
      method: 'POST',
      protocol: 'http:',
      hostname: request.host,
      path: '/',
      query: {},
      headers: { ...request.headers, host: request.host },
      body: request.body,
    },
    { signingDate: now },
  );
  const { host: _host, ...headers } = signed.headers;
  return headers;
}

/** One signer per credentials and API: it caches its signing key for the day. */
const signers = new WeakMap<Credentials, Map<string, SignatureV4>>();

function signerFor(credentials: Credentials, service: string): SignatureV4 {
  let byService = signers.get(credentials);
  if (!byService) signers.set(credentials, (byService = new Map()));
  let signer = byService.get(service);
  if (!signer) {
    signer = new SignatureV4({
      credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey },
      region: credentials.region,
      service,
      sha256: Sha256,
      uriEscapePath: true,
    });
    byService.set(service, signer);
  }
  return signer;
}
