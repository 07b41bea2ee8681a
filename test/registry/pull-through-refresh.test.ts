import { CreatePullThroughCacheRuleCommand, CreateRepositoryCommand, ValidatePullThroughCacheRuleCommand, type ECRClient } from '@aws-sdk/client-ecr';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startDistributionRegistry, type DistributionRegistry } from '../support/distribution-registry.js';
import { buildImage, pushImageLayout, type BuiltImage } from '../support/oci-image.js';
import { startCountingProxy, type CountingProxy } from './counting-proxy.js';
import { startTestRegistry, type TestRegistry } from './harness.js';
import { v2 } from './v2-client.js';

/** The refresh interval of this file's registry (ECR's is a day; a rule's tests need it short). */
const INTERVAL_MS = 1000;
const UPSTREAM_USER = { username: 'puller', password: 'upstream-secret' };
const SECRET = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:ecr-pullthroughcache/up-AbCdEf';
const WRONG_SECRET = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:ecr-pullthroughcache/wrong-AbCdEf';
const MINATO_SECRET = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:ecr-pullthroughcache/peer-AbCdEf';
const secrets = new Map([
  [SECRET, JSON.stringify({ username: UPSTREAM_USER.username, accessToken: UPSTREAM_USER.password })],
  [WRONG_SECRET, JSON.stringify({ username: UPSTREAM_USER.username, accessToken: 'wrong' })],
  [MINATO_SECRET, JSON.stringify({ username: 'test', password: 'test' })],
]);

let now = Date.parse('2026-03-01T00:00:00Z');
const warnings: Array<{ obj: object; msg: string }> = [];
let reg: TestRegistry;
let ecr: ECRClient;
let upstream: DistributionRegistry;
let proxy: CountingProxy;
let v1: BuiltImage;
let v2image: BuiltImage;

beforeAll(async () => {
  upstream = await startDistributionRegistry({ htpasswd: UPSTREAM_USER });
  proxy = await startCountingProxy(upstream.url);
  reg = await startTestRegistry({
    clock: () => now,
    pullThroughRefreshMs: INTERVAL_MS,
    resolveSecret: async (arn) => {
      const value = secrets.get(arn);
      if (value === undefined) throw new Error(`Secrets Manager can't find the specified secret ${arn}`);
      return value;
    },
    logger: { warn: (obj, msg) => void warnings.push({ obj, msg }) },
  });
  ecr = reg.ecr();
  v1 = await buildImage({ files: { '/version': 'one' } });
  v2image = await buildImage({ files: { '/version': 'two' }, layers: [{ files: { '/extra': 'only in two' } }] });
  await pushImageLayout(v1.dir, `${upstream.host}/library/app:latest`, { auth: UPSTREAM_USER });
  await pushImageLayout(v1.dir, `${upstream.host}/library/stable:1`, { auth: UPSTREAM_USER });
  await ecr.send(new CreatePullThroughCacheRuleCommand({ ecrRepositoryPrefix: 'up', upstreamRegistryUrl: proxy.url, credentialArn: SECRET }));
});

afterAll(async () => {
  await reg?.close();
  await proxy?.close();
  await upstream?.stop();
  await v1?.cleanup();
  await v2image?.cleanup();
});

beforeEach(() => {
  proxy.mode = 'forward';
  proxy.clear();
});

const digestOf = async (path: string, method = 'GET') => {
  const res = await v2(reg, method, path);
  if (res.status !== 200) throw new Error(`${method} ${path}: ${res.status} ${res.text}`);
  return res.headers.get('docker-content-digest');
};
const checkRecord = (name: string, tag: string) =>
  reg.registry.repositories.find('us-east-1', name).then((repo) => reg.registry.options.store.collection<{ checkedAt?: number; failedAt?: number; failure?: string }>('ecr-pull-through-checks').get(`${repo!.uid}/${tag}`));

