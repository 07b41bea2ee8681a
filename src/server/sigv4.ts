/**
 * Server-side verification of AWS Signature Version 4 (header and presigned-query forms).
 *
 * The canonical request is rebuilt the way the AWS SDKs build it for non-S3 services (the SDK's
 * `@smithy/signature-v4` with `uriEscapePath: true`), and the checks run in the order AWS runs them, so
 * that a broken client gets the exception and message it would get from AWS. Error names, messages and
 * ordering follow AWS's SigV4 troubleshooting guide and what AWS services are observed to return.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { truncateValue } from '../aws-model/truncate-value.js';
export { SignatureError } from './sigv4-errors.js';
import { incomplete, invalid, SignatureError } from './sigv4-errors.js';
import { canonicalHeaders, canonicalQuery, canonicalUri, first, parseQuery, queryValue, type QueryPair, type RequestHeaders } from './sigv4-canonical.js';

/** What the verifier needs of an HTTP request. Header names lower-case; `rawQuery` without the leading '?'. */
export interface IncomingSignedRequest {
  method: string;
  /** Raw (still percent-encoded) path, e.g. "/" or "/v2/foo/manifests/latest". */
  path: string;
  /** Raw query string as received, '' if none. */
  rawQuery: string;
  headers: RequestHeaders;
  /**
   * The whole body; undefined when the body is streamed and the client sent x-amz-content-sha256
   * (UNSIGNED-PAYLOAD, or a hex hash that the caller will check later).
   */
  body: Buffer | undefined;
}

/** Who signed, and for what scope. */
export interface VerifiedCaller {
  accessKeyId: string;
  region: string;
  service: string;
  signedAt: Date;
}


/** Options of {@link verifySigV4}. */
export interface VerifyOptions {
  /**
   * How far the request time may be from `now`, either way. Default {@link DEFAULT_MAX_SKEW_MS}
   * (5 minutes, as most AWS JSON services; STS-like services allow 15).
   */
  maxSkewMs?: number;
  /**
   * Whether a region may appear in the credential scope; every non-empty one when absent. AWS has
   * no endpoint for other names, so the nearest AWS answer is the one for a scope naming a region
   * the endpoint does not serve: InvalidSignatureException, "Credential should be scoped to a valid
   * region, not '…'." (what a call signed for another region gets), which names the region.
   */
  isServedRegion?: (region: string) => boolean;
}

/** Default clock-skew window: 5 minutes, as AWS's JSON services use. */
export const DEFAULT_MAX_SKEW_MS = 5 * 60 * 1000;

const ALGORITHM = 'AWS4-HMAC-SHA256';
const TERMINATOR = 'aws4_request';
const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
/** AWS caps presigned URLs at one week (the signing key is valid for seven days). */
const MAX_PRESIGNED_EXPIRES_S = 7 * 24 * 60 * 60;

/** Verifies the request's SigV4 signature and returns who signed it; throws {@link SignatureError} otherwise. */
export function verifySigV4(
  req: IncomingSignedRequest,
  secretFor: (accessKeyId: string) => string | undefined,
  now: Date,
  options: VerifyOptions = {},
): VerifiedCaller {
  const signed = readSigV4(req, now, options);
  return signed.verify(secretFor(signed.accessKeyId));
}

/** A request whose signing parameters were read and checked; the signature is checked once the key's secret is known. */
export interface SignedRequest {
  readonly accessKeyId: string;
  /** The session token sent with temporary credentials (X-Amz-Security-Token header or query parameter). */
  readonly sessionToken: string | undefined;
  /** Checks the signature with the key's secret (undefined: the key is unknown); throws {@link SignatureError}. */
  verify(secret: string | undefined): VerifiedCaller;
}

/**
 * The first half of {@link verifySigV4}: every check AWS makes before it looks the key up (so a
 * caller may look it up asynchronously, with its session token), then `verify` with the secret.
 */
