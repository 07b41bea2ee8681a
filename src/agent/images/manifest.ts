/**
 * The documents of the OCI image spec and Docker's schema 2: indexes (manifest lists), image
 * manifests and image configs; their media types, and parsing that checks what the pull relies on.
 */
import { checkedDigest } from './digest.js';
import { PullErrorKind, RegistryError } from './pull-error.js';

/** The media types a pull understands. */
export const MediaType = {
  OciIndex: 'application/vnd.oci.image.index.v1+json',
  OciManifest: 'application/vnd.oci.image.manifest.v1+json',
  DockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  DockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  OciLayerTar: 'application/vnd.oci.image.layer.v1.tar',
  OciLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  OciLayerZstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
  OciNondistributableGzip: 'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip',
  OciNondistributableTar: 'application/vnd.oci.image.layer.nondistributable.v1.tar',
  DockerLayerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  DockerLayerTar: 'application/vnd.docker.image.rootfs.diff.tar',
  DockerForeignLayerGzip: 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip',
} as const;

/** The Accept header of manifest requests: indexes and manifests, OCI and Docker schema 2. */
export const MANIFEST_ACCEPT = [MediaType.OciIndex, MediaType.OciManifest, MediaType.DockerManifestList, MediaType.DockerManifest].join(', ');

/** Layer media types and the compression each announces; zstd is recognised but not unpacked. */
export const LAYER_COMPRESSION: Readonly<Record<string, 'gzip' | 'none' | 'zstd'>> = {
  [MediaType.OciLayerTar]: 'none',
  [MediaType.OciLayerGzip]: 'gzip',
  [MediaType.OciLayerZstd]: 'zstd',
  [MediaType.OciNondistributableGzip]: 'gzip',
  [MediaType.OciNondistributableTar]: 'none',
  [MediaType.DockerLayerGzip]: 'gzip',
  [MediaType.DockerLayerTar]: 'none',
  [MediaType.DockerForeignLayerGzip]: 'gzip',
};

/** A platform as images name it. */
export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

/** A content descriptor. */
export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: Platform;
  annotations?: Record<string, string>;
}

/** An image index or Docker manifest list. */
export interface ImageIndex {
  kind: 'index';
  manifests: Descriptor[];
}

/** An image manifest. */
export interface ImageManifest {
  kind: 'manifest';
  config: Descriptor;
  layers: Descriptor[];
}

/** The runtime part of an image config, in Docker/OCI spelling (null lists become absent). */
export interface ImageConfig {
  Entrypoint?: string[];
  Cmd?: string[];
  Env?: string[];
  WorkingDir?: string;
  User?: string;
  StopSignal?: string;
  ExposedPorts?: Record<string, object>;
  Volumes?: Record<string, object>;
  Labels?: Record<string, string>;
  Healthcheck?: { Test?: string[]; Interval?: number; Timeout?: number; StartPeriod?: number; StartInterval?: number; Retries?: number };
}

/** An image config blob, reduced to what running it needs. */
export interface ImageConfigFile {
  platform: Platform;
  config: ImageConfig;
  diffIds: string[];
}

const invalidContent = (message: string) => new RegistryError(PullErrorKind.InvalidContent, message);

function parseJson(bytes: Uint8Array, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (err) {
    throw invalidContent(`failed to unmarshal ${what}: ${(err as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidContent(`failed to unmarshal ${what}: not an object`);
  return value as Record<string, unknown>;
}

function descriptor(value: unknown, what: string): Descriptor {
  const d = value as Partial<Descriptor> | null;
  if (typeof d !== 'object' || d === null || typeof d.mediaType !== 'string' || typeof d.size !== 'number' || !Number.isSafeInteger(d.size) || d.size < 0) {
    throw invalidContent(`invalid descriptor in ${what}`);
  }
  checkedDigest(d.digest, what);
  const platform = d.platform && typeof d.platform.os === 'string' && typeof d.platform.architecture === 'string' ? d.platform : undefined;
  return { mediaType: d.mediaType, digest: d.digest!, size: d.size, ...(platform ? { platform } : {}), ...(d.annotations ? { annotations: d.annotations } : {}) };
}

/**
 * Parses a manifest response: the body's `mediaType` decides, else the Content-Type header, else
 * the shape (`manifests` makes an index). Schema 1 and other documents are refused.
 */
export function parseManifest(bytes: Uint8Array, contentType: string | undefined): ImageIndex | ImageManifest {
  const doc = parseJson(bytes, 'manifest');
  const mediaType = typeof doc.mediaType === 'string' ? doc.mediaType : contentType?.split(';')[0]?.trim();
  if (doc.schemaVersion === 1) throw new RegistryError(PullErrorKind.Unsupported, 'Docker Image Format v1 and Docker Image manifest version 2, schema 1 support has been removed');
  const isIndex = mediaType === MediaType.OciIndex || mediaType === MediaType.DockerManifestList || (Array.isArray(doc.manifests) && !doc.config);
  if (isIndex) {
    if (!Array.isArray(doc.manifests)) throw invalidContent('invalid image index: no manifests');
    return { kind: 'index', manifests: doc.manifests.map((m) => descriptor(m, 'image index')) };
  }
  const known = mediaType === undefined || mediaType === MediaType.OciManifest || mediaType === MediaType.DockerManifest || mediaType === 'application/json';
  if (!known || !doc.config || !Array.isArray(doc.layers)) throw new RegistryError(PullErrorKind.Unsupported, `unsupported manifest media type ${String(mediaType)}`);
  return { kind: 'manifest', config: descriptor(doc.config, 'image manifest'), layers: doc.layers.map((l) => descriptor(l, 'image manifest')) };
}

const stringList = (value: unknown): string[] | undefined =>
  Array.isArray(value) && value.every((v) => typeof v === 'string') ? (value as string[]) : undefined;
const stringValue = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const objectValue = <T>(value: unknown): T | undefined => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as T) : undefined);

/** Parses an image config blob; keeps only well-typed fields of `config`. */
export function parseImageConfig(bytes: Uint8Array): ImageConfigFile {
  const doc = parseJson(bytes, 'image config');
  const rootfs = objectValue<{ type?: unknown; diff_ids?: unknown }>(doc.rootfs);
  const diffIds = stringList(rootfs?.diff_ids);
  if (!diffIds || rootfs?.type !== 'layers') throw invalidContent('invalid image config: rootfs.diff_ids missing');
  for (const diffId of diffIds) checkedDigest(diffId, 'image config rootfs');
  const raw = objectValue<Record<string, unknown>>(doc.config) ?? {};
  const config: ImageConfig = {};
  const set = <K extends keyof ImageConfig>(key: K, value: ImageConfig[K] | undefined) => {
    if (value !== undefined) config[key] = value;
  };
  set('Entrypoint', stringList(raw.Entrypoint));
  set('Cmd', stringList(raw.Cmd));
  set('Env', stringList(raw.Env));
  set('WorkingDir', stringValue(raw.WorkingDir));
  set('User', stringValue(raw.User));
  set('StopSignal', stringValue(raw.StopSignal));
  set('ExposedPorts', objectValue(raw.ExposedPorts));
  set('Volumes', objectValue(raw.Volumes));
  set('Labels', objectValue(raw.Labels));
  set('Healthcheck', objectValue(raw.Healthcheck));
  const platform: Platform = { os: stringValue(doc.os) ?? 'linux', architecture: stringValue(doc.architecture) ?? 'unknown' };
  const variant = stringValue(doc.variant);
  if (variant) platform.variant = variant;
  return { platform, config, diffIds };
}
