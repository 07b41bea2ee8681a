import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateRepositoryCommand, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildImage, pushImageLayout, type BuiltImage } from '../support/oci-image.js';
import { useTestRegistry } from './harness.js';
import { startProxyRegistry, type ProxyRegistry } from './proxy-registry.js';
import { skopeo } from './tools.js';

const reg = useTestRegistry();
let image: BuiltImage;
let work: string;
const proxies: ProxyRegistry[] = [];

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'minato-registry-client-'));
  await reg().ecr().send(new CreateRepositoryCommand({ repositoryName: 'origin/app' }));
  image = await buildImage({ files: { '/hello': 'lives in minato' }, layers: [{ files: { '/second': 'second layer' } }] });
  await pushImageLayout(image.dir, `${reg().host}/origin/app:v1`, { auth: { username: 'test', password: 'test' } });
});

afterAll(async () => {
  for (const proxy of proxies) await proxy.stop();
  await image?.cleanup();
  if (work) rmSync(work, { recursive: true, force: true });
});

async function loginPassword(): Promise<string> {
  const data = (await reg().ecr().send(new GetAuthorizationTokenCommand({}))).authorizationData![0]!;
  return Buffer.from(data.authorizationToken!, 'base64').toString('utf8').slice('AWS:'.length);
}

describe('CNCF Distribution in proxy mode, pulling through minato', () => {
  it('logs in with user AWS and the ECR token (Bearer flow) and serves the image skopeo copies out of it', async () => {
    const proxy = await startProxyRegistry({ url: reg().endpoint, username: 'AWS', password: await loginPassword() });
    proxies.push(proxy);
    // Distribution keeps the configured credentials only for Bearer realms it discovered at start.
    expect(proxy.log()).toContain(`Discovered token authentication URL: ${reg().endpoint}/registry/token`);
    const out = join(work, 'copied');
    const copied = await skopeo(work, 'copy', '--src-tls-verify=false', `docker://${proxy.host}/origin/app:v1`, `oci:${out}:x`);
    expect(copied.stderr).toBe('');
    expect(copied.code).toBe(0);
    const index = JSON.parse(readFileSync(join(out, 'index.json'), 'utf8')) as { manifests: Array<{ digest: string }> };
    expect(index.manifests[0]!.digest).toBe(image.manifestDigest);
    for (const layer of image.layers) expect(readFileSync(join(out, 'blobs', 'sha256', layer.digest.slice('sha256:'.length))).length).toBe(layer.size);
  });

  it('gets nothing with a wrong password', async () => {
    const proxy = await startProxyRegistry({ url: reg().endpoint, username: 'AWS', password: 'not-a-token' });
    proxies.push(proxy);
    const copied = await skopeo(work, 'copy', '--src-tls-verify=false', `docker://${proxy.host}/origin/app:v1`, `oci:${join(work, 'nothing')}:x`);
    expect(copied.code).not.toBe(0);
  });
});
