import { GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import { describe, expect, it } from 'vitest';
import { useTestRegistry } from './harness.js';
import { v2 } from './v2-client.js';

const reg = useTestRegistry();

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** The password of `AWS:<password>` from GetAuthorizationToken. */
async function loginPassword(): Promise<string> {
  const data = (await reg().ecr('eu-west-1').send(new GetAuthorizationTokenCommand({}))).authorizationData![0]!;
  return Buffer.from(data.authorizationToken!, 'base64').toString('utf8').slice('AWS:'.length);
}

async function token(method: 'GET' | 'POST', init: { authorization?: string; form?: Record<string, string> }): Promise<{ status: number; body: Record<string, unknown>; challenge: string | null }> {
  const url = `${reg().endpoint}/registry/token?service=ecr.amazonaws.com&scope=repository:any/thing:pull`;
  const res = await fetch(url, {
    method,
    headers: { ...(init.authorization && { authorization: init.authorization }), ...(init.form && { 'content-type': 'application/x-www-form-urlencoded' }) },
    ...(init.form && { body: new URLSearchParams(init.form).toString() }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, challenge: res.headers.get('www-authenticate') };
}

describe("the token endpoint (Docker's token flow)", () => {
  it('trades the ECR login for a Bearer token that works on /v2/ in the login token\'s region', async () => {
    const password = await loginPassword();
    const issued = await token('GET', { authorization: basic('AWS', password) });
    expect(issued.status).toBe(200);
    expect(issued.body.token).toBe(issued.body.access_token);
    expect(issued.body.expires_in).toBeGreaterThan(11 * 3600);
    expect(issued.body.expires_in).toBeLessThanOrEqual(12 * 3600);
    const bearer = `Bearer ${String(issued.body.token)}`;
    expect((await v2(reg(), 'GET', '/v2/', { authorization: bearer })).status).toBe(200);
    // The region comes with the token: a repository of eu-west-1 is visible, one of us-east-1 is not.
    await reg().registry.repositories.create({ accountId: '000000000000', region: 'eu-west-1', principalArn: 'arn:aws:iam::000000000000:root', now: new Date() }, { repositoryName: 'tok/eu' });
    expect((await v2(reg(), 'GET', '/v2/tok/eu/tags/list', { authorization: bearer })).status).toBe(200);
    expect((await v2(reg(), 'GET', '/v2/tok/eu/tags/list')).code).toBe('NAME_UNKNOWN');
  });

  it('takes access keys too, and the OAuth2 password grant', async () => {
    const issued = await token('GET', { authorization: basic('test', 'test') });
    expect(issued.status).toBe(200);
    const oauth = await token('POST', { form: { grant_type: 'password', username: 'test', password: 'test', service: 'ecr.amazonaws.com', client_id: 'docker' } });
    expect(oauth.status).toBe(200);
    expect((await v2(reg(), 'GET', '/v2/', { authorization: `Bearer ${String(oauth.body.access_token)}` })).status).toBe(200);
    const refresh = await token('POST', { form: { grant_type: 'refresh_token', refresh_token: 'x', service: 'ecr.amazonaws.com' } });
    expect([refresh.status, refresh.body.error]).toEqual([400, 'unsupported_grant_type']);
  });

  it('refuses missing or wrong credentials with a Basic challenge of its own, and forged tokens on /v2/', async () => {
    for (const authorization of [undefined, basic('test', 'nope'), basic('AWS', 'mnt1.eyJ2IjoxfQ.AAAA')]) {
      const refused = await token('GET', authorization === undefined ? {} : { authorization });
      expect(refused.status).toBe(401);
      expect(refused.challenge).toBe(`Basic realm="${reg().endpoint}/registry/token",service="ecr.amazonaws.com"`);
      expect((refused.body.errors as Array<{ code: string }>)[0]!.code).toBe('UNAUTHORIZED');
    }
    expect((await token('POST', { form: { grant_type: 'password', username: 'test', password: 'nope' } })).status).toBe(401);
    expect((await v2(reg(), 'GET', '/v2/', { authorization: 'Bearer mnt1.eyJ2IjoxfQ.AAAA' })).status).toBe(401);
  });
});
