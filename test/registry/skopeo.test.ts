import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateRepositoryCommand, GetAuthorizationTokenCommand, type ECRClient } from '@aws-sdk/client-ecr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDistributionRegistry, type DistributionRegistry } from '../support/distribution-registry.js';
import { buildImage, buildMultiArchImage, pushImageLayout, type BuiltImage, type MultiArchImage } from '../support/oci-image.js';
import { useTestRegistry } from './harness.js';
import { skopeo, skopeoWithInput } from './tools.js';

const reg = useTestRegistry();
let ecr: ECRClient;
let work: string;
let image: BuiltImage;
let multi: MultiArchImage;
let peer: DistributionRegistry;

beforeAll(async () => {
  ecr = reg().ecr();
  work = mkdtempSync(join(tmpdir(), 'minato-skopeo-'));
  for (const name of ['sk/app', 'sk/multi', 'sk/archive', 'sk/from-peer']) await ecr.send(new CreateRepositoryCommand({ repositoryName: name }));
  image = await buildImage({ busybox: true, files: { '/app/hello.txt': 'hello' }, layers: [{ files: { '/app/second.txt': 'second layer' } }] });
  multi = await buildMultiArchImage([
    { busybox: true, files: { '/arch': 'amd64' }, platform: { os: 'linux', architecture: 'amd64' } },
    { files: { '/arch': 'arm64' }, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
  ]);
  peer = await startDistributionRegistry();
  // Logged in as skopeo users do: user AWS, the password from GetAuthorizationToken on stdin.
  const token = (await ecr.send(new GetAuthorizationTokenCommand({}))).authorizationData![0]!.authorizationToken!;
  const password = Buffer.from(token, 'base64').toString('utf8').slice('AWS:'.length);
  const login = await skopeoWithInput(work, password, 'login', '--tls-verify=false', '--username', 'AWS', '--password-stdin', reg().host);
  if (login.code !== 0) throw new Error(`skopeo login failed: ${login.stderr}`);
});

afterAll(async () => {
  await peer?.stop();
  await image?.cleanup();
  await multi?.cleanup();
  if (work) rmSync(work, { recursive: true, force: true });
});

const layoutDigest = (dir: string): string => (JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as { manifests: Array<{ digest: string }> }).manifests[0]!.digest;

async function ok(promise: ReturnType<typeof skopeo>): Promise<string> {
  const res = await promise;
  if (res.code !== 0) throw new Error(`skopeo failed (${res.code}): ${res.stderr}`);
  return res.stdout;
}

describe('skopeo against the registry', () => {
  it('logs in with the ECR token: a wrong password is refused', async () => {
    const bad = await skopeoWithInput(join(work, 'other'), 'not-a-token', 'login', '--tls-verify=false', '--username', 'AWS', '--password-stdin', reg().host);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/401|unauthorized|invalid username\/password/i);
  });

  it('copies a multi-layer OCI image in and out, digests unchanged', async () => {
    await ok(skopeo(work, 'copy', '--dest-tls-verify=false', `oci:${image.dir}:latest`, `docker://${reg().host}/sk/app:v1`));
    const inspected = JSON.parse(await ok(skopeo(work, 'inspect', '--tls-verify=false', `docker://${reg().host}/sk/app:v1`))) as { Digest: string; Layers: string[] };
    expect(inspected.Digest).toBe(image.manifestDigest);
    expect(inspected.Layers).toEqual(image.layers.map((l) => l.digest));
    const out = join(work, 'out-app');
    await ok(skopeo(work, 'copy', '--src-tls-verify=false', `docker://${reg().host}/sk/app:v1`, `oci:${out}:copy`));
    expect(layoutDigest(out)).toBe(image.manifestDigest);
    const tags = JSON.parse(await ok(skopeo(work, 'list-tags', '--tls-verify=false', `docker://${reg().host}/sk/app`))) as { Tags: string[] };
    expect(tags.Tags).toEqual(['v1']);
  });

  it('copies a multi-arch image with --all, every platform included', async () => {
    await ok(skopeo(work, 'copy', '--all', '--dest-tls-verify=false', `oci:${multi.dir}:latest`, `docker://${reg().host}/sk/multi:latest`));
    const raw = JSON.parse(await ok(skopeo(work, 'inspect', '--raw', '--tls-verify=false', `docker://${reg().host}/sk/multi:latest`))) as { manifests: Array<{ digest: string }> };
    expect(raw.manifests.map((m) => m.digest)).toEqual(multi.manifests.map((m) => m.digest));
    const arm = JSON.parse(await ok(skopeo(work, 'inspect', '--tls-verify=false', '--override-arch', 'arm64', '--override-variant', 'v8', `docker://${reg().host}/sk/multi:latest`))) as { Architecture: string };
    expect(arm.Architecture).toBe('arm64');
    const out = join(work, 'out-multi');
    await ok(skopeo(work, 'copy', '--all', '--src-tls-verify=false', `docker://${reg().host}/sk/multi:latest`, `oci:${out}:copy`));
    expect(layoutDigest(out)).toBe(multi.descriptor.digest);
  });

  it('copies from a docker-archive (Docker schema 2) and back out to one', async () => {
    const archive = join(work, 'image.tar');
    await ok(skopeo(work, 'copy', `oci:${image.dir}:latest`, `docker-archive:${archive}:sk/archive:v1`));
    await ok(skopeo(work, 'copy', '--dest-tls-verify=false', `docker-archive:${archive}`, `docker://${reg().host}/sk/archive:v1`));
    const raw = JSON.parse(await ok(skopeo(work, 'inspect', '--raw', '--tls-verify=false', `docker://${reg().host}/sk/archive:v1`))) as { mediaType: string };
    expect(raw.mediaType).toBe('application/vnd.docker.distribution.manifest.v2+json');
    const back = join(work, 'back.tar');
    await ok(skopeo(work, 'copy', '--src-tls-verify=false', `docker://${reg().host}/sk/archive:v1`, `docker-archive:${back}:sk/archive:v1`));
    const config = JSON.parse(await ok(skopeo(work, 'inspect', '--config', `docker-archive:${back}`))) as { rootfs: { diff_ids: string[] } };
    expect(config.rootfs.diff_ids).toEqual(image.diffIds);
  });

  it('exchanges images with a CNCF Distribution registry in both directions', async () => {
    const pushed = await pushImageLayout(image.dir, `${peer.host}/team/app:1`);
    await ok(skopeo(work, 'copy', '--src-tls-verify=false', '--dest-tls-verify=false', `docker://${peer.host}/team/app:1`, `docker://${reg().host}/sk/from-peer:1`));
    const ours = JSON.parse(await ok(skopeo(work, 'inspect', '--raw', '--tls-verify=false', `docker://${reg().host}/sk/from-peer:1`)));
    const theirs = JSON.parse(await ok(skopeo(work, 'inspect', '--raw', '--tls-verify=false', `docker://${peer.host}/team/app:1`)));
    expect(ours).toEqual(theirs);
    await ok(skopeo(work, 'copy', '--all', '--src-tls-verify=false', '--dest-tls-verify=false', `docker://${reg().host}/sk/multi:latest`, `docker://${peer.host}/team/multi:1`));
    const peerIndex = JSON.parse(await ok(skopeo(work, 'inspect', '--raw', '--tls-verify=false', `docker://${peer.host}/team/multi:1`))) as { manifests: Array<{ digest: string }> };
    expect(peerIndex.manifests.map((m) => m.digest)).toEqual(multi.manifests.map((m) => m.digest));
    expect(pushed.digest).toBe(image.manifestDigest);
  });

  it('deletes an image by digest', async () => {
    await ok(skopeo(work, 'delete', '--tls-verify=false', `docker://${reg().host}/sk/app@${image.manifestDigest}`));
    const gone = await skopeo(work, 'inspect', '--tls-verify=false', `docker://${reg().host}/sk/app:v1`);
    expect(gone.code).not.toBe(0);
    expect(gone.stderr).toMatch(/manifest unknown/i);
  });
});
