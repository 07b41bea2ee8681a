import { describe, expect, it } from 'vitest';
import { PullErrorKind, RegistryError } from './pull-error.js';
import { RegistryAuth, parseChallenges, type FetchLike } from './registry-auth.js';

describe('parseChallenges', () => {
  it('reads a Bearer challenge with a quoted scope holding commas', () => {
    expect(parseChallenges('Bearer realm="https://auth.example/token",service="registry.example",scope="repository:team/app:pull,push"')).toEqual([
      { scheme: 'bearer', params: { realm: 'https://auth.example/token', service: 'registry.example', scope: 'repository:team/app:pull,push' } },
    ]);
  });

  it('reads several challenges, bare tokens and escapes', () => {
    expect(parseChallenges('Basic realm="a \\"b\\"", Bearer realm=https://x/token, error="insufficient_scope"')).toEqual([
      { scheme: 'basic', params: { realm: 'a "b"' } },
      { scheme: 'bearer', params: { realm: 'https://x/token', error: 'insufficient_scope' } },
    ]);
  });

  it('returns nothing for an empty header', () => {
    expect(parseChallenges('')).toEqual([]);
  });
});

/** A fake token server: records requests, answers with `body`. */
function tokenServer(status: number, body: unknown) {
  const requests: Array<{ url: string; authorization?: string }> = [];
  const fetchImpl: FetchLike = async (input, init) => {
    const headers = (init?.headers ?? {}) as Record<string, string>;
    requests.push({ url: String(input), authorization: headers.authorization });
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  };
  return { requests, fetchImpl };
}

describe('RegistryAuth', () => {
  const challenge = 'Bearer realm="http://127.0.0.1:9/token",service="reg",scope="repository:team/app:pull"';

  it('fetches a token anonymously and caches it until it expires', async () => {
    let now = 1_000_000;
    const server = tokenServer(200, { token: 'T1', expires_in: 300 });
    const auth = new RegistryAuth(server.fetchImpl, () => now);
    expect(await auth.answer('reg:5000', 'team/app', challenge, undefined)).toBe('Bearer T1');
    expect(server.requests).toEqual([{ url: 'http://127.0.0.1:9/token?service=reg&scope=repository%3Ateam%2Fapp%3Apull', authorization: undefined }]);
    expect(auth.cached('reg:5000', 'team/app')).toBe('Bearer T1');
    expect(auth.cached('reg:5000', 'team/other')).toBeUndefined();
    now += 291_000; // past expiry minus the 10 s margin
    expect(auth.cached('reg:5000', 'team/app')).toBeUndefined();
  });

  it('sends credentials to the realm as Basic and accepts access_token', async () => {
    const server = tokenServer(200, { access_token: 'T2' });
    const auth = new RegistryAuth(server.fetchImpl);
    const header = await auth.answer('reg:5000', 'team/app', challenge, { username: 'AWS', password: 'secret' });
    expect(header).toBe('Bearer T2');
    expect(server.requests[0]!.authorization).toBe(`Basic ${Buffer.from('AWS:secret').toString('base64')}`);
    // Tokens are cached per user: anonymous callers do not get this one.
    expect(auth.cached('reg:5000', 'team/app')).toBeUndefined();
  });

  it('defaults the scope to pulling the repository', async () => {
    const server = tokenServer(200, { token: 'T' });
    await new RegistryAuth(server.fetchImpl).answer('reg', 'a/b', 'Bearer realm="http://127.0.0.1:9/token"', undefined);
    expect(new URL(server.requests[0]!.url).searchParams.get('scope')).toBe('repository:a/b:pull');
  });

  it('answers Basic challenges only with credentials', async () => {
    const auth = new RegistryAuth(tokenServer(500, {}).fetchImpl);
    expect(await auth.answer('reg', 'a', 'Basic realm="registry"', undefined)).toBeUndefined();
    expect(await auth.answer('reg', 'a', 'Basic realm="registry"', { username: 'u', password: 'p' })).toBe(`Basic ${Buffer.from('u:p').toString('base64')}`);
  });

  it('reports a refused token request as unauthorized', async () => {
    const auth = new RegistryAuth(tokenServer(401, { details: 'no' }).fetchImpl);
    const err = await auth.answer('reg', 'team/app', challenge, { username: 'u', password: 'bad' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RegistryError);
    expect((err as RegistryError).kind).toBe(PullErrorKind.Unauthorized);
    expect((err as RegistryError).detail).toMatch(/^failed to authorize: failed to fetch token: unexpected status from GET request to http:\/\/127\.0\.0\.1:9\/token\?.*: 401/);
  });
});
