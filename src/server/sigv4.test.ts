import { Sha256 } from '@aws-crypto/sha256-js';
import { ECSClient, ListClustersCommand } from '@aws-sdk/client-ecs';
import { SignatureV4 } from '@smithy/signature-v4';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_SKEW_MS, readSigV4, SignatureError, verifySigV4, type IncomingSignedRequest } from './sigv4.js';

/** The request shape @smithy/signature-v4 signs. */
type SdkRequest = Parameters<SignatureV4['presign']>[0];

const HOST = 'ecs.us-east-1.amazonaws.com';
const T0 = new Date('2024-01-01T00:00:00Z');
const MISMATCH =
  'The request signature we calculated does not match the signature you provided. ' +
  'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
const secretFor = (id: string): string | undefined => (id === 'test' ? 'test' : undefined);

const signer = (applyChecksum = true): SignatureV4 =>
  new SignatureV4({
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    region: 'us-east-1',
    service: 'ecs',
    sha256: Sha256,
    applyChecksum,
  });

interface Draft {
  method?: string;
  path?: string;
  query?: Record<string, string | string[]>;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
}

const draft = (d: Draft): SdkRequest => ({
  method: d.method ?? 'POST',
  protocol: 'https:',
  hostname: HOST,
  path: d.path ?? '/',
  query: d.query ?? {},
  headers: d.headers ?? { host: HOST },
  body: d.body,
});

const jsonPost = (body = '{"maxResults":10}'): Draft => ({
  headers: {
    host: HOST,
    'content-type': 'application/x-amz-json-1.1',
    'x-amz-target': 'AmazonEC2ContainerServiceV20141113.ListClusters',
  },
  body,
});

/** RFC 3986 encoding, as the SDK's HTTP handler writes query strings onto the wire. */
const escapeUri = (s: string): string =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** What the server sees of a signed SDK request: raw path and query, lower-case header names, body bytes. */
function received(req: SdkRequest): IncomingSignedRequest {
  const query = Object.keys(req.query ?? {})
    .sort()
    .flatMap((k) => {
      const v = req.query![k];
      return (Array.isArray(v) ? v : [v ?? '']).map((one) => `${escapeUri(k)}=${escapeUri(one)}`);
    })
    .join('&');
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) headers[k.toLowerCase()] = v;
  const body = req.body as string | Uint8Array | undefined;
  // Copy bytes by view: the SDK's JSON body is a Uint8Array subclass whose valueOf() is a string.
  const bytes =
    body === undefined
      ? undefined
      : typeof body === 'string'
        ? Buffer.from(body)
        : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  return { method: req.method, path: req.path, rawQuery: query, headers, body: bytes };
}

async function signed(d: Draft, opts: { at?: Date; applyChecksum?: boolean } = {}): Promise<IncomingSignedRequest> {
  return received(await signer(opts.applyChecksum).sign(draft(d), { signingDate: opts.at ?? T0 }));
}

async function presigned(d: Draft, opts: { at?: Date; expiresIn?: number } = {}): Promise<IncomingSignedRequest> {
  return received(await signer().presign(draft({ method: 'GET', ...d }), { signingDate: opts.at ?? T0, expiresIn: opts.expiresIn ?? 900 }));
}

/** Runs the verifier and returns the SignatureError it throws. */
function rejection(req: IncomingSignedRequest, now = T0, secrets = secretFor, options = {}): SignatureError {
  try {
    verifySigV4(req, secrets, now, options);
  } catch (err) {
    expect(err).toBeInstanceOf(SignatureError);
    return err as SignatureError;
  }
  throw new Error('expected the verifier to reject the request');
}

const withHeaders = (req: IncomingSignedRequest, headers: Record<string, string | string[] | undefined>): IncomingSignedRequest => ({
  ...req,
  headers: { ...req.headers, ...headers },
});

const at = (iso: string): Date => new Date(iso);

