/**
 * Registry authentication through a loopback proxy in front of a real registry: the Bearer token
 * flow (anonymous, and with credentials sent to the token realm) and Basic auth.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ImagePullError, ImageStore, PullErrorKind } from '../../src/agent/images/index.js';
import { startDistributionRegistry, type DistributionRegistry } from '../support/distribution-registry.js';
import { buildImage, pushImageLayout, type BuiltImage } from '../support/oci-image.js';
import { startRegistryProxy, type ProxyAuth, type RegistryProxy } from './registry-proxy.js';

let registry: DistributionRegistry;
let image: BuiltImage;
let root: string;
let proxy: RegistryProxy | undefined;

beforeAll(async () => {
  registry = await startDistributionRegistry();
  image = await buildImage({ files: { '/secret.txt': 'private' }, layers: [{ files: { '/more.txt': 'more' } }] });
  await pushImageLayout(image.dir, `${registry.host}/private/app:1`);
});

afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
  await rm(root, { recursive: true, force: true });
});

afterAll(async () => {
  await image?.cleanup();
  await registry?.stop();
});

async function through(auth: ProxyAuth): Promise<{ proxy: RegistryProxy; store: ImageStore }> {
  proxy = await startRegistryProxy({ upstream: registry.url, auth });
  root = await mkdtemp(join(tmpdir(), 'minato-images-'));
  return { proxy, store: new ImageStore(root) };
}

const basic = (username: string, password: string) => `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

describe('Bearer token auth', () => {
  it('follows the challenge anonymously, then reuses the token', async () => {
    const { proxy: p, store } = await through({ scheme: 'bearer' });
    const pulled = await store.pull(`${p.host}/private/app:1`);
    expect(pulled.layerDirs).toHaveLength(2);
    // One 401 and one token request; every later request carries the token straight away.
    expect(p.requests.filter((r) => r.startsWith('GET /token'))).toEqual([`GET /token?service=test-registry&scope=${encodeURIComponent('repository:private/app:pull')}`]);
    expect(p.tokenAuthorizations).toEqual([undefined]);
    expect(p.requests).toHaveLength(1 + 1 + 1 + 1 + 1 + 2); // HEAD (401), token, HEAD, manifest, config, 2 layers
  });

  it('sends the credentials to the token realm', async () => {
    const { proxy: p, store } = await through({ scheme: 'bearer', username: 'AWS', password: 'token-password' });
    await store.pull(`${p.host}/private/app:1`, { auth: { username: 'AWS', password: 'token-password' } });
    expect(p.tokenAuthorizations).toEqual([basic('AWS', 'token-password')]);
  });

  it('reports refused credentials', async () => {
    const { proxy: p, store } = await through({ scheme: 'bearer', username: 'AWS', password: 'right' });
    const err = await store.pull(`${p.host}/private/app:1`, { auth: { username: 'AWS', password: 'wrong' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImagePullError);
    expect((err as ImagePullError).kind).toBe(PullErrorKind.Unauthorized);
    expect((err as Error).message).toBe(
      `CannotPullContainerError: pull image manifest has been retried 1 time(s): failed to resolve ref ${p.host}/private/app:1: failed to authorize: failed to fetch token: unexpected status from GET request to http://${p.host}/token?service=test-registry&scope=repository%3Aprivate%2Fapp%3Apull: 401 Unauthorized`,
    );
  });
});

describe('Basic auth', () => {
  it('answers the challenge with the credentials', async () => {
    const { proxy: p, store } = await through({ scheme: 'basic', username: 'user', password: 'pass' });
    const pulled = await store.pull(`${p.host}/private/app:1`, { auth: { username: 'user', password: 'pass' } });
    expect(pulled.layerDirs).toHaveLength(2);
    expect(p.requests.filter((r) => r.startsWith('HEAD'))).toHaveLength(2);
  });

  it('fails without credentials', async () => {
    const { proxy: p, store } = await through({ scheme: 'basic', username: 'user', password: 'pass' });
    const err = await store.pull(`${p.host}/private/app:1`).catch((e: unknown) => e);
    expect((err as ImagePullError).kind).toBe(PullErrorKind.Unauthorized);
    expect((err as Error).message).toBe(
      `CannotPullContainerError: pull image manifest has been retried 1 time(s): failed to resolve ref ${p.host}/private/app:1: unexpected status from HEAD request to http://${p.host}/v2/private/app/manifests/1: 401 Unauthorized`,
    );
  });
});
