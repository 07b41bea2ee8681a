import { createServer } from 'node:http';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { startRelay } from './tcp-relay.js';

describe('startRelay', () => {
  it('forwards HTTP requests to the target and stops listening on close', async () => {
    const target = createServer((req, res) => res.end(`seen ${req.url}`));
    target.listen(0, '127.0.0.1');
    await once(target, 'listening');
    const port = (target.address() as { port: number }).port;
    const relay = await startRelay('127.0.0.2', 0, () => ({ host: '127.0.0.1', port }));
    try {
      const res = await fetch(`http://127.0.0.2:${relay.port}/hello`);
      expect(await res.text()).toBe('seen /hello');
    } finally {
      await relay.close();
      target.close();
    }
    await expect(fetch(`http://127.0.0.2:${relay.port}/again`)).rejects.toThrow();
  });
});