describe('verifySigV4 accepts what the SDK signs', () => {
  it('a JSON POST with a body, with and without the x-amz-content-sha256 header', async () => {
    for (const applyChecksum of [true, false]) {
      const req = await signed(jsonPost(), { applyChecksum });
      expect('x-amz-content-sha256' in req.headers).toBe(applyChecksum);
      expect(verifySigV4(req, secretFor, T0)).toEqual({
        accessKeyId: 'test',
        region: 'us-east-1',
        service: 'ecs',
        signedAt: T0,
      });
    }
  });

  it('a request whose body is streamed, named by its declared hash or UNSIGNED-PAYLOAD', async () => {
    const req = await signed(jsonPost());
    expect(verifySigV4({ ...req, body: undefined }, secretFor, T0).accessKeyId).toBe('test');
    const unsigned = await signed({ ...jsonPost(), headers: { ...jsonPost().headers, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } });
    expect(verifySigV4({ ...unsigned, body: undefined }, secretFor, T0).accessKeyId).toBe('test');
  });

  it('paths with characters that need encoding, empty and dot segments', async () => {
    for (const path of [
      '/v2/foo/manifests/latest',
      `/2015-03-31/functions/${escapeUri('arn:aws:lambda:us-east-1:123:function:f')}/invocations`,
      "/a%20b/%C3%BC/(x)*!'/~-_.",
      '/foo//bar/./baz/../qux/',
      '/%2F/%25/+',
    ]) {
      const req = await signed({ method: 'GET', path });
      expect(verifySigV4(req, secretFor, T0).service).toBe('ecs');
    }
  });

  it('a query string with repeated keys and special characters', async () => {
    const req = await signed({
      method: 'GET',
      query: { b: ['2', '1', 'a b'], a: "x/y+z=?&!'()*", 'k ey': 'ü€😀', empty: '', '~tilde': '%41' },
    });
    expect(verifySigV4(req, secretFor, T0).region).toBe('us-east-1');
    // Same parameters in another order on the wire, lower-case hex, and a space written as '+'.
    const reordered = req.rawQuery.split('&').reverse().join('&').replace('%C3%BC', '%c3%bc').replace('a%20b', 'a+b');
    expect(verifySigV4({ ...req, rawQuery: reordered }, secretFor, T0).region).toBe('us-east-1');
  });

  it('headers with runs of whitespace and repeated values', async () => {
    const req = await signed({ headers: { host: HOST, 'x-spaced': '  a   b\t c  ', 'x-multi': 'a,b' }, body: '' });
    // Node trims header values; a repeated header may arrive as an array.
    const fromNode = withHeaders(req, { 'x-spaced': 'a   b\t c', 'x-multi': ['a', ' b '] });
    expect(verifySigV4(fromNode, secretFor, T0).accessKeyId).toBe('test');
  });

  it('a presigned GET, signed over the empty body as the SDK does for non-S3 services', async () => {
    const req = await presigned({ query: { Action: 'ListClusters' } });
    expect(req.headers['authorization']).toBeUndefined();
    expect(req.rawQuery).toContain('X-Amz-Signature=');
    expect(verifySigV4(req, secretFor, new Date(T0.getTime() + 899_000)).signedAt).toEqual(T0);
  });

  it('a presigned URL with UNSIGNED-PAYLOAD, as S3 presigners make them', async () => {
    for (const name of ['X-Amz-Content-Sha256', 'x-amz-content-sha256']) {
      const req = await presigned({ headers: { host: HOST, [name]: 'UNSIGNED-PAYLOAD' } });
      expect(req.rawQuery).toContain(`${name}=UNSIGNED-PAYLOAD`);
      expect(verifySigV4({ ...req, body: Buffer.from('anything') }, secretFor, T0).accessKeyId).toBe('test');
    }
  });

  it('a request made by @aws-sdk/client-ecs itself', async () => {
    let sent: SdkRequest | undefined;
    const client = new ECSClient({
      region: 'us-east-1',
      endpoint: 'http://localhost:4566',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
      requestHandler: {
        handle: async (request: SdkRequest) => {
          sent = request;
          throw new Error('captured');
        },
      },
    });
    await expect(client.send(new ListClustersCommand({ maxResults: 5 }))).rejects.toThrow('captured');
    expect(sent).toBeDefined();
    const req = received(sent!);
    const caller = verifySigV4(req, secretFor, new Date());
    expect(caller).toMatchObject({ accessKeyId: 'test', region: 'us-east-1', service: 'ecs' });
    expect(rejection({ ...req, body: Buffer.from('{"maxResults":6}') }, new Date()).code).toBe('InvalidSignatureException');
  });
});

