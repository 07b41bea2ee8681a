import { afterAll, describe, expect, it } from 'vitest';
import { MetadataServer } from './metadata-server.js';

const server = new MetadataServer(0);
afterAll(() => server.close());

describe('MetadataServer', () => {
  it('serves each registered container under its token, and nothing else', async () => {
    const provider = {
      container: () => ({ Name: 'app' }),
      task: () => ({ TaskARN: 'arn:task' }),
      containerStats: async () => ({ memory_stats: { usage: 1 } }),
      taskStats: async () => ({ id: { memory_stats: { usage: 1 } } }),
    };
    const uri = await server.register('127.0.0.1', 'tok123', provider);
    expect(uri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v4\/tok123$/);
    expect(await (await fetch(uri)).json()).toEqual({ Name: 'app' });
    expect(await (await fetch(`${uri}/task`)).json()).toEqual({ TaskARN: 'arn:task' });
    expect(await (await fetch(`${uri}/stats`)).json()).toEqual({ memory_stats: { usage: 1 } });
    expect(await (await fetch(`${uri}/task/stats`)).json()).toEqual({ id: { memory_stats: { usage: 1 } } });
    expect((await fetch(uri.replace('tok123', 'other'))).status).toBe(404);
    server.unregister('tok123');
    expect((await fetch(uri)).status).toBe(404);
  });

  it("answers a task's role credentials to its own address only, with the ECS agent's errors otherwise", async () => {
    const creds = { RoleArn: 'arn:aws:iam::000000000000:role/app', AccessKeyId: 'ASIAEXAMPLE', SecretAccessKey: 's', Token: 't', Expiration: '2030-01-01T00:00:00Z' };
    await server.registerCredentials('127.0.0.1', 'cred-1', { sourceAddress: '127.0.0.1', credentials: async () => creds });
    await server.registerCredentials('127.0.0.1', 'cred-2', { sourceAddress: '10.9.0.2', credentials: async () => creds });
    const base = (await server.register('127.0.0.1', 'tok', { container: () => ({}), task: () => ({}), containerStats: async () => ({}), taskStats: async () => ({}) })).replace(/\/v4\/tok$/, '');
    const get = async (path: string) => {
      const res = await fetch(`${base}${path}`);
      return { status: res.status, body: await res.json() };
    };
    expect(await get('/v2/credentials/cred-1')).toEqual({ status: 200, body: creds });
    const unknown = { status: 400, body: { code: 'InvalidIdInRequest', message: 'CredentialsV2Request: ID not found' } };
    // Another task's id, asked from this address, reads as unknown.
    expect(await get('/v2/credentials/cred-2')).toEqual(unknown);
    expect(await get('/v2/credentials/nope')).toEqual(unknown);
    expect(await get('/v2/credentials/')).toEqual({ status: 400, body: { code: 'NoIdInRequest', message: 'CredentialsV2Request: No ID in the request' } });
    server.unregisterCredentials('cred-1');
    expect(await get('/v2/credentials/cred-1')).toEqual(unknown);
  });
});