describe('pull through cache against an upstream that requires credentials', () => {
  it('fetches a miss with the username and accessToken of the rule\'s secret', async () => {
    expect(await digestOf('/v2/up/library/app/manifests/latest')).toBe(v1.manifestDigest);
    // Anonymous first, then the answer to the upstream's Basic challenge.
    expect(proxy.count('GET', /^\/v2\/library\/app\/manifests\/latest$/)).toBe(2);
    for (const layer of v1.layers) expect((await v2(reg, 'HEAD', `/v2/up/library/app/blobs/${layer.digest}`)).status).toBe(200);
    expect((await ecr.send(new ValidatePullThroughCacheRuleCommand({ ecrRepositoryPrefix: 'up' }))).isValid).toBe(true);
  });

  it('answers DENIED when the upstream refuses the credentials, or there are none, or the secret is missing', async () => {
    await ecr.send(new CreatePullThroughCacheRuleCommand({ ecrRepositoryPrefix: 'wrong', upstreamRegistryUrl: proxy.url, credentialArn: WRONG_SECRET }));
    await ecr.send(new CreatePullThroughCacheRuleCommand({ ecrRepositoryPrefix: 'anon', upstreamRegistryUrl: proxy.url }));
    const missing = SECRET.replace('/up-', '/gone-');
    await ecr.send(new CreatePullThroughCacheRuleCommand({ ecrRepositoryPrefix: 'gone', upstreamRegistryUrl: proxy.url, credentialArn: missing }));
    for (const prefix of ['wrong', 'anon', 'gone']) {
      const res = await v2(reg, 'GET', `/v2/${prefix}/library/app/manifests/latest`);
      expect([prefix, res.status, res.code]).toEqual([prefix, 403, 'DENIED']);
    }
    expect((await v2(reg, 'GET', '/v2/wrong/library/app/manifests/latest')).text).toMatch(/refused access to library\/app:latest \(HTTP 401\)/);
    expect((await v2(reg, 'GET', '/v2/gone/library/app/manifests/latest')).text).toContain("can't find the specified secret");
    const invalid = await ecr.send(new ValidatePullThroughCacheRuleCommand({ ecrRepositoryPrefix: 'wrong' }));
    expect([invalid.isValid, invalid.failure]).toEqual([false, 'The upstream registry answered 401 to /v2/.']);
  });
});

