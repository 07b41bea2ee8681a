/**
 * The console's browser-side signing, checked by the front door's own verifier: what the console
 * signs is what the server accepts, and a wrong secret or a changed body is refused.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { signedHeaders } from '../../console/src/aws/signer.js';
import { SignatureError, verifySigV4 } from '../../src/server/sigv4.js';

const credentials = { accessKeyId: 'AKIDCONSOLE', secretAccessKey: 'console-secret', region: 'us-east-1' };
const secrets = (id: string) => (id === credentials.accessKeyId ? credentials.secretAccessKey : undefined);

async function signed(body: string, host = '127.0.0.1:4566', secretAccessKey = credentials.secretAccessKey, now = new Date()) {
  const headers = await signedHeaders({ ...credentials, secretAccessKey }, {
    host,
    signingName: 'ecs',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AmazonEC2ContainerServiceV20141113.ListClusters' },
    body,
  }, now);
  // What the server receives: the browser adds Host (and headers of its own, unsigned).
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return { ...lower, host, accept: '*/*', origin: `http://${host}`, 'user-agent': 'Chromium' };
}

const verify = (headers: Record<string, string>, body: string) =>
  verifySigV4({ method: 'POST', path: '/', rawQuery: '', headers, body: Buffer.from(body) }, secrets, new Date());

describe('SigV4 signing in the browser', () => {
  it('signs calls the front door verifies, whatever the body', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 200 }), fc.constantFrom('127.0.0.1:4566', 'localhost:8080', '[::1]:4566'), async (body, host) => {
        const caller = verify(await signed(body, host), body);
        expect(caller).toMatchObject({ accessKeyId: 'AKIDCONSOLE', region: 'us-east-1', service: 'ecs' });
      }),
      { numRuns: 50 },
    );
  });

  it('never sends the Host header itself (the browser sets it) and never the secret', async () => {
    const headers = await signedHeaders(credentials, { host: 'h:1', signingName: 'ecs', headers: {}, body: '{}' });
    expect(Object.keys(headers).map((k) => k.toLowerCase())).not.toContain('host');
    expect(JSON.stringify(headers)).not.toContain(credentials.secretAccessKey);
  });

  it('is refused with a wrong secret, or when the body changed', async () => {
    const wrong = await signed('{}', undefined, 'not-the-secret');
    expect(() => verify(wrong, '{}')).toThrow(SignatureError);
    expect(() => verify(wrong, '{}')).toThrow(/signature we calculated does not match/);
    const good = await signed('{"maxResults":1}');
    expect(() => verify(good, '{"maxResults":2}')).toThrow(SignatureError);
  });

  it('is refused when the clock is far off', async () => {
    const old = await signed('{}', undefined, undefined, new Date(Date.now() - 20 * 60_000));
    expect(() => verify(old, '{}')).toThrow(/Signature expired|skew|not yet current/i);
  });
});
