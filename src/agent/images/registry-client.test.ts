import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { MANIFEST_ACCEPT } from './manifest.js';
import { PullErrorKind, RegistryError } from './pull-error.js';
import { RegistryClient, isLoopbackRegistry, registryBaseUrl } from './registry-client.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

/** A fake registry on a free loopback port; every request is recorded. */
async function fakeServer(handler: Handler) {
  const requests: Array<{ method: string; url: string; headers: IncomingMessage['headers'] }> = [];
  const server = createServer((req, res) => {
    requests.push({ method: req.method!, url: req.url!, headers: req.headers });
    handler(req, res);
  });
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  return { host: `127.0.0.1:${port}`, requests };
}

const blob = Buffer.from('blob bytes');
const blobDigest = `sha256:${createHash('sha256').update(blob).digest('hex')}`;
const target = (host: string) => ({ registry: host, repository: 'team/app' });
const collect = async (stream: AsyncIterable<Buffer>) => {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks);
};

describe('registry addresses', () => {
  it('uses http only for loopback registries unless told', () => {
    expect(isLoopbackRegistry('localhost:5000')).toBe(true);
    expect(isLoopbackRegistry('127.1.2.3')).toBe(true);
    expect(isLoopbackRegistry('[::1]:5000')).toBe(true);
    expect(isLoopbackRegistry('localhost.example.com')).toBe(false);
    expect(isLoopbackRegistry('128.0.0.1:5000')).toBe(false);
    expect(registryBaseUrl('127.0.0.1:5000')).toBe('http://127.0.0.1:5000');
    expect(registryBaseUrl('registry-1.docker.io')).toBe('https://registry-1.docker.io');
    expect(registryBaseUrl('10.0.0.5:5000', true)).toBe('http://10.0.0.5:5000');
    expect(registryBaseUrl('localhost:5000', false)).toBe('https://localhost:5000');
  });
});

