import { afterAll, describe, expect, it } from 'vitest';
import type { ProtectionOutcome, TaskProtectionPort } from '../../agent-contract/ports.js';
import { MetadataServer } from './metadata-server.js';

const TASK = 'arn:aws:ecs:us-east-1:000000000000:task/c/0123456789abcdef0123456789abcdef';

/** A protection port over one remembered state; `next` overrides the next answer. */
function fakePort() {
  const calls: unknown[][] = [];
  let state: ProtectionOutcome = { protection: { taskArn: TASK, protectionEnabled: false } };
  let next: ProtectionOutcome | undefined;
  const port: TaskProtectionPort = {
    async get(taskArn) {
      calls.push(['get', taskArn]);
      return next ?? state;
    },
    async update(taskArn, protectionEnabled, expiresInMinutes) {
      calls.push(['update', taskArn, protectionEnabled, expiresInMinutes]);
      if (next) return next;
      state = { protection: { taskArn, protectionEnabled, ...(protectionEnabled && { expirationDate: Date.UTC(2030, 0, 1, 12, 0, 0, 120) }) } };
      return state;
    },
  };
  return { port, calls, answerNext: (o: ProtectionOutcome) => (next = o) };
}

const fake = fakePort();
const server = new MetadataServer(0, undefined, fake.port);
afterAll(() => server.close());

const provider = {
  taskArn: TASK,
  container: () => ({ Name: 'app' }),
  task: () => ({ TaskARN: TASK }),
  containerStats: async () => ({ memory_stats: { usage: 1 } }),
  taskStats: async () => ({ id: { memory_stats: { usage: 1 } } }),
};

describe('MetadataServer', () => {
  it('serves each registered container under its token, and nothing else', async () => {
    const uri = await server.register('127.0.0.1', 'tok123', provider);
    expect(uri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v4\/tok123$/);
    expect(await (await fetch(uri)).json()).toEqual({ Name: 'app' });
    expect(await (await fetch(`${uri}/task`)).json()).toEqual({ TaskARN: TASK });
    expect(await (await fetch(`${uri}/stats`)).json()).toEqual({ memory_stats: { usage: 1 } });
    expect(await (await fetch(`${uri}/task/stats`)).json()).toEqual({ id: { memory_stats: { usage: 1 } } });
    expect((await fetch(uri.replace('tok123', 'other'))).status).toBe(404);
    server.unregister('tok123');
    expect((await fetch(uri)).status).toBe(404);
  });

  it('answers task protection under /api/<token> as the ECS agent does', async () => {
    const uri = await server.register('127.0.0.1', 'tok456', provider);
    const state = uri.replace('/v4/', '/api/') + '/task-protection/v1/state';
    const put = (body: string) => fetch(state, { method: 'PUT', headers: { 'content-type': 'application/json' }, body });

    let res = await put('{"ProtectionEnabled":true,"ExpiresInMinutes":60}');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ protection: { ExpirationDate: '2030-01-01T12:00:00.12Z', ProtectionEnabled: true, TaskArn: TASK } });
    expect(fake.calls.at(-1)).toEqual(['update', TASK, true, 60]);
    res = await fetch(state);
    expect(await res.json()).toMatchObject({ protection: { ProtectionEnabled: true, TaskArn: TASK } });

    // Refused before the port is asked: bad JSON, unknown members, wrong types, no ProtectionEnabled.
    const calls = fake.calls.length;
    for (const bad of ['', '{', '{"ProtectionEnabled":true,"Other":1}', '{"ProtectionEnabled":"yes"}', '{"ProtectionEnabled":true,"ExpiresInMinutes":1.5}', '[]']) {
      res = await put(bad);
      expect(res.status, bad).toBe(400);
      expect(await res.json(), bad).toEqual({ error: { Code: 'InvalidParameterException', Message: 'UpdateTaskProtection: failed to decode request' } });
    }
    res = await put('{"ExpiresInMinutes":5}');
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: { Arn: TASK, Code: 'InvalidParameterException', Message: "Invalid request: does not contain 'ProtectionEnabled' field" } });
    expect(fake.calls.length).toBe(calls);

    // ECS's failures and errors are passed on.
    fake.answerNext({ failure: { arn: TASK, reason: 'TASK_NOT_VALID', detail: 'The task is not part of a service.' } });
    res = await put('{"ProtectionEnabled":true}');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ failure: { Arn: TASK, Detail: 'The task is not part of a service.', Reason: 'TASK_NOT_VALID' } });
    fake.answerNext({ error: { code: 'InvalidParameterException', message: 'expiresInMinutes must be between 1 and 2880.', status: 400 } });
    res = await put('{"ProtectionEnabled":true,"ExpiresInMinutes":9999}');
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: { Arn: TASK, Code: 'InvalidParameterException', Message: 'expiresInMinutes must be between 1 and 2880.' } });

    // Another token, or another path under it, names no task.
    res = await fetch(state.replace('tok456', 'nope'));
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { Code: 'ResourceNotFoundException', Message: 'Failed to find a task for the request' } });
    expect((await fetch(state.replace('/state', '/other'))).status).toBe(404);
    server.unregister('tok456');
  });

  it('says task protection is unavailable where no port is given', async () => {
    const bare = new MetadataServer(0);
    try {
      const uri = await bare.register('127.0.0.1', 'tok789', provider);
      const res = await fetch(uri.replace('/v4/', '/api/') + '/task-protection/v1/state');
      expect(res.status).toBe(500);
      expect(await res.json()).toMatchObject({ error: { Arn: TASK, Code: 'ServerException' } });
    } finally {
      await bare.close();
    }
  });

  it("answers a task's role credentials to its own address only, with the ECS agent's errors otherwise", async () => {
    const creds = { RoleArn: 'arn:aws:iam::000000000000:role/app', AccessKeyId: 'ASIAEXAMPLE', SecretAccessKey: 's', Token: 't', Expiration: '2030-01-01T00:00:00Z' };
    await server.registerCredentials('127.0.0.1', 'cred-1', { sourceAddress: '127.0.0.1', credentials: async () => creds });
    await server.registerCredentials('127.0.0.1', 'cred-2', { sourceAddress: '10.9.0.2', credentials: async () => creds });
    const base = (await server.register('127.0.0.1', 'tok', provider)).replace(/\/v4\/tok$/, '');
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
