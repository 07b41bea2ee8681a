import { invalidDigest, parseDigest } from './digest.js';
import { manifestInvalid } from './errors.js';
import { IMAGE_CONFIG_TYPES, IMAGE_MANIFEST_TYPES, INDEX_TYPES, MANIFEST_TYPES, MediaType } from './media-types.js';

/** An OCI content descriptor, as manifests carry them. */
export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  artifactType?: string;
  annotations?: Record<string, string>;
  platform?: Record<string, unknown>;
}

/** What the registry needs to know about a pushed manifest. */
export interface ParsedManifest {
  /** The manifest's media type, from its `mediaType` field, else the request's Content-Type, else its shape. */
  mediaType: string;
  /** `image`: lists a config and layers; `index`: lists manifests. */
  kind: 'image' | 'index';
  config?: Descriptor;
  layers: Descriptor[];
  /** The manifests an index lists. */
  manifests: Descriptor[];
  /** The manifest this one refers to (OCI 1.1 referrers). */
  subject?: Descriptor;
  /** The `artifactType` field, if any. */
  artifactType?: string;
  annotations?: Record<string, string>;
}

/** The JSON of a manifest as pushed, before validation. */
type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The media type without parameters (`application/json; charset=utf-8` → `application/json`). */
export function bareMediaType(contentType: string | undefined): string | undefined {
  const bare = contentType?.split(';')[0]?.trim().toLowerCase();
  return bare ? bare : undefined;
}

/**
 * Parses and validates a pushed manifest: UTF-8 JSON, schemaVersion 2, a supported media type
 * consistent with the Content-Type, well-formed descriptors (valid digests, sizes), and the OCI 1.1
 * artifact rule (an empty config needs an `artifactType`). Blob and manifest existence is checked
 * by the caller against the repository.
 */
export function parseManifest(bytes: Buffer, contentType: string | undefined): ParsedManifest {
  const text = bytes.toString('utf8');
  // JSON must be UTF-8; a lossy decode would make the stored text differ from the digested bytes.
  if (!Buffer.from(text, 'utf8').equals(bytes)) throw manifestInvalid('manifest is not valid UTF-8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw manifestInvalid(`manifest is not valid JSON: ${(err as Error).message}`);
  }
  if (!isObject(json)) throw manifestInvalid('manifest must be a JSON object');
  if (json.schemaVersion === 1) throw manifestInvalid('Docker schema 1 manifests are not supported; push a schema 2 or OCI manifest');
  if (json.schemaVersion !== 2) throw manifestInvalid('manifest schemaVersion must be 2');
  const mediaType = resolveMediaType(json, bareMediaType(contentType));
  const subject = json.subject === undefined ? undefined : descriptor(json.subject, 'subject');
  const artifactType = optionalString(json.artifactType, 'artifactType');
  const annotations = stringMap(json.annotations, 'annotations');
  if (INDEX_TYPES.has(mediaType)) {
    if (!Array.isArray(json.manifests)) throw manifestInvalid('an index must have a "manifests" array');
    const manifests = json.manifests.map((m, i) => descriptor(m, `manifests[${i}]`));
    return { mediaType, kind: 'index', layers: [], manifests, ...(subject && { subject }), ...(artifactType && { artifactType }), ...(annotations && { annotations }) };
  }
  const config = descriptor(json.config, 'config');
  if (!Array.isArray(json.layers)) throw manifestInvalid('a manifest must have a "layers" array');
  const layers = json.layers.map((l, i) => descriptor(l, `layers[${i}]`));
  // OCI 1.1: an artifact with the empty config must say what it is.
  if (config.mediaType === MediaType.OciEmpty && !artifactType) {
    throw manifestInvalid('artifactType must be set when config.mediaType is application/vnd.oci.empty.v1+json');
  }
  return { mediaType, kind: 'image', config, layers, manifests: [], ...(subject && { subject }), ...(artifactType && { artifactType }), ...(annotations && { annotations }) };
}

