import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { buildFrontDoor, DEFAULT_BODY_LIMIT } from './http-server.js';
import type { RequestTimeouts } from './request-timeouts.js';

const IDLE_MS = 600;
const apps: FastifyInstance[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  for (const a of apps.splice(0)) await a.close();
});

/** A route that answers only after `IDLE_MS * 2`, to show that a slow handler is not cut. */
async function slowRoutes(app: FastifyInstance): Promise<void> {
  app.post('/slow', async (req) => {
    await sleep(IDLE_MS * 2);
    return { got: (req.body as Buffer).length };
  });
  app.get('/slow', async () => {
    await sleep(IDLE_MS * 2);
    return { ok: true };
  });
}

async function frontDoor(timeouts: Partial<RequestTimeouts>): Promise<{ app: FastifyInstance; port: number }> {
  const app = buildFrontDoor({
    accountId: '000000000000',
    credentials: new Map([['test', 'test']]),
    services: [],
    routes: [slowRoutes],
    logger: pino({ level: 'silent' }),
    bodyLimit: DEFAULT_BODY_LIMIT,
    timeouts,
  });
  apps.push(app);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  return { app, port: typeof address === 'object' && address ? address.port : 0 };
}

/** A raw client: what it received, and when the server closed the connection (ms after connecting). */
async function rawClient(port: number): Promise<{ socket: Socket; received: () => string; closed: Promise<number> }> {
  const socket = connect({ host: '127.0.0.1', port });
  sockets.push(socket);
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const started = performance.now();
  let text = '';
  socket.on('data', (d: Buffer) => (text += d.toString()));
  socket.on('error', () => undefined);
  const closed = new Promise<number>((resolve) => socket.once('close', () => resolve(performance.now() - started)));
  return { socket, received: () => text, closed };
}

const head = (method: string, path: string, length?: number) =>
  `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\n${length === undefined ? '' : `Content-Length: ${length}\r\n`}\r\n`;

describe('request timeouts', () => {
  it('answers 408 RequestTimeoutException and closes when a body never arrives', async () => {
    const { port } = await frontDoor({ idleMs: IDLE_MS });
    const c = await rawClient(port);
    c.socket.write(head('POST', '/', 100));
    c.socket.write('{"part":');
    const closedAfter = await c.closed;
    expect(closedAfter).toBeGreaterThanOrEqual(IDLE_MS * 0.9);
    expect(closedAfter).toBeLessThan(IDLE_MS + 5_000);
    expect(c.received()).toMatch(/^HTTP\/1\.1 408 /);
    expect(c.received()).toMatch(/x-amzn-ErrorType: RequestTimeoutException/i);
    expect(c.received()).toContain('"__type":"RequestTimeoutException"');
  });

  it('times silence, not the whole body: one that keeps arriving is read however long it takes', async () => {
    const { port } = await frontDoor({ idleMs: IDLE_MS });
    const c = await rawClient(port);
    const chunks = 6;
    c.socket.write(head('POST', '/slow', chunks));
    // Six pauses of half the idle timeout: longer than the timeout in all, never silent that long.
    for (let i = 0; i < chunks; i++) {
      await sleep(IDLE_MS / 2);
      c.socket.write('x');
    }
    for (let waited = 0; !c.received().includes('\r\n\r\n{') && waited < 10_000; waited += 50) await sleep(50);
    expect(c.received()).toMatch(/^HTTP\/1\.1 200 /);
    expect(c.received()).toContain('{"got":6}');
  });

  it('lets a handler take longer than the idle timeout once the request has arrived', async () => {
    const { port } = await frontDoor({ idleMs: IDLE_MS });
    for (const request of [head('GET', '/slow'), `${head('POST', '/slow', 2)}ab`]) {
      const c = await rawClient(port);
      c.socket.write(request);
      for (let waited = 0; !c.received().includes('\r\n\r\n{') && waited < 10_000; waited += 50) await sleep(50);
      expect(c.received()).toMatch(/^HTTP\/1\.1 200 /);
      c.socket.destroy();
    }
  });

  it('closes a connection whose headers never end', async () => {
    const { port } = await frontDoor({ idleMs: IDLE_MS });
    const c = await rawClient(port);
    c.socket.write('POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    const closedAfter = await c.closed;
    // Node checks header deadlines once a second here.
    expect(closedAfter).toBeLessThan(IDLE_MS + 5_000);
    expect(c.received()).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('closes within the grace period while a request is still in flight', async () => {
    const { app, port } = await frontDoor({ idleMs: 60_000, closeGraceMs: 300 });
    const c = await rawClient(port);
    c.socket.write(head('POST', '/', 100));
    await sleep(100);
    const started = performance.now();
    await app.close();
    apps.splice(apps.indexOf(app), 1);
    expect(performance.now() - started).toBeLessThan(5_000);
    await c.closed;
  });
});
