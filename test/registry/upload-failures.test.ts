import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestRegistry, type TestRegistry } from './harness.js';
import { sha256, v2 } from './v2-client.js';

/** The registry's clock runs `skew` ms ahead of real time, so tests can let sessions expire. */
let skew = 0;
const reg = useTestRegistry({ clock: () => Date.now() + skew, uploadTtlMs: 60_000 });
const scope = () => ({ accountId: '000000000000', region: 'us-east-1', principalArn: 'arn:aws:iam::000000000000:root', now: new Date() });

beforeAll(async () => {
  await reg().registry.repositories.create(scope(), { repositoryName: 'fail/app' });
});

/** Every file under the registry's blob directory. */
async function blobFiles(r: TestRegistry): Promise<string[]> {
  const root = join(r.dataDir, 'registry', 'blobs');
  const found: string[] = [];
  for (const alg of await readdir(root).catch(() => [])) {
    for (const prefix of await readdir(join(root, alg))) for (const hex of await readdir(join(root, alg, prefix))) found.push(`${alg}:${hex}`);
  }
  return found;
}

/**
 * Sends `sent` bytes of a body that announces `announced` bytes, then cuts the connection: a
 * client that goes away mid-upload. Resolves once the socket is closed.
 */
async function disconnectMidBody(r: TestRegistry, method: string, path: string, sent: Buffer, announced: number, headers: Record<string, string> = {}): Promise<void> {
  const url = new URL(path, r.endpoint);
  await new Promise<void>((resolve) => {
    const req = request({ host: url.hostname, port: url.port, method, path: url.pathname + url.search, headers: { authorization: r.basic, 'content-length': String(announced), 'content-type': 'application/octet-stream', ...headers } });
    req.on('error', () => resolve());
    req.on('close', () => resolve());
    req.write(sent, () => {
      // Give the server a moment to write what it received, then vanish.
      setTimeout(() => req.destroy(), 100);
    });
  });
}

/** Polls until `check` passes (the server notices a disconnect asynchronously); bounded. */
async function eventually(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await check()) return;
    await sleep(20);
  }
  throw new Error('condition not reached within 2 s');
}

describe('uploads that go wrong', () => {
  it('keeps a chunked upload resumable after the client disconnects mid-chunk, and finishes it correctly', async () => {
    const bytes = randomBytes(256 * 1024);
    const start = await v2(reg(), 'POST', '/v2/fail/app/blobs/uploads/');
    const location = start.headers.get('location')!;
    await disconnectMidBody(reg(), 'PATCH', location, bytes.subarray(0, 100_000), bytes.length, { 'content-range': `0-${bytes.length - 1}` });
    let received = 0;
    await eventually(async () => {
      const status = await v2(reg(), 'GET', location);
      received = Number(status.headers.get('range')!.split('-')[1]) + 1;
      return status.status === 204 && received === 100_000;
    });
    expect((await v2(reg(), 'HEAD', `/v2/fail/app/blobs/${sha256(bytes)}`)).status).toBe(404);
    const rest = await v2(reg(), 'PATCH', location, { body: bytes.subarray(received), headers: { 'content-range': `${received}-${bytes.length - 1}` } });
    expect(rest.headers.get('range')).toBe(`0-${bytes.length - 1}`);
    expect((await v2(reg(), 'PUT', `${location}?digest=${sha256(bytes)}`)).status).toBe(201);
    expect((await v2(reg(), 'GET', `/v2/fail/app/blobs/${sha256(bytes)}`)).body.equals(bytes)).toBe(true);
  });

  it('never shows a partial blob when a monolithic upload is cut off', async () => {
    const bytes = randomBytes(200_000);
    const digest = sha256(bytes);
    const before = await blobFiles(reg());
    await disconnectMidBody(reg(), 'POST', `/v2/fail/app/blobs/uploads/?digest=${digest}`, bytes.subarray(0, 50_000), bytes.length);
    const start = await v2(reg(), 'POST', '/v2/fail/app/blobs/uploads/');
    await disconnectMidBody(reg(), 'PUT', `${start.headers.get('location')}?digest=${digest}`, bytes.subarray(0, 70_000), bytes.length);
    await sleep(200);
    expect((await v2(reg(), 'HEAD', `/v2/fail/app/blobs/${digest}`)).status).toBe(404);
    expect(await blobFiles(reg())).toEqual(before);
  });

  it('refuses a truncated upload finished with the digest of the whole content', async () => {
    const bytes = randomBytes(50_000);
    const start = await v2(reg(), 'POST', '/v2/fail/app/blobs/uploads/');
    const location = start.headers.get('location')!;
    await v2(reg(), 'PATCH', location, { body: bytes.subarray(0, 30_000) });
    const put = await v2(reg(), 'PUT', `${location}?digest=${sha256(bytes)}`);
    expect(put.code).toBe('DIGEST_INVALID');
    expect((await v2(reg(), 'HEAD', `/v2/fail/app/blobs/${sha256(bytes)}`)).status).toBe(404);
    // The session is intact: the rest can still come.
    await v2(reg(), 'PATCH', location, { body: bytes.subarray(30_000) });
    expect((await v2(reg(), 'PUT', `${location}?digest=${sha256(bytes)}`)).status).toBe(201);
  });

  it('stores one file when many clients push the same blob at once, and all of them succeed', async () => {
    const bytes = randomBytes(512 * 1024);
    const digest = sha256(bytes);
    const results = await Promise.all(
      Array.from({ length: 8 }, async (_, i) => {
        if (i % 2) return (await v2(reg(), 'POST', `/v2/fail/app/blobs/uploads/?digest=${digest}`, { body: bytes })).status;
        const start = await v2(reg(), 'POST', '/v2/fail/app/blobs/uploads/');
        return (await v2(reg(), 'PUT', `${start.headers.get('location')}?digest=${digest}`, { body: bytes })).status;
      }),
    );
    expect(results).toEqual(Array(8).fill(201));
    expect((await blobFiles(reg())).filter((d) => d === digest)).toEqual([digest]);
    expect((await v2(reg(), 'GET', `/v2/fail/app/blobs/${digest}`)).body.equals(bytes)).toBe(true);
    expect(await readdir(join(reg().dataDir, 'registry', 'tmp'))).toEqual([]);
  });

  it('removes upload sessions idle for longer than the TTL', async () => {
    const idle = await v2(reg(), 'POST', '/v2/fail/app/blobs/uploads/');
    await v2(reg(), 'PATCH', idle.headers.get('location')!, { body: 'some bytes' });
    const id = idle.headers.get('docker-upload-uuid')!;
    expect(await readdir(join(reg().dataDir, 'registry', 'uploads'))).toContain(id);
    expect(await reg().registry.uploads.sweep()).toBe(0);
    skew = 61_000;
    const fresh = await v2(reg(), 'POST', '/v2/fail/app/blobs/uploads/');
    const removed = await reg().registry.uploads.sweep();
    skew = 0;
    expect(removed).toBeGreaterThanOrEqual(1);
    expect((await v2(reg(), 'GET', idle.headers.get('location')!)).code).toBe('BLOB_UPLOAD_UNKNOWN');
    expect(await readdir(join(reg().dataDir, 'registry', 'uploads'))).not.toContain(id);
    expect((await v2(reg(), 'GET', fresh.headers.get('location')!)).status).toBe(204);
  });
});