function resolveMediaType(json: Json, contentType: string | undefined): string {
  const declared = json.mediaType;
  if (declared !== undefined && typeof declared !== 'string') throw manifestInvalid('mediaType must be a string');
  const fromHeader = contentType && MANIFEST_TYPES.has(contentType) ? contentType : undefined;
  if (declared !== undefined) {
    if (declared === MediaType.DockerSchema1 || declared === MediaType.DockerSchema1Signed) {
      throw manifestInvalid('Docker schema 1 manifests are not supported; push a schema 2 or OCI manifest');
    }
    if (!MANIFEST_TYPES.has(declared)) throw manifestInvalid(`unsupported manifest media type ${declared}`);
    if (fromHeader && fromHeader !== declared) {
      throw manifestInvalid(`manifest mediaType ${declared} does not match the Content-Type ${fromHeader}`);
    }
    return declared;
  }
  // OCI manifests may leave mediaType out; Docker's may not.
  if (fromHeader) {
    if (fromHeader === MediaType.DockerManifest || fromHeader === MediaType.DockerManifestList) {
      throw manifestInvalid(`a ${fromHeader} manifest must carry its mediaType`);
    }
    return fromHeader;
  }
  if (Array.isArray(json.manifests)) return MediaType.OciIndex;
  if (json.config !== undefined) return MediaType.OciManifest;
  throw manifestInvalid('cannot tell the manifest type: no mediaType, no manifest Content-Type, neither "config" nor "manifests"');
}

function descriptor(value: unknown, where: string): Descriptor {
  if (!isObject(value)) throw manifestInvalid(`${where} must be a descriptor object`);
  const { mediaType, digest, size } = value;
  if (typeof mediaType !== 'string' || mediaType === '') throw manifestInvalid(`${where}.mediaType must be a non-empty string`);
  if (typeof digest !== 'string') throw manifestInvalid(`${where}.digest must be a string`);
  if (!parseDigest(digest)) throw invalidDigest(digest, `${where}.digest "${digest}" is not a valid sha256 or sha512 digest`);
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
    throw manifestInvalid(`${where}.size must be a non-negative integer`);
  }
  const artifactType = optionalString(value.artifactType, `${where}.artifactType`);
  const annotations = stringMap(value.annotations, `${where}.annotations`);
  const platform = value.platform;
  if (platform !== undefined && !isObject(platform)) throw manifestInvalid(`${where}.platform must be an object`);
  return { mediaType, digest, size, ...(artifactType && { artifactType }), ...(annotations && { annotations }), ...(platform && { platform }) };
}

function optionalString(value: unknown, where: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw manifestInvalid(`${where} must be a string`);
  return value;
}

function stringMap(value: unknown, where: string): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value) || Object.values(value).some((v) => typeof v !== 'string')) {
    throw manifestInvalid(`${where} must be a map of strings`);
  }
  return value as Record<string, string>;
}

/** The blobs a manifest references: its config and layers (an index references none). */
export function referencedBlobs(manifest: ParsedManifest): Descriptor[] {
  return manifest.config ? [manifest.config, ...manifest.layers] : [];
}

/**
 * The artifact type of a manifest as the referrers API reports it: `artifactType`, else the
 * config's media type (OCI 1.1), else nothing (indexes without one).
 */
export function artifactTypeOf(manifest: ParsedManifest): string | undefined {
  return manifest.artifactType ?? manifest.config?.mediaType;
}

/** Tells whether a manifest is an artifact rather than a container image (ECR's artifactMediaType). */
export function isArtifact(manifest: ParsedManifest): boolean {
  return manifest.artifactType !== undefined || (manifest.config !== undefined && !IMAGE_CONFIG_TYPES.has(manifest.config.mediaType));
}

/** Tells whether a media type is an image manifest (lists blobs). */
export const isImageManifestType = (mediaType: string): boolean => IMAGE_MANIFEST_TYPES.has(mediaType);