describe('verifySigV4 rejects', () => {
  it('a request signed with another secret', async () => {
    const err = rejection(await signed(jsonPost()), T0, () => 'not-the-secret');
    expect(err).toMatchObject({ code: 'InvalidSignatureException', status: 400, message: MISMATCH });
  });

  it('a tampered body', async () => {
    const plain = await signed(jsonPost(), { applyChecksum: false });
    expect(rejection({ ...plain, body: Buffer.from('{"maxResults":11}') })).toMatchObject({
      code: 'InvalidSignatureException',
      message: MISMATCH,
    });
    // With the hash in a signed header the signature still holds, so the body is checked against it.
    const hashed = await signed(jsonPost());
    expect(rejection({ ...hashed, body: Buffer.from('{"maxResults":11}') })).toMatchObject({
      code: 'InvalidSignatureException',
      message: "The provided 'x-amz-content-sha256' header does not match what was computed.",
    });
  });

  it('a tampered header, path or query', async () => {
    const req = await signed({ ...jsonPost(), query: { a: '1' } });
    const tampered = [
      withHeaders(req, { 'x-amz-target': 'AmazonEC2ContainerServiceV20141113.DeleteCluster' }),
      withHeaders(req, { host: 'evil.example.com' }),
      { ...req, method: 'PUT' },
      { ...req, path: '/other' },
      { ...req, rawQuery: 'a=2' },
      { ...req, rawQuery: '' },
      withHeaders(req, { 'content-type': undefined }),
    ];
    for (const t of tampered) expect(rejection(t)).toMatchObject({ code: 'InvalidSignatureException', message: MISMATCH });
  });

  it('a request whose host header is not signed', async () => {
    const req = withHeaders(await signed({ ...jsonPost(), headers: { 'content-type': 'application/x-amz-json-1.1' } }), {
      host: HOST,
    });
    expect(rejection(req)).toMatchObject({
      code: 'InvalidSignatureException',
      status: 400,
      message: "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
    });
  });

  it('an expired timestamp, but not one exactly at the edge of the window', async () => {
    const req = await signed(jsonPost());
    expect(verifySigV4(req, secretFor, new Date(T0.getTime() + DEFAULT_MAX_SKEW_MS)).accessKeyId).toBe('test');
    expect(rejection(req, at('2024-01-01T00:10:00Z'))).toMatchObject({
      code: 'InvalidSignatureException',
      status: 400,
      message: 'Signature expired: 20240101T000000Z is now earlier than 20240101T000500Z (20240101T001000Z - 5 min.)',
    });
    expect(verifySigV4(req, secretFor, at('2024-01-01T00:10:00Z'), { maxSkewMs: 15 * 60_000 }).accessKeyId).toBe('test');
    expect(rejection(req, at('2024-01-01T00:20:00Z'), secretFor, { maxSkewMs: 15 * 60_000 }).message).toBe(
      'Signature expired: 20240101T000000Z is now earlier than 20240101T000500Z (20240101T002000Z - 15 min.)',
    );
  });

  it('a timestamp in the future', async () => {
    const req = await signed(jsonPost());
    expect(rejection(req, at('2023-12-31T23:50:00Z'))).toMatchObject({
      code: 'InvalidSignatureException',
      message: 'Signature not yet current: 20240101T000000Z is still later than 20231231T235500Z (20231231T235000Z + 5 min.)',
    });
  });

  it('a presigned URL past X-Amz-Expires, or presented before its time', async () => {
    const req = await presigned({}, { expiresIn: 60 });
    expect(verifySigV4(req, secretFor, at('2024-01-01T00:01:00Z')).accessKeyId).toBe('test');
    expect(rejection(req, at('2024-01-01T00:01:01Z'))).toMatchObject({
      code: 'InvalidSignatureException',
      message: 'Signature expired: 20240101T000000Z is now earlier than 20240101T000001Z (20240101T000101Z - 60 sec.)',
    });
    expect(rejection(req, at('2023-12-31T23:50:00Z')).message).toMatch(/^Signature not yet current: /);
  });

  it('a tampered presigned URL', async () => {
    const req = await presigned({ query: { Action: 'ListClusters' } });
    expect(rejection({ ...req, rawQuery: req.rawQuery.replace('ListClusters', 'DeleteCluster') }).message).toBe(MISMATCH);
    expect(rejection({ ...req, rawQuery: req.rawQuery.replace('X-Amz-Expires=900', 'X-Amz-Expires=901') }).message).toBe(MISMATCH);
  });

  it('a presigned URL missing parameters or with a bad X-Amz-Expires', async () => {
    const req = await presigned({});
    const without = (name: string): IncomingSignedRequest => ({
      ...req,
      rawQuery: req.rawQuery
        .split('&')
        .filter((p) => !p.startsWith(`${name}=`))
        .join('&'),
    });
    expect(rejection(without('X-Amz-Signature'))).toMatchObject({
      code: 'IncompleteSignatureException',
      status: 400,
      message: "AWS query-string parameters must include 'X-Amz-Signature'. Re-examine the query-string parameters.",
    });
    expect(rejection(without('X-Amz-Credential')).message).toMatch(/^AWS query-string parameters must include 'X-Amz-Credential'/);
    expect(rejection(without('X-Amz-Algorithm'))).toMatchObject({ code: 'MissingAuthenticationTokenException', status: 403 });
    const expires = (v: string): IncomingSignedRequest => ({ ...req, rawQuery: req.rawQuery.replace('X-Amz-Expires=900', `X-Amz-Expires=${v}`) });
    expect(rejection(expires('604801')).code).toBe('IncompleteSignatureException');
    expect(rejection(expires('soon')).code).toBe('IncompleteSignatureException');
    const sha1 = { ...req, rawQuery: req.rawQuery.replace('X-Amz-Algorithm=AWS4-HMAC-SHA256', 'X-Amz-Algorithm=AWS4-HMAC-SHA1') };
    expect(rejection(sha1).code).toBe('MissingAuthenticationTokenException');
  });

  it('a request with no credentials at all', async () => {
    const req = withHeaders(await signed(jsonPost()), { authorization: undefined });
    expect(rejection(req)).toMatchObject({
      code: 'MissingAuthenticationTokenException',
      status: 403,
      message: 'Missing Authentication Token',
    });
  });

  it('credentials both in the Authorization header and in the query', async () => {
    const header = await signed({ method: 'GET' });
    const query = await presigned({});
    expect(rejection({ ...query, headers: header.headers }).code).toBe('InvalidSignatureException');
  });

  it('malformed Authorization headers', async () => {
    const req = await signed(jsonPost());
    const auth = req.headers['authorization'] as string;
    const signature = /Signature=([0-9a-f]{64})/.exec(auth)![1]!;
    const cases: [string | undefined, Record<string, string | undefined>, string, string][] = [
      [
        'AWS4-HMAC-SHA1 Credential=test/20240101/us-east-1/ecs/aws4_request',
        {},
        'IncompleteSignatureException',
        "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA1'.",
      ],
      ['Bearer abc.def', {}, 'IncompleteSignatureException', "Unsupported AWS 'algorithm': 'Bearer'."],
      [
        'AWS4-HMAC-SHA256',
        {},
        'IncompleteSignatureException',
        "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. " +
          "Authorization header requires 'SignedHeaders' parameter. Authorization=AWS4-HMAC-SHA256",
      ],
      [
        auth.replace(/, Signature=[0-9a-f]+/, ''),
        {},
        'IncompleteSignatureException',
        "Authorization header requires 'Signature' parameter. Authorization=AWS4-HMAC-SHA256",
      ],
      [
        auth,
        { 'x-amz-date': undefined },
        'IncompleteSignatureException',
        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=AWS4-HMAC-SHA256",
      ],
      [
        'AWS4-HMAC-SHA256 Credential, SignedHeaders=host, Signature=00',
        {},
        'IncompleteSignatureException',
        "'Credential' not a valid key=value pair (missing equal-sign) in Authorization header: " +
          "'AWS4-HMAC-SHA256 Credential, SignedHeaders=host, Signature=00'",
      ],
      [
        auth.replace('test/20240101/us-east-1/ecs/aws4_request', 'test/20240101/us-east-1/ecs'),
        {},
        'IncompleteSignatureException',
        'Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, ' +
          "got 'test/20240101/us-east-1/ecs'",
      ],
      [
        auth.replace('/aws4_request', '/aws5_request'),
        {},
        'InvalidSignatureException',
        "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'.",
      ],
      [
        auth.replace('/20240101/', '/20240102/'),
        {},
        'InvalidSignatureException',
        'Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: ' +
          "'20240102' != '20240101', from '20240101T000000Z'.",
      ],
      [
        auth.replace('test/20240101/us-east-1', 'test/20240101/'),
        {},
        'InvalidSignatureException',
        "Credential should be scoped to a valid region, not ''.",
      ],
      [
        auth,
        { 'x-amz-date': '2024-01-01T00:00:00Z' },
        'IncompleteSignatureException',
        "Date must be in ISO-8601 'basic format'. Got '2024-01-01T00:00:00Z'. See http://en.wikipedia.org/wiki/ISO_8601",
      ],
      [
        auth,
        { 'x-amz-date': '20240231T000000Z' },
        'IncompleteSignatureException',
        "Date must be in ISO-8601 'basic format'. Got '20240231T000000Z'. See http://en.wikipedia.org/wiki/ISO_8601",
      ],
      [auth.replace(signature, signature.toUpperCase()), {}, 'InvalidSignatureException', MISMATCH],
      [auth.replace(signature, signature.slice(1)), {}, 'InvalidSignatureException', MISMATCH],
      [auth.replace(signature, ''), {}, 'InvalidSignatureException', MISMATCH],
    ];
    for (const [authorization, extra, code, message] of cases) {
      const err = rejection(withHeaders(req, { authorization, ...extra }));
      const got = { authorization, code: err.code, status: err.status, message: err.message };
      expect(got).toEqual({ authorization, code, status: 400, message });
    }
  });

  it('an unknown access key', async () => {
    const req = await signed(jsonPost());
    expect(rejection(req, T0, () => undefined)).toMatchObject({
      code: 'UnrecognizedClientException',
      status: 400,
      message: 'The security token included in the request is invalid.',
    });
  });

  it('a region the endpoint does not serve, before the access key is looked at', async () => {
    const req = await signed(jsonPost());
    const err = rejection(req, T0, () => undefined, { isServedRegion: (region: string) => region === 'eu-west-1' });
    expect(err).toMatchObject({ code: 'InvalidSignatureException', status: 400 });
    expect(err.message).toMatch(/^Credential should be scoped to a valid region, not 'us-east-1'\. /);
    expect(verifySigV4(req, secretFor, T0, { isServedRegion: (region) => region === 'us-east-1' }).region).toBe('us-east-1');
  });

  it('a malformed percent-escape in the query string', async () => {
    const req = await signed({ method: 'GET', query: { a: '1' } });
    expect(rejection({ ...req, rawQuery: 'a=%zz' })).toMatchObject({
      code: 'MalformedQueryString',
      message: 'Illegal hex character in escape % pattern: %zz',
    });
    expect(rejection({ ...req, rawQuery: 'a=%4' }).message).toBe('Incomplete trailing escape % sequence');
  });
});