describe('RegistryClient', () => {
  it('asks for every manifest type and reports the digest of a tag', async () => {
    const manifest = Buffer.from('{"schemaVersion":2}');
    const digest = `sha256:${createHash('sha256').update(manifest).digest('hex')}`;
    const server = await fakeServer((req, res) => {
      res.writeHead(200, { 'docker-content-digest': digest, 'content-type': 'application/vnd.oci.image.manifest.v1+json' });
      res.end(req.method === 'HEAD' ? undefined : manifest);
    });
    const client = new RegistryClient();
    expect(await client.headManifest(target(server.host), 'v1')).toBe(digest);
    expect(await client.getManifest(target(server.host), 'v1')).toEqual({ bytes: manifest, digest, mediaType: 'application/vnd.oci.image.manifest.v1+json' });
    expect(server.requests.map((r) => [r.method, r.url, r.headers.accept])).toEqual([
      ['HEAD', '/v2/team/app/manifests/v1', MANIFEST_ACCEPT],
      ['GET', '/v2/team/app/manifests/v1', MANIFEST_ACCEPT],
    ]);
  });

  it('refuses a manifest that does not match the digest announced or asked for', async () => {
    const server = await fakeServer((_req, res) => {
      res.writeHead(200, { 'docker-content-digest': blobDigest });
      res.end('{"different":true}');
    });
    const client = new RegistryClient();
    await expect(client.getManifest(target(server.host), 'v1')).rejects.toThrow(/unexpected commit digest sha256:[a-f0-9]+, expected sha256:/);
    await expect(client.getManifest(target(server.host), blobDigest)).rejects.toMatchObject({ kind: PullErrorKind.Integrity });
  });

  it('follows blob redirects, sending credentials to the registry origin only', async () => {
    const storage = await fakeServer((_req, res) => res.end(blob));
    const registry = await fakeServer((req, res) => {
      if (!req.headers.authorization) {
        res.writeHead(401, { 'www-authenticate': 'Basic realm="test"' });
        res.end();
      } else if (req.url!.startsWith('/v2/team/app/blobs/')) {
        res.writeHead(307, { location: `/same-origin${req.url}` });
        res.end();
      } else {
        res.writeHead(302, { location: `http://${storage.host}/bucket/object?signature=x` });
        res.end();
      }
    });
    const client = new RegistryClient();
    const auth = { username: 'AWS', password: 'pw' };
    const bytes = await collect(await client.openBlob(target(registry.host), { mediaType: 'x', digest: blobDigest, size: blob.length }, { auth }));
    expect(bytes).toEqual(blob);
    const basic = `Basic ${Buffer.from('AWS:pw').toString('base64')}`;
    expect(registry.requests.map((r) => [r.url, r.headers.authorization])).toEqual([
      [`/v2/team/app/blobs/${blobDigest}`, undefined],
      [`/v2/team/app/blobs/${blobDigest}`, basic],
      [`/same-origin/v2/team/app/blobs/${blobDigest}`, basic],
    ]);
    expect(storage.requests.map((r) => [r.url, r.headers.authorization])).toEqual([['/bucket/object?signature=x', undefined]]);
  });

  it('reuses the answered challenge for later requests', async () => {
    const server = await fakeServer((req, res) => {
      res.writeHead(req.headers.authorization ? 200 : 401, { 'www-authenticate': 'Basic realm="test"', 'content-length': String(blob.length) });
      res.end(req.headers.authorization ? blob : undefined);
    });
    const client = new RegistryClient();
    const descriptor = { mediaType: 'x', digest: blobDigest, size: blob.length };
    const auth = { username: 'u', password: 'p' };
    await collect(await client.openBlob(target(server.host), descriptor, { auth }));
    await collect(await client.openBlob(target(server.host), descriptor, { auth }));
    expect(server.requests.map((r) => r.headers.authorization === undefined)).toEqual([true, false, false]);
  });

  it.each([
    [404, PullErrorKind.NotFound, false, /^not found$/],
    [401, PullErrorKind.Unauthorized, false, /unexpected status from HEAD request to http:\/\/.*\/v2\/team\/app\/manifests\/v1: 401 Unauthorized/],
    [503, PullErrorKind.Network, true, /503 Service Unavailable/],
    [429, PullErrorKind.Network, true, /429 Too Many Requests/],
  ])('maps HTTP %i on manifests', async (status, kind, transient, detail) => {
    const server = await fakeServer((_req, res) => {
      res.writeHead(status);
      res.end();
    });
    const err = (await new RegistryClient().headManifest(target(server.host), 'v1').catch((e: unknown) => e)) as RegistryError;
    expect(err).toBeInstanceOf(RegistryError);
    expect([err.kind, err.transient]).toEqual([kind, transient]);
    expect(err.detail).toMatch(detail);
  });

  it('names missing blobs and unreachable registries as containerd does', async () => {
    const server = await fakeServer((_req, res) => {
      res.writeHead(404);
      res.end();
    });
    const descriptor = { mediaType: 'x', digest: blobDigest, size: blob.length };
    await expect(new RegistryClient().openBlob(target(server.host), descriptor)).rejects.toThrow(
      `failed to copy: httpReadSeeker: failed open: content at http://${server.host}/v2/team/app/blobs/${blobDigest} not found: not found`,
    );
    const closed = await fakeServer(() => undefined);
    servers.pop()!.close();
    await new Promise((resolve) => setTimeout(resolve, 10));
    const err = (await new RegistryClient().headManifest(target(closed.host), 'v1').catch((e: unknown) => e)) as RegistryError;
    expect([err.kind, err.transient]).toEqual([PullErrorKind.Network, true]);
    expect(err.detail).toBe(`failed to do request: Head "http://${closed.host}/v2/team/app/manifests/v1": connect ECONNREFUSED ${closed.host}`);
  });

  it('refuses a blob whose length differs from its descriptor before reading it', async () => {
    const server = await fakeServer((_req, res) => res.end(Buffer.concat([blob, blob])));
    const descriptor = { mediaType: 'x', digest: blobDigest, size: blob.length };
    await expect(new RegistryClient().openBlob(target(server.host), descriptor)).rejects.toThrow(/unexpected commit size 20, expected 10/);
  });
});