export function readSigV4(req: IncomingSignedRequest, now: Date, options: VerifyOptions = {}): SignedRequest {
  const maxSkewMs = options.maxSkewMs ?? DEFAULT_MAX_SKEW_MS;
  // AWS rejects a malformed query string before it looks at the credentials.
  const query = parseQuery(req.rawQuery);
  const authorization = first(req.headers['authorization']);
  const algorithmParam = queryValue(query, 'X-Amz-Algorithm');
  if (authorization === undefined && algorithmParam === undefined) {
    throw new SignatureError('MissingAuthenticationTokenException', 'Missing Authentication Token', 403);
  }
  // Credentials in both places are ambiguous; AWS answers with a plain signature mismatch.
  if (authorization !== undefined && algorithmParam !== undefined) throw invalid();
  const auth =
    authorization !== undefined ? fromAuthorizationHeader(authorization, req.headers) : fromQuery(algorithmParam!, query);

  if (!auth.signedHeaders.includes('host') && !auth.signedHeaders.includes(':authority')) {
    throw invalid("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  }
  const signedAtMs = parseAmzDate(auth.amzDate);
  checkTime(signedAtMs, now.getTime(), maxSkewMs, auth.expiresS);

  const scope = auth.credential.split('/');
  if (scope.length !== 5) {
    throw incomplete(
      'Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, ' +
        `got '${auth.credential}'`,
    );
  }
  const [accessKeyId, scopeDate, region, service, terminator] = scope as [string, string, string, string, string];
  const scopeErrors: string[] = [];
  if (region === '') scopeErrors.push("Credential should be scoped to a valid region, not ''.");
  else if (options.isServedRegion && !options.isServedRegion(region)) {
    scopeErrors.push(
      `Credential should be scoped to a valid region, not '${truncateValue(region)}'. ` +
        '(This endpoint serves the regions of the aws partition and those added with minato up --extra-regions.)',
    );
  }
  if (service === '') scopeErrors.push("Credential should be scoped to correct service: ''.");
  if (terminator !== TERMINATOR) {
    scopeErrors.push(`Credential should be scoped with a valid terminator: '${TERMINATOR}', not '${terminator}'.`);
  }
  if (scopeDate !== auth.amzDate.slice(0, 8)) {
    scopeErrors.push(
      'Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: ' +
        `'${scopeDate}' != '${auth.amzDate.slice(0, 8)}', from '${auth.amzDate}'.`,
    );
  }
  if (scopeErrors.length > 0) throw invalid(scopeErrors.join(' '));
  const sessionToken = first(req.headers['x-amz-security-token']) ?? (auth.presigned ? queryValue(query, 'X-Amz-Security-Token') : undefined);
  return { accessKeyId, sessionToken, verify: (secret) => checkSignature(req, query, auth, { accessKeyId, scopeDate, region, service, signedAtMs }, secret) };
}

/** The second half of {@link verifySigV4}: the signature and the payload hash, with the key's secret. */
function checkSignature(
  req: IncomingSignedRequest,
  query: QueryPair[],
  auth: AuthParams,
  s: { accessKeyId: string; scopeDate: string; region: string; service: string; signedAtMs: number },
  secret: string | undefined,
): VerifiedCaller {
  const { accessKeyId, scopeDate, region, service, signedAtMs } = s;
  if (secret === undefined) {
    throw new SignatureError('UnrecognizedClientException', 'The security token included in the request is invalid.', 400);
  }

  // The payload hash the client signed: the one it declared, else the body's. A presigned URL that
  // declares none was signed either over the (empty) body, as the SDKs do for non-S3 services, or
  // with UNSIGNED-PAYLOAD, as S3 presigners do; accept whichever the signature proves. (The SDK hoists
  // the header into a presigned URL's query keeping the case it was given in.)
  const declared =
    first(req.headers['x-amz-content-sha256']) ??
    (auth.presigned ? queryValue(query, 'x-amz-content-sha256', true) : undefined);
  const bodyHash = (): string => (req.body === undefined ? EMPTY_SHA256 : sha256Hex(req.body));
  const payloadHashes = declared !== undefined ? [declared] : auth.presigned ? [bodyHash(), UNSIGNED_PAYLOAD] : [bodyHash()];

  const head =
    `${req.method}\n${canonicalUri(req.path)}\n${canonicalQuery(query)}\n` +
    `${canonicalHeaders(auth.signedHeaders, req.headers)}\n${auth.signedHeadersRaw}\n`;
  const credentialScope = `${scopeDate}/${region}/${service}/${TERMINATOR}`;
  const key = signingKey(secret, scopeDate, region, service);
  const provided = Buffer.from(auth.signature, 'utf8');
  let matched = false;
  for (const payloadHash of payloadHashes) {
    const stringToSign = `${ALGORITHM}\n${auth.amzDate}\n${credentialScope}\n${sha256Hex(head + payloadHash)}`;
    const expected = Buffer.from(createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex'), 'utf8');
    // Length is public (always 64 for a well-formed signature); only the bytes are compared in constant time.
    if (provided.length === expected.length && timingSafeEqual(provided, expected)) matched = true;
  }
  if (!matched) throw invalid();

  // A declared hex hash was signed, so the body must be the one it names.
  const declaredHex = declared !== undefined && /^[0-9a-fA-F]{64}$/.test(declared);
  if (declaredHex && req.body !== undefined && declared.toLowerCase() !== bodyHash()) {
    throw invalid("The provided 'x-amz-content-sha256' header does not match what was computed.");
  }
  return { accessKeyId, region, service, signedAt: new Date(signedAtMs) };
}

/** The signing parameters of a request, from whichever place the client put them. */
interface AuthParams {
  presigned: boolean;
  credential: string;
  signature: string;
  signedHeaders: string[];
  /** SignedHeaders exactly as sent: it is part of the canonical request. */
  signedHeadersRaw: string;
  amzDate: string;
  /** X-Amz-Expires of a presigned URL, when given. */
  expiresS: number | undefined;
}

/** Parses `AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…` as AWS does (last duplicate wins). */
function fromAuthorizationHeader(header: string, headers: IncomingSignedRequest['headers']): AuthParams {
  const trimmed = header.trim();
  const space = trimmed.indexOf(' ');
  const algorithm = space < 0 ? trimmed : trimmed.slice(0, space);
  if (algorithm !== ALGORITHM) throw incomplete(`Unsupported AWS 'algorithm': '${algorithm}'.`);
  const params = new Map<string, string>();
  for (const part of space < 0 ? [] : trimmed.slice(space + 1).split(',')) {
    const param = part.trim();
    if (param === '') continue;
    const eq = param.indexOf('=');
    if (eq < 0) {
      throw incomplete(`'${param}' not a valid key=value pair (missing equal-sign) in Authorization header: '${trimmed}'`);
    }
    params.set(param.slice(0, eq), param.slice(eq + 1));
  }
  const credential = params.get('Credential');
  const signature = params.get('Signature');
  const signedHeaders = params.get('SignedHeaders');
  // AWS takes x-amz-date first and falls back to Date.
  const amzDate = first(headers['x-amz-date']) ?? first(headers['date']);
  const missing: string[] = [];
  if (credential === undefined) missing.push("Authorization header requires 'Credential' parameter.");
  if (signature === undefined) missing.push("Authorization header requires 'Signature' parameter.");
  if (signedHeaders === undefined) missing.push("Authorization header requires 'SignedHeaders' parameter.");
  if (amzDate === undefined) {
    missing.push("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  }
  if (missing.length > 0) throw incomplete(`${missing.join(' ')} Authorization=${algorithm}`);
  return {
    presigned: false,
    credential: credential!,
    signature: signature!,
    signedHeaders: signedHeaders!.split(';'),
    signedHeadersRaw: signedHeaders!,
    amzDate: amzDate!,
    expiresS: undefined,
  };
}

/** Reads the X-Amz-* parameters of a presigned URL (first value of each wins, as in AWS). */
function fromQuery(algorithm: string, query: QueryPair[]): AuthParams {
  // AWS treats an unknown query algorithm as no credentials at all.
  if (algorithm !== ALGORITHM) {
    throw new SignatureError('MissingAuthenticationTokenException', 'Missing Authentication Token', 403);
  }
  const credential = queryValue(query, 'X-Amz-Credential');
  const signature = queryValue(query, 'X-Amz-Signature');
  const signedHeaders = queryValue(query, 'X-Amz-SignedHeaders');
  const amzDate = queryValue(query, 'X-Amz-Date');
  const missing: string[] = [];
  if (credential === undefined) missing.push("AWS query-string parameters must include 'X-Amz-Credential'.");
  if (signature === undefined) missing.push("AWS query-string parameters must include 'X-Amz-Signature'.");
  if (signedHeaders === undefined) missing.push("AWS query-string parameters must include 'X-Amz-SignedHeaders'.");
  if (amzDate === undefined) missing.push("AWS query-string parameters must include 'X-Amz-Date'.");
  if (missing.length > 0) throw incomplete(`${missing.join(' ')} Re-examine the query-string parameters.`);
  const expires = queryValue(query, 'X-Amz-Expires');
  let expiresS: number | undefined;
  if (expires !== undefined) {
    if (!/^\d{1,7}$/.test(expires)) throw incomplete('X-Amz-Expires should be a number');
    expiresS = Number(expires);
    if (expiresS > MAX_PRESIGNED_EXPIRES_S) {
      throw incomplete(`X-Amz-Expires must be less than a week (in seconds) that is: ${MAX_PRESIGNED_EXPIRES_S}`);
    }
  }
  return {
    presigned: true,
    credential: credential!,
    signature: signature!,
    signedHeaders: signedHeaders!.split(';'),
    signedHeadersRaw: signedHeaders!,
    amzDate: amzDate!,
    expiresS,
  };
}

const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** Parses ISO 8601 basic format (20240101T000000Z), the only form SigV4 signs. */
function parseAmzDate(value: string): number {
  const m = AMZ_DATE.exec(value);
  const ms = m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) : NaN;
  // Round-tripping rejects impossible dates such as 20240231T000000Z, which Date.UTC would roll over.
  if (Number.isNaN(ms) || formatAmzDate(ms) !== value) {
    throw incomplete(`Date must be in ISO-8601 'basic format'. Got '${value}'. See http://en.wikipedia.org/wiki/ISO_8601`);
  }
  return ms;
}

/** Formats epoch milliseconds as ISO 8601 basic format, to the second. */
function formatAmzDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
}

/** Rejects a request signed too long ago (or, for a presigned URL, past X-Amz-Expires) or too far ahead. */
function checkTime(signedAtMs: number, nowMs: number, maxSkewMs: number, expiresS: number | undefined): void {
  const window = expiresS === undefined ? describeSpan(maxSkewMs) : `${expiresS} sec.`;
  const earliest = nowMs - (expiresS === undefined ? maxSkewMs : expiresS * 1000);
  if (signedAtMs < earliest) {
    throw invalid(
      `Signature expired: ${formatAmzDate(signedAtMs)} is now earlier than ${formatAmzDate(earliest)} ` +
        `(${formatAmzDate(nowMs)} - ${window})`,
    );
  }
  const latest = nowMs + maxSkewMs;
  if (signedAtMs > latest) {
    throw invalid(
      `Signature not yet current: ${formatAmzDate(signedAtMs)} is still later than ${formatAmzDate(latest)} ` +
        `(${formatAmzDate(nowMs)} + ${describeSpan(maxSkewMs)})`,
    );
  }
}

/** AWS writes its window as "5 min." or "15 min."; other windows fall back to seconds. */
const describeSpan = (ms: number): string => (ms % 60_000 === 0 ? `${ms / 60_000} min.` : `${Math.round(ms / 1000)} sec.`);


const sha256Hex = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data, 'utf8').digest();

/** Derived signing keys are valid for a whole day, so almost every request reuses one; the cache is small and bounded. */
const MAX_CACHED_KEYS = 256;
const signingKeys = new Map<string, Buffer>();

/** kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request"), cached. */
function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  // Region and service cannot hold '/', and the secret comes last, so the cache key is unambiguous.
  const id = `${date}/${region}/${service}/${secret}`;
  let key = signingKeys.get(id);
  if (key === undefined) {
    key = hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), TERMINATOR);
    if (signingKeys.size >= MAX_CACHED_KEYS) signingKeys.delete(signingKeys.keys().next().value!);
    signingKeys.set(id, key);
  }
  return key;
}
