import { beforeAll, describe, expect, it } from 'vitest';
import { useTestRegistry } from './harness.js';
import { imageManifest, pushBlob, pushImage, sha256, v2 } from './v2-client.js';

const reg = useTestRegistry();
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const scope = () => ({ accountId: '000000000000', region: 'us-east-1', principalArn: 'arn:aws:iam::000000000000:root', now: new Date() });

beforeAll(async () => {
  for (const name of ['m/app', 'm/tags', 'm/refs', 'm/multi']) await reg().registry.repositories.create(scope(), { repositoryName: name });
  await reg().registry.repositories.create(scope(), { repositoryName: 'm/frozen', imageTagMutability: 'IMMUTABLE' });
});

const put = (path: string, body: string, contentType = OCI_MANIFEST) => v2(reg(), 'PUT', path, { body, headers: { 'content-type': contentType } });

describe('manifests', () => {
  it('pushes by tag and serves by tag and digest with the manifest media type and digest headers', async () => {
    const image = await pushImage(reg(), 'm/app', 'v1', 'layer one');
    for (const ref of ['v1', image.digest]) {
      const get = await v2(reg(), 'GET', `/v2/m/app/manifests/${ref}`, { headers: { accept: OCI_MANIFEST } });
      expect(get.status).toBe(200);
      expect(get.headers.get('content-type')).toBe(OCI_MANIFEST);
      expect(get.headers.get('docker-content-digest')).toBe(image.digest);
      expect(get.text).toBe(image.manifest);
      const head = await v2(reg(), 'HEAD', `/v2/m/app/manifests/${ref}`);
      expect(head.status).toBe(200);
      expect(head.headers.get('content-length')).toBe(String(Buffer.byteLength(image.manifest)));
      expect(head.headers.get('docker-content-digest')).toBe(image.digest);
    }
  });

  it('pushes by digest, and refuses a digest that does not match the bytes', async () => {
    const config = await pushBlob(reg(), 'm/app', '{"by":"digest"}');
    const manifest = imageManifest({ digest: config, size: 15 }, []);
    const ok = await put(`/v2/m/app/manifests/${sha256(manifest)}`, manifest);
    expect(ok.status).toBe(201);
    expect(ok.headers.get('location')).toBe(`/v2/m/app/manifests/${sha256(manifest)}`);
    const wrong = await put(`/v2/m/app/manifests/${sha256('other')}`, manifest);
    expect(wrong.status).toBe(400);
    expect(wrong.code).toBe('DIGEST_INVALID');
  });

  it('refuses manifests that reference blobs the repository does not have', async () => {
    const config = await pushBlob(reg(), 'm/app', '{"a":1}');
    const missing = sha256('never pushed');
    const res = await put('/v2/m/app/manifests/broken', imageManifest({ digest: config, size: 7 }, [{ digest: missing, size: 12 }]));
    expect(res.status).toBe(400);
    expect(res.code).toBe('MANIFEST_BLOB_UNKNOWN');
    expect((res.json as { errors: Array<{ detail: { digest: string } }> }).errors[0]!.detail.digest).toBe(missing);
    expect((await v2(reg(), 'GET', '/v2/m/app/manifests/broken')).code).toBe('MANIFEST_UNKNOWN');
    const otherRepo = await pushBlob(reg(), 'm/tags', 'elsewhere');
    const foreign = await put('/v2/m/app/manifests/foreign', imageManifest({ digest: config, size: 7 }, [{ digest: otherRepo, size: 9 }]));
    expect(foreign.code).toBe('MANIFEST_BLOB_UNKNOWN');
  });

  it('refuses invalid manifests: bad JSON, wrong schemaVersion, inconsistent media type, bad sizes, schema 1', async () => {
    const config = await pushBlob(reg(), 'm/app', '{"b":2}');
    const cases: Array<[string, string, string]> = [
      ['{', OCI_MANIFEST, 'MANIFEST_INVALID'],
      [JSON.stringify({ schemaVersion: 3, config: { mediaType: 'x', digest: config, size: 7 }, layers: [] }), OCI_MANIFEST, 'MANIFEST_INVALID'],
      [imageManifest({ digest: config, size: 7 }, []), OCI_INDEX, 'MANIFEST_INVALID'],
      [imageManifest({ digest: config, size: 8 }, []), OCI_MANIFEST, 'MANIFEST_INVALID'],
      [imageManifest({ digest: 'sha256:nothex', size: 7 }, []), OCI_MANIFEST, 'DIGEST_INVALID'],
      [JSON.stringify({ schemaVersion: 1, name: 'm/app', tag: 'x', fsLayers: [] }), 'application/vnd.docker.distribution.manifest.v1+prettyjws', 'MANIFEST_INVALID'],
    ];
    for (const [body, type, code] of cases) {
      const res = await put('/v2/m/app/manifests/invalid', body, type);
      expect({ body, status: res.status, code: res.code }).toEqual({ body, status: 400, code });
    }
  });

  it('refuses manifests above 4 MiB with 413, and invalid tags with TAG_INVALID', async () => {
    const config = await pushBlob(reg(), 'm/app', '{"c":3}');
    const huge = imageManifest({ digest: config, size: 7 }, [], { annotations: { pad: 'x'.repeat(4 * 1024 * 1024) } });
    const res = await put('/v2/m/app/manifests/huge', huge);
    expect(res.status).toBe(413);
    expect(res.code).toBe('MANIFEST_INVALID');
    const badTag = await put('/v2/m/app/manifests/-bad', imageManifest({ digest: config, size: 7 }, []));
    expect(badTag.status).toBe(400);
    expect(badTag.code).toBe('TAG_INVALID');
  });

  it('deletes a tag (the manifest stays) and a manifest by digest (its tags go)', async () => {
    const image = await pushImage(reg(), 'm/app', 'del1', 'layer del');
    await put('/v2/m/app/manifests/del2', image.manifest);
    expect((await v2(reg(), 'DELETE', '/v2/m/app/manifests/del1')).status).toBe(202);
    expect((await v2(reg(), 'GET', '/v2/m/app/manifests/del1')).code).toBe('MANIFEST_UNKNOWN');
    expect((await v2(reg(), 'GET', `/v2/m/app/manifests/${image.digest}`)).status).toBe(200);
    expect((await v2(reg(), 'DELETE', `/v2/m/app/manifests/${image.digest}`)).status).toBe(202);
    expect((await v2(reg(), 'GET', '/v2/m/app/manifests/del2')).code).toBe('MANIFEST_UNKNOWN');
    expect((await v2(reg(), 'DELETE', `/v2/m/app/manifests/${image.digest}`)).code).toBe('MANIFEST_UNKNOWN');
  });

  it('refuses to move an immutable tag, also to the same image, with TAG_INVALID and ECR\'s message', async () => {
    const image = await pushImage(reg(), 'm/frozen', 'release', 'frozen layer');
    const again = await put('/v2/m/frozen/manifests/release', image.manifest);
    expect(again.status).toBe(400);
    expect(again.code).toBe('TAG_INVALID');
    expect(again.text).toContain("The image tag 'release' already exists in the 'm/frozen' repository and cannot be overwritten because the tag is immutable.");
    expect((await put('/v2/m/frozen/manifests/other', image.manifest)).status).toBe(201);
  });
});

