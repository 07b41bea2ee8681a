import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { createServer, get, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BufferPool } from '../storage/buffer-pool.js';
import { sendFileRange } from './send-file.js';

const CHUNK = 64 * 1024;
const content = randomBytes(5 * CHUNK + 123);
const pool = new BufferPool(CHUNK, 4);
let dir: string;
let server: Server;
let base: string;
/** How each download ended: 'done' or the error message. */
const outcomes: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'minato-send-file-'));
  await writeFile(join(dir, 'blob'), content);
  // `/<start>/<length>` sends that range; the length may claim more than the file holds.
  server = createServer((req, res) => {
    const [, start, length] = (req.url ?? '').split('/').map(Number) as [number, number, number];
    void (async () => {
      const file = await open(join(dir, 'blob'), 'r');
      res.writeHead(200, { 'content-length': length });
      try {
        await sendFileRange(res, file, start, length, pool);
        outcomes.push('done');
      } catch (err) {
        outcomes.push((err as Error).message);
        res.destroy();
      } finally {
        await file.close();
      }
    })();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  server.close();
  await rm(dir, { recursive: true, force: true });
});

async function download(path: string): Promise<Buffer> {
  const res = await fetch(`${base}${path}`);
  return Buffer.from(await res.arrayBuffer());
}

/** Waits (bounded) until the server has recorded `n` outcomes. */
async function outcome(n: number): Promise<string> {
  for (let i = 0; i < 200 && outcomes.length < n; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  return outcomes[n - 1] ?? 'none';
}

describe('sending a file range through pooled buffers', () => {
  it('sends whole files and ranges byte for byte, over many chunks, and returns its buffers', async () => {
    expect((await download(`/0/${content.length}`)).equals(content)).toBe(true);
    expect(await outcome(1)).toBe('done');
    expect((await download(`/${CHUNK - 1}/${2 * CHUNK + 7}`)).equals(content.subarray(CHUNK - 1, 3 * CHUNK + 6))).toBe(true);
    expect(await outcome(2)).toBe('done');
    expect((await download('/5/1')).equals(content.subarray(5, 6))).toBe(true);
    expect(await outcome(3)).toBe('done');
    expect(pool.idle).toBe(2);
  });

  it('gives up when the file holds less than announced', async () => {
    await download(`/${content.length - 10}/100`).catch(() => Buffer.alloc(0));
    expect(await outcome(4)).toBe(`blob file ended after 10 of 100 bytes`);
  });

  it('ends, and does not hang, when the client goes away mid-download', async () => {
    const big = `/0/${content.length}`;
    await new Promise<void>((resolve) => {
      const req = get(`${base}${big}`, (res) => {
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.on('error', () => undefined);
    });
    // Either the write fails (reset) or the response closes first: both end the download.
    expect(await outcome(5)).toMatch(/^(the client went away|write ECONNRESET|write EPIPE)$/);
  });
});
