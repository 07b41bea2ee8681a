import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { basicAuth, BEARER_TOKEN_TTL_MS, parseBasic } from './registry-auth.js';
import { TokenSigner } from './tokens.js';

const NOW = Date.parse('2026-01-01T00:00:00Z');
const signer = TokenSigner.withKey(Buffer.alloc(32, 7));
const login = (region = 'eu-west-1', expiresAt = NOW + 1000) => signer.issue({ purpose: 'login', accountId: '000000000000', region, expiresAt });
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('registry tokens', () => {
  it('round-trips claims, never contains a colon, and expires', () => {
    const token = login();
    expect(token).not.toContain(':');
    expect(signer.verify(token, NOW)).toEqual({ purpose: 'login', accountId: '000000000000', region: 'eu-west-1', expiresAt: NOW + 1000 });
    expect(signer.verify(token, NOW + 1000)).toBeUndefined();
  });

  it('refuses tokens signed with another key or altered', () => {
    const token = login();
    expect(TokenSigner.withKey(Buffer.alloc(32, 8)).verify(token, NOW)).toBeUndefined();
    const [prefix, body, sig] = token.split('.') as [string, string, string];
    const forged = Buffer.from(JSON.stringify({ v: 1, p: 'l', a: '000000000000', r: 'us-east-1', e: NOW + 1e9 })).toString('base64url');
    expect(signer.verify(`${prefix}.${forged}.${sig}`, NOW)).toBeUndefined();
    expect(signer.verify(`${prefix}.${body}.${sig.slice(0, -1)}A`, NOW)).toBeUndefined();
    expect(signer.verify('garbage', NOW)).toBeUndefined();
  });

  it('keeps its key in a 0600 file that survives a reload', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'minato-token-'));
    try {
      const file = join(dir, 'registry', 'token.key');
      const first = TokenSigner.load(file);
      const token = first.issue({ purpose: 'login', accountId: '1', region: 'r', expiresAt: NOW + 1 });
      expect(TokenSigner.load(file).verify(token, NOW)?.region).toBe('r');
      expect((await stat(file)).mode & 0o777).toBe(0o600);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('basic auth', () => {
  const auth = basicAuth({ tokens: signer, accountId: '000000000000', credentials: new Map([['AKID', 'secret']]) });

  it('accepts AWS:<token> in the token\'s region, and access keys in the default region', () => {
    expect(auth.authenticate(basic('AWS', login('ap-south-1')), NOW)).toEqual({ accountId: '000000000000', region: 'ap-south-1', expiresAt: NOW + 1000 });
    expect(auth.authenticate(basic('AKID', 'secret'), NOW)).toEqual({ accountId: '000000000000', region: 'us-east-1' });
  });

  it('refuses everything else', () => {
    expect(auth.authenticate(undefined, NOW)).toBeUndefined();
    expect(auth.authenticate('Bearer abc', NOW)).toBeUndefined();
    expect(auth.authenticate(basic('AKID', 'wrong'), NOW)).toBeUndefined();
    expect(auth.authenticate(basic('AWS', login('eu-west-1', NOW - 1)), NOW)).toBeUndefined();
    const download = signer.issue({ purpose: 'download', accountId: '000000000000', region: 'r', expiresAt: NOW + 1000, repository: 'a', digest: 'sha256:x' });
    expect(auth.authenticate(basic('AWS', download), NOW)).toBeUndefined();
    expect(auth.authenticateDownload(download, 'a', 'sha256:x', NOW)).toEqual({ accountId: '000000000000', region: 'r' });
    expect(auth.authenticateDownload(download, 'b', 'sha256:x', NOW)).toBeUndefined();
    expect(auth.authenticateDownload(login(), 'a', 'sha256:x', NOW)).toBeUndefined();
  });

  it('issues Bearer tokens that live no longer than the credential they were bought with', () => {
    const fromLogin = auth.issueBearer(auth.authenticateCredentials('AWS', login('ap-south-1'), NOW)!, NOW);
    expect(fromLogin.expiresAt).toBe(NOW + 1000);
    expect(auth.authenticate(`Bearer ${fromLogin.token}`, NOW)).toEqual({ accountId: '000000000000', region: 'ap-south-1', expiresAt: NOW + 1000 });
    expect(auth.authenticate(`Bearer ${fromLogin.token}`, NOW + 1000)).toBeUndefined();
    const fromKeys = auth.issueBearer(auth.authenticateCredentials('AKID', 'secret', NOW)!, NOW);
    expect(fromKeys.expiresAt).toBe(NOW + BEARER_TOKEN_TTL_MS);
    expect(auth.authenticate(`bearer ${fromKeys.token}`, NOW)?.region).toBe('us-east-1');
    expect(auth.authenticateCredentials('AKID', 'nope', NOW)).toBeUndefined();
    const download = signer.issue({ purpose: 'download', accountId: '000000000000', region: 'r', expiresAt: NOW + 1000, repository: 'a', digest: 'sha256:x' });
    expect(auth.authenticate(`Bearer ${download}`, NOW)).toBeUndefined();
  });

  it('splits the Basic credentials at the first colon', () => {
    expect(parseBasic(basic('AWS', 'a:b'))).toEqual({ user: 'AWS', password: 'a:b' });
    expect(parseBasic('Basic !!!')).toBeUndefined();
  });
});