describe('image indexes and Docker manifest lists', () => {
  it('requires every listed manifest to exist in the repository', async () => {
    const amd = await pushImage(reg(), 'm/multi', 'amd64', 'amd64 layer');
    const missing = sha256('{"not":"pushed"}');
    const entry = (digest: string, size: number, architecture: string) => ({ mediaType: OCI_MANIFEST, digest, size, platform: { os: 'linux', architecture } });
    const broken = JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [entry(amd.digest, Buffer.byteLength(amd.manifest), 'amd64'), entry(missing, 16, 'arm64')] });
    const res = await put('/v2/m/multi/manifests/latest', broken, OCI_INDEX);
    expect(res.status).toBe(400);
    expect(res.code).toBe('MANIFEST_BLOB_UNKNOWN');
    const arm = await pushImage(reg(), 'm/multi', 'arm64', 'arm64 layer');
    const index = JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [entry(amd.digest, Buffer.byteLength(amd.manifest), 'amd64'), entry(arm.digest, Buffer.byteLength(arm.manifest), 'arm64')] });
    expect((await put('/v2/m/multi/manifests/latest', index, OCI_INDEX)).status).toBe(201);
    const get = await v2(reg(), 'GET', '/v2/m/multi/manifests/latest');
    expect(get.headers.get('content-type')).toBe(OCI_INDEX);
    // A manifest an index lists cannot go while the index is there.
    const del = await v2(reg(), 'DELETE', `/v2/m/multi/manifests/${amd.digest}`);
    expect(del.status).toBe(409);
    expect(del.code).toBe('DENIED');
  });

  it('accepts Docker schema 2 manifests and manifest lists', async () => {
    const configBytes = '{"architecture":"amd64","os":"linux"}';
    const config = await pushBlob(reg(), 'm/multi', configBytes);
    const layer = await pushBlob(reg(), 'm/multi', 'docker layer');
    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
      config: { mediaType: 'application/vnd.docker.container.image.v1+json', digest: config, size: configBytes.length },
      layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', digest: layer, size: 12 }],
    });
    expect((await put('/v2/m/multi/manifests/docker', manifest, 'application/vnd.docker.distribution.manifest.v2+json')).status).toBe(201);
    const list = JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.docker.distribution.manifest.list.v2+json',
      manifests: [{ mediaType: 'application/vnd.docker.distribution.manifest.v2+json', digest: sha256(manifest), size: manifest.length, platform: { os: 'linux', architecture: 'amd64' } }],
    });
    expect((await put('/v2/m/multi/manifests/docker-list', list, 'application/vnd.docker.distribution.manifest.list.v2+json')).status).toBe(201);
    const get = await v2(reg(), 'GET', '/v2/m/multi/manifests/docker-list');
    expect(get.headers.get('content-type')).toBe('application/vnd.docker.distribution.manifest.list.v2+json');
  });
});

