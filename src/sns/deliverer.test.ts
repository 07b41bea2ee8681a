import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryStore } from '../store/memory-store.js';
import { Deliverer, DELIVERIES, type PendingDelivery } from './deliverer.js';
import { DEFAULT_RETRY_POLICY } from './delivery-policy.js';

/** A loopback endpoint answering the given statuses in turn (then 200), recording arrival times. */
async function endpoint(statuses: number[]): Promise<{ url: string; hits: Array<{ at: number; body: string; status: number }>; server: Server }> {
  const hits: Array<{ at: number; body: string; status: number }> = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const status = statuses.shift() ?? 200;
      hits.push({ at: Date.now(), body, status });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, hits, server };
}

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
});

const until = async (check: () => boolean, ms = 5000) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('Deliverer', () => {
  it('retries failures on the policy schedule and forgets the delivery once it is delivered', async () => {
    const e = await endpoint([500, 503]);
    servers.push(e.server);
    const store = new MemoryStore();
    const d = new Deliverer(store, { delayUnitMs: 5 });
    await d.enqueue({ id: 'a', endpoint: e.url, headers: { 'x-amz-sns-message-type': 'Notification' }, body: 'hello', policy: DEFAULT_RETRY_POLICY });
    await until(() => e.hits.length === 3);
    expect(e.hits.map((h) => h.status)).toEqual([500, 503, 200]);
    // 20 policy seconds at 5 ms each.
    expect(e.hits[1]!.at - e.hits[0]!.at).toBeGreaterThanOrEqual(95);
    await until(emptied(store));
    await d.stop();
  });

  it('gives up after numRetries retries', async () => {
    const e = await endpoint([500, 500, 500, 500, 500, 500]);
    servers.push(e.server);
    const store = new MemoryStore();
    const d = new Deliverer(store, { delayUnitMs: 1 });
    await d.enqueue({ id: 'b', endpoint: e.url, headers: {}, body: 'x', policy: DEFAULT_RETRY_POLICY });
    await until(() => e.hits.length === 4);
    await new Promise((r) => setTimeout(r, 200));
    expect(e.hits).toHaveLength(4);
    expect(await store.collection(DELIVERIES).list()).toEqual([]);
    await d.stop();
  });

  it('resumes a pending delivery after a restart, with the attempts it had made', async () => {
    const e = await endpoint([500]);
    servers.push(e.server);
    const store = new MemoryStore();
    const first = new Deliverer(store, { delayUnitMs: 50 });
    await first.enqueue({ id: 'c', endpoint: e.url, headers: {}, body: 'persisted', policy: DEFAULT_RETRY_POLICY });
    await until(() => e.hits.length === 1);
    await first.stop();
    const [left] = await store.collection<PendingDelivery>(DELIVERIES).list();
    expect(left!.value).toMatchObject({ id: 'c', attempts: 1 });
    await new Promise((r) => setTimeout(r, 1200));
    // Stopped: nothing more was attempted.
    expect(e.hits).toHaveLength(1);
    const second = new Deliverer(store, { delayUnitMs: 50 });
    await second.start();
    await until(() => e.hits.length === 2);
    expect(e.hits[1]!.body).toBe('persisted');
    await until(emptied(store));
    await second.stop();
  });
});

/** A synchronous check over the store's last known emptiness (polled). */
function emptied(store: MemoryStore): () => boolean {
  let empty = false;
  return () => {
    void store.collection(DELIVERIES).list().then((rows) => (empty = rows.length === 0));
    return empty;
  };
}
