import { describe, expect, it } from 'vitest';
import { artifactTypeOf, isArtifact, parseManifest } from './manifest.js';

const d = (c: string) => `sha256:${c.repeat(64)}`;
const OCI = 'application/vnd.oci.image.manifest.v1+json';
const image = (extra: Record<string, unknown> = {}) => ({
  schemaVersion: 2,
  config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: d('a'), size: 10 },
  layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: d('b'), size: 20 }],
  ...extra,
});
const parse = (json: unknown, contentType?: string) => parseManifest(Buffer.from(JSON.stringify(json)), contentType);

describe('parseManifest', () => {
  it('takes the media type from the manifest, else the Content-Type, else the shape', () => {
    expect(parse(image({ mediaType: OCI }), OCI).mediaType).toBe(OCI);
    expect(parse(image(), OCI).mediaType).toBe(OCI);
    expect(parse(image()).mediaType).toBe(OCI);
    expect(parse({ schemaVersion: 2, manifests: [] }).mediaType).toBe('application/vnd.oci.image.index.v1+json');
    expect(parse(image({ mediaType: OCI }), 'application/octet-stream').mediaType).toBe(OCI);
  });

  it('refuses inconsistent or unsupported media types', () => {
    expect(() => parse(image({ mediaType: OCI }), 'application/vnd.oci.image.index.v1+json')).toThrow(/does not match/);
    expect(() => parse(image(), 'application/vnd.docker.distribution.manifest.v2+json')).toThrow(/must carry its mediaType/);
    expect(() => parse(image({ mediaType: 'application/vnd.example' }))).toThrow(/unsupported/);
  });

  it('checks descriptors', () => {
    expect(() => parse(image({ layers: [{ mediaType: 'x', digest: 'sha256:short', size: 1 }] }))).toThrow(/not a valid/);
    expect(() => parse(image({ layers: [{ mediaType: 'x', digest: d('c'), size: -1 }] }))).toThrow(/non-negative integer/);
    expect(() => parse(image({ layers: [{ digest: d('c'), size: 1 }] }))).toThrow(/mediaType/);
    expect(() => parse(image({ layers: 'nope' }))).toThrow(/layers/);
    expect(() => parse(image({ annotations: { a: 1 } }))).toThrow(/map of strings/);
  });

  it('refuses what is not a manifest', () => {
    expect(() => parseManifest(Buffer.from([0xff, 0xfe]), OCI)).toThrow(/UTF-8/);
    expect(() => parse([])).toThrow(/JSON object/);
    expect(() => parse({ ...image(), schemaVersion: 1 })).toThrow(/schema 1/);
  });

  it('tells artifacts from images and reports their artifact type', () => {
    const img = parse(image());
    expect(isArtifact(img)).toBe(false);
    expect(artifactTypeOf(img)).toBe('application/vnd.oci.image.config.v1+json');
    const art = parse(image({ artifactType: 'application/vnd.example.sbom', config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: d('e'), size: 2 } }));
    expect(isArtifact(art)).toBe(true);
    expect(artifactTypeOf(art)).toBe('application/vnd.example.sbom');
    const helm = parse(image({ config: { mediaType: 'application/vnd.cncf.helm.config.v1+json', digest: d('f'), size: 2 } }));
    expect(isArtifact(helm)).toBe(true);
    expect(artifactTypeOf(helm)).toBe('application/vnd.cncf.helm.config.v1+json');
  });
});