describe('verifySigV4 property', () => {
  const text = fc.oneof(fc.string({ maxLength: 12 }), fc.string({ unit: 'grapheme', maxLength: 6 }));
  const segment = fc.oneof(text, fc.constantFrom('', '.', '..', '%2F', 'a+b'));
  const headerValue = fc.stringMatching(/^[\x20-\x7e\t]{0,20}$/);
  const request = fc.record({
    method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE'),
    segments: fc.array(segment, { maxLength: 5 }),
    trailingSlash: fc.boolean(),
    query: fc.dictionary(
      text.filter((k) => k !== '__proto__' && k.toLowerCase() !== 'x-amz-signature'),
      fc.oneof(text, fc.array(text, { minLength: 1, maxLength: 3 })),
      { maxKeys: 5 },
    ),
    header: headerValue,
    meta: headerValue,
    body: fc.uint8Array({ maxLength: 300 }),
    applyChecksum: fc.boolean(),
  });

  it('verifies any request the SDK signs, and rejects it once any byte of the body flips', async () => {
    await fc.assert(
      fc.asyncProperty(request, fc.nat(), fc.integer({ min: 1, max: 255 }), async (r, where, mask) => {
        // The SDK puts already-encoded labels into the path; keep the path's own separators.
        const path = `/${r.segments.map((s) => (s === '%2F' || s === 'a+b' ? s : escapeUri(s))).join('/')}${r.trailingSlash ? '/' : ''}`;
        const req = await signed(
          {
            method: r.method,
            path,
            query: r.query,
            headers: { host: HOST, 'x-test': r.header, 'x-amz-meta-a': r.meta },
            body: r.body,
          },
          { applyChecksum: r.applyChecksum },
        );
        // Node hands over header values with surrounding whitespace trimmed.
        const trim = (v: string): string => v.replace(/^[ \t]+|[ \t]+$/g, '');
        const seen = withHeaders(req, { 'x-test': trim(r.header), 'x-amz-meta-a': trim(r.meta) });
        expect(verifySigV4(seen, secretFor, T0).accessKeyId).toBe('test');
        if (r.body.length > 0) {
          const body = Buffer.from(r.body);
          body[where % body.length]! ^= mask;
          expect(rejection({ ...seen, body }).code).toBe('InvalidSignatureException');
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('temporary credentials', () => {
  const sessionSigner = (presign: boolean) => {
    const s = new SignatureV4({ credentials: { accessKeyId: 'ASIATEMP', secretAccessKey: 'temp-secret', sessionToken: 'the+token/=' }, region: 'us-east-1', service: 'ecs', sha256: Sha256 });
    return presign ? s.presign(draft({ method: 'GET', query: { Action: 'ListClusters' } }), { signingDate: T0 }) : s.sign(draft(jsonPost()), { signingDate: T0 });
  };

  it('reads the session token from the header or the presigned query, then verifies with the looked-up secret', async () => {
    for (const presign of [false, true]) {
      const req = received(await sessionSigner(presign));
      const read = readSigV4(req, T0);
      expect({ id: read.accessKeyId, token: read.sessionToken }).toEqual({ id: 'ASIATEMP', token: 'the+token/=' });
      expect(read.verify('temp-secret')).toMatchObject({ accessKeyId: 'ASIATEMP', service: 'ecs' });
      expect(() => read.verify('other')).toThrow(SignatureError);
      expect(() => read.verify(undefined)).toThrow('The security token included in the request is invalid.');
    }
  });

  it('has no session token for long-term keys', async () => {
    expect(readSigV4(await signed(jsonPost()), T0).sessionToken).toBeUndefined();
  });
});
