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
});