describe('refreshing a cached tag', () => {
  it('does not ask the upstream again within the interval, by GET or HEAD', async () => {
    await digestOf('/v2/up/library/stable/manifests/1');
    proxy.clear();
    now += INTERVAL_MS - 1;
    expect(await digestOf('/v2/up/library/stable/manifests/1')).toBe(v1.manifestDigest);
    expect(await digestOf('/v2/up/library/stable/manifests/1', 'HEAD')).toBe(v1.manifestDigest);
    expect(await digestOf(`/v2/up/library/stable/manifests/${v1.manifestDigest}`)).toBe(v1.manifestDigest);
    expect(proxy.requests).toEqual([]);
  });

  it('picks up a re-pushed tag once the interval has passed, and only asks for the digest when nothing moved', async () => {
    await digestOf('/v2/up/library/app/manifests/latest');
    await pushImageLayout(v2image.dir, `${upstream.host}/library/app:latest`, { auth: UPSTREAM_USER });
    expect(await digestOf('/v2/up/library/app/manifests/latest')).toBe(v1.manifestDigest);
    now += INTERVAL_MS;
    proxy.clear();
    // A HEAD by tag (how containerd resolves) is a pull too.
    expect(await digestOf('/v2/up/library/app/manifests/latest', 'HEAD')).toBe(v2image.manifestDigest);
    expect(proxy.count('HEAD', /\/manifests\/latest$/)).toBeGreaterThanOrEqual(1);
    expect(await digestOf('/v2/up/library/app/manifests/latest')).toBe(v2image.manifestDigest);
    for (const layer of v2image.layers) expect((await v2(reg, 'HEAD', `/v2/up/library/app/blobs/${layer.digest}`)).status).toBe(200);
    // The old image stays, untagged, as on ECR.
    expect(await digestOf(`/v2/up/library/app/manifests/${v1.manifestDigest}`)).toBe(v1.manifestDigest);
    now += INTERVAL_MS;
    proxy.clear();
    expect(await digestOf('/v2/up/library/app/manifests/latest')).toBe(v2image.manifestDigest);
    expect(proxy.count('GET', /\/manifests\//)).toBe(0);
    expect(proxy.count('HEAD', /\/manifests\/latest$/)).toBe(1);
  });

  it('serves the cached image when the upstream fails, records and logs why, and waits before asking again', async () => {
    await digestOf('/v2/up/library/stable/manifests/1');
    for (const mode of ['fail', 'drop'] as const) {
      now += INTERVAL_MS;
      proxy.mode = mode;
      proxy.clear();
      warnings.length = 0;
      expect(await digestOf('/v2/up/library/stable/manifests/1')).toBe(v1.manifestDigest);
      expect(proxy.requests.length).toBeGreaterThan(0);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]!.obj).toMatchObject({ repository: 'up/library/stable', tag: '1', upstream: proxy.url });
      const record = await checkRecord('up/library/stable', '1');
      expect(record?.failedAt).toBe(now);
      expect(record?.failure).toMatch(mode === 'fail' ? /answered HTTP 503/ : /could not be reached/);
      // Just failed: the next pull does not wait for the upstream again.
      proxy.clear();
      expect(await digestOf('/v2/up/library/stable/manifests/1')).toBe(v1.manifestDigest);
      expect(proxy.requests).toEqual([]);
    }
    now += INTERVAL_MS;
    proxy.mode = 'forward';
    expect(await digestOf('/v2/up/library/stable/manifests/1')).toBe(v1.manifestDigest);
    expect(await checkRecord('up/library/stable', '1')).toEqual({ checkedAt: now });
  });
});

describe('a miss while the upstream is in trouble', () => {
  it('is an error the client sees: 502 UNKNOWN for failures, 429 TOOMANYREQUESTS for throttling', async () => {
    for (const [mode, status, code, message] of [
      ['fail', 502, 'UNKNOWN', /answered HTTP 503 for library\/other:1/],
      ['drop', 502, 'UNKNOWN', /could not be reached/],
      ['throttle', 429, 'TOOMANYREQUESTS', /throttling/],
    ] as const) {
      proxy.mode = mode;
      const res = await v2(reg, 'GET', '/v2/up/library/other/manifests/1');
      expect([mode, res.status, res.code]).toEqual([mode, status, code]);
      expect(res.text).toMatch(message);
      expect((await v2(reg, 'GET', `/v2/up/library/other/manifests/${v1.manifestDigest}`)).status).toBe(status);
    }
    // Nothing was fetched, so no repository was created.
    expect(await reg.registry.repositories.find('us-east-1', 'up/library/other')).toBeUndefined();
  });
});

describe('an upstream that answers with a Bearer challenge', () => {
  it('gets a token from its realm with the credentials of the secret (another minato as upstream)', async () => {
    const peer = await startTestRegistry();
    try {
      await peer.ecr().send(new CreateRepositoryCommand({ repositoryName: 'team/app' }));
      await pushImageLayout(v2image.dir, `${peer.host}/team/app:2`, { auth: { username: 'test', password: 'test' } });
      await ecr.send(new CreatePullThroughCacheRuleCommand({ ecrRepositoryPrefix: 'peer', upstreamRegistryUrl: peer.endpoint, credentialArn: MINATO_SECRET }));
      expect(await digestOf('/v2/peer/team/app/manifests/2')).toBe(v2image.manifestDigest);
      expect((await ecr.send(new ValidatePullThroughCacheRuleCommand({ ecrRepositoryPrefix: 'peer' }))).isValid).toBe(true);
    } finally {
      await peer.close();
    }
  });
});
