import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreatePullThroughCacheRuleCommand,
  DeletePullThroughCacheRuleCommand,
  DescribeImagesCommand,
  DescribePullThroughCacheRulesCommand,
  DescribeRepositoriesCommand,
  UpdatePullThroughCacheRuleCommand,
  ValidatePullThroughCacheRuleCommand,
  type ECRClient,
} from '@aws-sdk/client-ecr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDistributionRegistry, type DistributionRegistry } from '../support/distribution-registry.js';
import { buildImage, buildMultiArchImage, pushImageLayout, type BuiltImage, type MultiArchImage } from '../support/oci-image.js';
import { useTestRegistry } from './harness.js';
import { skopeo } from './tools.js';
import { v2 } from './v2-client.js';

const reg = useTestRegistry();
let ecr: ECRClient;
let upstream: DistributionRegistry;
let image: BuiltImage;
let multi: MultiArchImage;
let work: string;

beforeAll(async () => {
  ecr = reg().ecr();
  work = mkdtempSync(join(tmpdir(), 'minato-ptc-'));
  upstream = await startDistributionRegistry();
  image = await buildImage({ files: { '/hello': 'from upstream' }, layers: [{ files: { '/second': 'layer two' } }] });
  multi = await buildMultiArchImage([
    { files: { '/arch': 'amd64' }, platform: { os: 'linux', architecture: 'amd64' } },
    { files: { '/arch': 'arm64' }, platform: { os: 'linux', architecture: 'arm64' } },
  ]);
  await pushImageLayout(image.dir, `${upstream.host}/library/hello:1`);
  await pushImageLayout(multi.dir, `${upstream.host}/library/multi:1`);
});
afterAll(async () => {
  await upstream?.stop();
  await image?.cleanup();
  await multi?.cleanup();
  if (work) rmSync(work, { recursive: true, force: true });
});

async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    return (err as Error).name;
  }
  throw new Error('expected the call to fail');
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('pull through cache rules', () => {
  it('creates, describes, validates, updates and deletes rules', async () => {
    const created = await ecr.send(new CreatePullThroughCacheRuleCommand({ ecrRepositoryPrefix: 'hub', upstreamRegistryUrl: upstream.url }));
    expect(created).toMatchObject({ ecrRepositoryPrefix: 'hub', upstreamRegistryUrl: upstream.url, registryId: '000000000000' });
    expect(await failure(ecr.send(new CreatePullThroughCacheRuleCommand({ ecrRepositoryPrefix: 'hub', upstreamRegistryUrl: upstream.url })))).toBe('PullThroughCacheRuleAlreadyExistsException');
    const valid = await ecr.send(new ValidatePullThroughCacheRuleCommand({ ecrRepositoryPrefix: 'hub' }));
    expect(valid.isValid).toBe(true);
    await ecr.send(new CreatePullThroughCacheRuleCommand({ ecrRepositoryPrefix: 'dead', upstreamRegistryUrl: `http://127.0.0.1:${await closedPort()}` }));
    const invalid = await ecr.send(new ValidatePullThroughCacheRuleCommand({ ecrRepositoryPrefix: 'dead' }));
    expect(invalid.isValid).toBe(false);
    expect(invalid.failure).toMatch(/could not be reached/);
    const described = await ecr.send(new DescribePullThroughCacheRulesCommand({}));
    expect(described.pullThroughCacheRules!.map((r) => r.ecrRepositoryPrefix)).toEqual(['dead', 'hub']);
    const updated = await ecr.send(new UpdatePullThroughCacheRuleCommand({ ecrRepositoryPrefix: 'dead', customRoleArn: 'arn:aws:iam::000000000000:role/pull' }));
    expect(updated.customRoleArn).toBe('arn:aws:iam::000000000000:role/pull');
    await ecr.send(new DeletePullThroughCacheRuleCommand({ ecrRepositoryPrefix: 'dead' }));
    expect(await failure(ecr.send(new DescribePullThroughCacheRulesCommand({ ecrRepositoryPrefixes: ['dead'] })))).toBe('PullThroughCacheRuleNotFoundException');
    expect(await failure(ecr.send(new CreatePullThroughCacheRuleCommand({ ecrRepositoryPrefix: 'bad', upstreamRegistryUrl: 'ftp://x' })))).toBe('InvalidParameterException');
  });

  it('pulls an image through the cache: repository created, blobs verified, served from then on', async () => {
    const out = join(work, 'pulled');
    const copied = await skopeo(work, 'copy', '--src-tls-verify=false', '--src-creds', 'test:test', `docker://${reg().host}/hub/library/hello:1`, `oci:${out}:x`);
    expect(copied.stderr).toBe('');
    const index = JSON.parse(readFileSync(join(out, 'index.json'), 'utf8')) as { manifests: Array<{ digest: string }> };
    expect(index.manifests[0]!.digest).toBe(image.manifestDigest);
    const repos = await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['hub/library/hello'] }));
    expect(repos.repositories![0]!.repositoryName).toBe('hub/library/hello');
    const images = await ecr.send(new DescribeImagesCommand({ repositoryName: 'hub/library/hello' }));
    expect(images.imageDetails![0]).toMatchObject({ imageDigest: image.manifestDigest, imageTags: ['1'] });
    // Cached: it is served even with the upstream gone.
    await upstream.stop();
    const again = await v2(reg(), 'GET', '/v2/hub/library/hello/manifests/1');
    expect(again.status).toBe(200);
    for (const layer of image.layers) expect((await v2(reg(), 'HEAD', `/v2/hub/library/hello/blobs/${layer.digest}`)).status).toBe(200);
  });

  it('answers MANIFEST_UNKNOWN for images the upstream does not have, and NAME_UNKNOWN outside any rule', async () => {
    upstream = await startDistributionRegistry();
    await pushImageLayout(multi.dir, `${upstream.host}/library/multi:1`);
    await ecr.send(new CreatePullThroughCacheRuleCommand({ ecrRepositoryPrefix: 'mirror', upstreamRegistryUrl: upstream.url }));
    expect((await v2(reg(), 'GET', '/v2/mirror/library/nothing/manifests/1')).code).toBe('MANIFEST_UNKNOWN');
    // Nothing was pulled, so no repository was created.
    expect(await failure(ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['mirror/library/nothing'] })))).toBe('RepositoryNotFoundException');
    expect((await v2(reg(), 'GET', '/v2/elsewhere/thing/manifests/1')).code).toBe('NAME_UNKNOWN');
    const index = await v2(reg(), 'GET', '/v2/mirror/library/multi/manifests/1');
    expect(index.status).toBe(200);
    expect(index.headers.get('docker-content-digest')).toBe(multi.descriptor.digest);
    for (const child of multi.manifests) expect((await v2(reg(), 'HEAD', `/v2/mirror/library/multi/manifests/${child.digest}`)).status).toBe(200);
  });
});
