import { describe, expect, it } from 'vitest';
import { MANIFEST_ACCEPT, MediaType, parseImageConfig, parseManifest } from './manifest.js';
import { PullErrorKind, RegistryError } from './pull-error.js';

const d = (n: string) => `sha256:${n.repeat(64)}`;
const json = (value: unknown) => Buffer.from(JSON.stringify(value));

describe('parseManifest', () => {
  const manifest = { schemaVersion: 2, config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: d('a'), size: 10 }, layers: [{ mediaType: MediaType.OciLayerGzip, digest: d('b'), size: 20 }] };

  it('reads OCI and Docker manifests, by body media type or Content-Type', () => {
    expect(parseManifest(json({ ...manifest, mediaType: MediaType.OciManifest }), undefined)).toMatchObject({ kind: 'manifest', config: { digest: d('a') }, layers: [{ digest: d('b'), size: 20 }] });
    expect(parseManifest(json(manifest), `${MediaType.DockerManifest}; charset=utf-8`).kind).toBe('manifest');
  });

  it('reads indexes and manifest lists with platforms', () => {
    const index = { schemaVersion: 2, mediaType: MediaType.DockerManifestList, manifests: [{ mediaType: MediaType.DockerManifest, digest: d('c'), size: 5, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } }] };
    expect(parseManifest(json(index), undefined)).toEqual({ kind: 'index', manifests: [{ mediaType: MediaType.DockerManifest, digest: d('c'), size: 5, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } }] });
    // Without any media type, `manifests` makes an index.
    expect(parseManifest(json({ schemaVersion: 2, manifests: [] }), undefined).kind).toBe('index');
  });

  it.each([
    [Buffer.from('not json'), PullErrorKind.InvalidContent, /failed to unmarshal manifest/],
    [json({ schemaVersion: 1, name: 'x' }), PullErrorKind.Unsupported, /schema 1 support has been removed/],
    [json({ ...manifest, mediaType: 'application/vnd.cncf.helm.config.v1+json', config: undefined }), PullErrorKind.Unsupported, /unsupported manifest media type/],
    [json({ ...manifest, layers: [{ mediaType: MediaType.OciLayerGzip, digest: 'sha256:short', size: 1 }] }), PullErrorKind.InvalidContent, /invalid digest/],
    [json({ ...manifest, config: { mediaType: 'x', digest: d('a'), size: -1 } }), PullErrorKind.InvalidContent, /invalid descriptor/],
  ])('refuses bad documents (%#)', (bytes, kind, message) => {
    let thrown: unknown;
    try {
      parseManifest(bytes, undefined);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(RegistryError);
    expect((thrown as RegistryError).kind).toBe(kind);
    expect((thrown as Error).message).toMatch(message);
  });

  it('accepts every manifest kind it can parse', () => {
    for (const type of [MediaType.OciIndex, MediaType.OciManifest, MediaType.DockerManifestList, MediaType.DockerManifest]) expect(MANIFEST_ACCEPT).toContain(type);
  });
});

describe('parseImageConfig', () => {
  it('keeps the runtime fields and drops nulls and wrong types', () => {
    const config = parseImageConfig(
      json({
        architecture: 'arm64',
        variant: 'v8',
        os: 'linux',
        config: { Entrypoint: null, Cmd: ['sh', '-c', 'echo hi'], Env: ['A=1'], WorkingDir: '/app', User: '1000:1000', StopSignal: 'SIGQUIT', ExposedPorts: { '80/tcp': {} }, Labels: { a: 'b' }, Healthcheck: { Test: ['CMD', 'true'], Interval: 30e9 }, Volumes: 'nope' },
        rootfs: { type: 'layers', diff_ids: [d('e')] },
      }),
    );
    expect(config).toEqual({
      platform: { os: 'linux', architecture: 'arm64', variant: 'v8' },
      config: { Cmd: ['sh', '-c', 'echo hi'], Env: ['A=1'], WorkingDir: '/app', User: '1000:1000', StopSignal: 'SIGQUIT', ExposedPorts: { '80/tcp': {} }, Labels: { a: 'b' }, Healthcheck: { Test: ['CMD', 'true'], Interval: 30e9 } },
      diffIds: [d('e')],
    });
  });

  it('requires rootfs diff_ids', () => {
    expect(() => parseImageConfig(json({ os: 'linux', architecture: 'amd64' }))).toThrow(/rootfs.diff_ids missing/);
  });
});