describe('tag listing', () => {
  it('lists tags in lexical order with n/last pagination and a Link header', async () => {
    const image = await pushImage(reg(), 'm/tags', 'a', 'tags layer');
    for (const tag of ['d', 'b', 'e', 'c']) await put(`/v2/m/tags/manifests/${tag}`, image.manifest);
    const all = await v2(reg(), 'GET', '/v2/m/tags/tags/list');
    expect(all.json).toEqual({ name: 'm/tags', tags: ['a', 'b', 'c', 'd', 'e'] });
    expect(all.headers.get('link')).toBeNull();
    const first = await v2(reg(), 'GET', '/v2/m/tags/tags/list?n=2');
    expect(first.json).toEqual({ name: 'm/tags', tags: ['a', 'b'] });
    const link = first.headers.get('link');
    expect(link).toBe('</v2/m/tags/tags/list?n=2&last=b>; rel="next"');
    const next = await v2(reg(), 'GET', /<([^>]+)>/.exec(link!)![1]!);
    expect(next.json).toEqual({ name: 'm/tags', tags: ['c', 'd'] });
    const rest = await v2(reg(), 'GET', '/v2/m/tags/tags/list?n=2&last=d');
    expect(rest.json).toEqual({ name: 'm/tags', tags: ['e'] });
    expect(rest.headers.get('link')).toBeNull();
    expect((await v2(reg(), 'GET', '/v2/m/tags/tags/list?n=-1')).status).toBe(400);
  });
});

describe('referrers (OCI 1.1)', () => {
  it('answers OCI-Subject on push and lists referrers as an image index, filtered by artifactType', async () => {
    const subject = await pushImage(reg(), 'm/refs', 'app', 'subject layer');
    const empty = await pushBlob(reg(), 'm/refs', '{}');
    const sbomLayer = await pushBlob(reg(), 'm/refs', 'sbom document');
    const artifact = (artifactType: string, layer: string, size: number, note: string) =>
      JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_MANIFEST,
        artifactType,
        config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: empty, size: 2 },
        layers: [{ mediaType: 'text/plain', digest: layer, size }],
        subject: { mediaType: OCI_MANIFEST, digest: subject.digest, size: Buffer.byteLength(subject.manifest) },
        annotations: { note },
      });
    const sbom = artifact('application/vnd.example.sbom', sbomLayer, 13, 'sbom');
    const pushed = await put(`/v2/m/refs/manifests/${sha256(sbom)}`, sbom);
    expect(pushed.status).toBe(201);
    expect(pushed.headers.get('oci-subject')).toBe(subject.digest);
    const sigLayer = await pushBlob(reg(), 'm/refs', 'signature');
    const sig = artifact('application/vnd.example.signature', sigLayer, 9, 'sig');
    await put(`/v2/m/refs/manifests/${sha256(sig)}`, sig);

    const all = await v2(reg(), 'GET', `/v2/m/refs/referrers/${subject.digest}`);
    expect(all.status).toBe(200);
    expect(all.headers.get('content-type')).toBe(OCI_INDEX);
    expect(all.headers.get('oci-filters-applied')).toBeNull();
    const index = all.json as { schemaVersion: number; mediaType: string; manifests: Array<Record<string, unknown>> };
    expect(index.schemaVersion).toBe(2);
    expect(index.mediaType).toBe(OCI_INDEX);
    expect(index.manifests.map((m) => m.digest).sort()).toEqual([sha256(sbom), sha256(sig)].sort());
    expect(index.manifests.find((m) => m.digest === sha256(sbom))).toEqual({
      mediaType: OCI_MANIFEST,
      digest: sha256(sbom),
      size: Buffer.byteLength(sbom),
      artifactType: 'application/vnd.example.sbom',
      annotations: { note: 'sbom' },
    });
    const filtered = await v2(reg(), 'GET', `/v2/m/refs/referrers/${subject.digest}?artifactType=application/vnd.example.signature`);
    expect(filtered.headers.get('oci-filters-applied')).toBe('artifactType');
    expect((filtered.json as typeof index).manifests.map((m) => m.digest)).toEqual([sha256(sig)]);
    const none = await v2(reg(), 'GET', `/v2/m/refs/referrers/${sha256('no such subject')}`);
    expect(none.status).toBe(200);
    expect((none.json as typeof index).manifests).toEqual([]);
    expect((await v2(reg(), 'GET', '/v2/m/refs/referrers/sha256:short')).code).toBe('DIGEST_INVALID');
  });

  it('requires artifactType when the config is the empty descriptor', async () => {
    const empty = await pushBlob(reg(), 'm/refs', '{}');
    const manifest = JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: empty, size: 2 }, layers: [] });
    const res = await put('/v2/m/refs/manifests/no-type', manifest);
    expect(res.code).toBe('MANIFEST_INVALID');
  });
});
