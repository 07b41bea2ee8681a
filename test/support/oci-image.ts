/**
 * Container images for tests, built without Docker: each call writes an OCI image layout
 * directory (`oci-layout`, `index.json`, `blobs/sha256/…`) that real tools accept (skopeo, and
 * `pushImageLayout` below pushes it to any distribution registry).
 *
 *   const image = await buildImage({ busybox: true, files: { '/app/hello.txt': 'hi' }, config: { Cmd: ['cat', '/app/hello.txt'] } });
 *   const { digest } = await pushImageLayout(image.dir, `${registry.host}/team/app:1`);
 *   await image.cleanup();
 *
 * Builds are deterministic (fixed mtimes, sorted entries): the same spec gives the same digests,
 * so two images built with `busybox: true` share their first layer, as real images share a base.
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { pack, type Header } from 'tar-stream';

/** Media types written by the builder. */
export const MediaTypes = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  ociLayerTar: 'application/vnd.oci.image.layer.v1.tar',
  ociLayerZstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
} as const;

/** An OCI content descriptor. */
export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: Platform;
  annotations?: Record<string, string>;
}

/** An image platform (`linux/amd64`, `linux/arm64/v8`). */
export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

/**
 * One entry of a layer, by path (a leading `/` is optional):
 * - a string or bytes: a regular file, mode 0644;
 * - `{ content, mode?, uid?, gid? }`: a regular file with metadata;
 * - `{ source, mode? }`: a copy of a host file (its mode unless given);
 * - `{ symlink: target }`, `{ hardlink: otherPathInThisLayer }`, `{ dir: true, mode? }`;
 * - `{ whiteout: true }`: writes `.wh.<name>`, deleting the path of lower layers;
 * - `{ opaque: true }`: the path is a directory whose lower-layer content is hidden (`.wh..wh..opq`).
 */
export type FileSpec =
  | string
  | Uint8Array
  | { content: string | Uint8Array; mode?: number; uid?: number; gid?: number }
  | { source: string; mode?: number }
  | { symlink: string }
  | { hardlink: string }
  | { dir: true; mode?: number; uid?: number; gid?: number }
  | { whiteout: true }
  | { opaque: true };

/** A tar header as tar-stream writes it, with optional pax records (e.g. `SCHILY.xattr.*`). */
export type TarHeader = Omit<Partial<Header>, 'pax'> & { name: string; pax?: Record<string, string> };

/** A raw tar entry, written as given after the layer's files (for hostile-layer tests). */
export interface RawTarEntry {
  header: TarHeader;
  content?: string | Uint8Array;
}

/** One layer: its files, optional raw entries, and how it is compressed. */
export interface LayerSpec {
  files?: Record<string, FileSpec>;
  raw?: RawTarEntry[];
  /** `gzip` (default) or `none` (an uncompressed `…tar` layer). */
  compression?: 'gzip' | 'none';
  /** Overrides the descriptor's media type (e.g. to claim zstd). */
  mediaType?: string;
}

/** The `config` part of an image config, in Docker/OCI spelling. */
export interface ImageConfigSpec {
  Entrypoint?: string[];
  Cmd?: string[];
  Env?: string[];
  WorkingDir?: string;
  User?: string;
  StopSignal?: string;
  ExposedPorts?: Record<string, object>;
  Labels?: Record<string, string>;
  Healthcheck?: { Test: string[]; Interval?: number; Timeout?: number; StartPeriod?: number; Retries?: number };
}

/** What to build; layers are stacked busybox → files → layers. */
export interface BuildImageOptions {
  /** The layout directory to write into (created if missing); default: a new temp dir. */
  dir?: string;
  /** A first layer with the static /bin/busybox, applet symlinks and a minimal /etc. */
  busybox?: boolean;
  /** One layer with these files. */
  files?: Record<string, FileSpec>;
  /** Further layers, bottom to top. */
  layers?: LayerSpec[];
  config?: ImageConfigSpec;
  /** Default: linux and the host's architecture. */
  platform?: Platform;
  /** The `org.opencontainers.image.ref.name` of the image in index.json (default `latest`). */
  tag?: string;
  /** `oci` (default) or `docker` (schema 2 media types). */
  format?: 'oci' | 'docker';
}

/** An image written to an OCI layout directory. */
export interface BuiltImage {
  /** The layout directory. */
  dir: string;
  /** The descriptor index.json points at (a manifest, or an index for multi-arch builds). */
  descriptor: Descriptor;
  /** For single images: the manifest, config and layer descriptors. */
  manifestDigest: string;
  configDigest: string;
  layers: Descriptor[];
  /** The uncompressed digests of the layers (config `rootfs.diff_ids`). */
  diffIds: string[];
  /** Removes the layout directory. */
  cleanup(): Promise<void>;
}

/** The host platform in OCI terms (`process.arch` x64 → amd64). */
export function hostPlatform(): Platform {
  const architecture = process.arch === 'x64' ? 'amd64' : process.arch === 'ia32' ? '386' : process.arch;
  return { os: 'linux', architecture };
}

/** The static busybox copied into images, and the applets linked to it in /bin. */
export const BUSYBOX_PATH = '/bin/busybox';
export const BUSYBOX_APPLETS = [
  'sh', 'ash', 'ls', 'cat', 'sleep', 'echo', 'wget', 'nc', 'httpd', 'env', 'id', 'pwd', 'mkdir', 'rm', 'cp', 'mv',
  'ln', 'ps', 'kill', 'grep', 'sed', 'awk', 'head', 'tail', 'touch', 'chmod', 'chown', 'date', 'hostname', 'true',
  'false', 'test', '[', 'printf', 'wc', 'uname', 'ip', 'ifconfig', 'nslookup', 'ping', 'timeout', 'sort', 'tee',
  'find', 'stat', 'whoami', 'readlink', 'df', 'du', 'dd', 'seq', 'xargs', 'top', 'mount', 'tr', 'cut', 'yes', 'base64',
  'sha256sum', 'netstat', 'which', 'vi', 'usleep',
] as const;

const FIXED_MTIME = new Date('2024-01-01T00:00:00Z');
const FIXED_CREATED = '2024-01-01T00:00:00Z';

function busyboxLayer(): LayerSpec {
  const files: Record<string, FileSpec> = {
    '/bin/busybox': { source: BUSYBOX_PATH, mode: 0o755 },
    '/etc/passwd': 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n',
    '/etc/group': 'root:x:0:\nnogroup:x:65534:\n',
    '/tmp': { dir: true, mode: 0o1777 },
    '/root': { dir: true, mode: 0o700 },
    '/usr/bin': { dir: true },
    '/var': { dir: true },
  };
  for (const applet of BUSYBOX_APPLETS) files[`/bin/${applet}`] = { symlink: 'busybox' };
  return { files };
}

const sha256 = (bytes: Uint8Array): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
const trimSlash = (path: string): string => path.replace(/^\/+/, '').replace(/\/+$/, '');

/** Writes bytes as a blob of the layout and returns its descriptor. */
export async function writeBlob(dir: string, bytes: Uint8Array, mediaType: string): Promise<Descriptor> {
  const digest = sha256(bytes);
  await mkdir(join(dir, 'blobs', 'sha256'), { recursive: true });
  await writeFile(join(dir, 'blobs', 'sha256', digest.slice('sha256:'.length)), bytes);
  return { mediaType, digest, size: bytes.byteLength };
}

/** Reads a blob of a layout by digest. */
export async function readBlob(dir: string, digest: string): Promise<Buffer> {
  const [algorithm, hex] = digest.split(':');
  return readFile(join(dir, 'blobs', algorithm!, hex!));
}

async function tarEntries(spec: LayerSpec): Promise<Array<{ header: TarHeader; content?: Uint8Array }>> {
  const entries: Array<{ header: TarHeader; content?: Uint8Array }> = [];
  const explicit = new Map(Object.entries(spec.files ?? {}).map(([path, file]) => [trimSlash(path), file] as const));
  // Parents first, each once: a layer lists its directories before their content, as real ones do.
  const dirs = new Set<string>();
  for (const [path, file] of explicit) {
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
    if (typeof file === 'object' && ('dir' in file || 'opaque' in file)) dirs.add(path);
  }
  const base = { uid: 0, gid: 0, mtime: FIXED_MTIME };
  const paths = [...new Set([...dirs, ...explicit.keys()])].sort();
  for (const path of paths) {
    const file = explicit.get(path);
    if (file === undefined || (typeof file === 'object' && 'opaque' in file)) {
      entries.push({ header: { ...base, name: `${path}/`, type: 'directory', mode: 0o755 } });
      if (file !== undefined) entries.push({ header: { ...base, name: `${path}/.wh..wh..opq`, type: 'file', mode: 0o644 }, content: new Uint8Array() });
    } else if (typeof file === 'string' || file instanceof Uint8Array) {
      entries.push({ header: { ...base, name: path, type: 'file', mode: 0o644 }, content: Buffer.from(file) });
    } else if ('content' in file) {
      entries.push({ header: { ...base, name: path, type: 'file', mode: file.mode ?? 0o644, uid: file.uid ?? 0, gid: file.gid ?? 0 }, content: Buffer.from(file.content) });
    } else if ('source' in file) {
      const mode = file.mode ?? (await stat(file.source)).mode & 0o7777;
      entries.push({ header: { ...base, name: path, type: 'file', mode }, content: await readFile(file.source) });
    } else if ('symlink' in file) {
      entries.push({ header: { ...base, name: path, type: 'symlink', linkname: file.symlink, mode: 0o777 } });
    } else if ('hardlink' in file) {
      entries.push({ header: { ...base, name: path, type: 'link', linkname: trimSlash(file.hardlink), mode: 0o644 } });
    } else if ('dir' in file) {
      entries.push({ header: { ...base, name: `${path}/`, type: 'directory', mode: file.mode ?? 0o755, uid: file.uid ?? 0, gid: file.gid ?? 0 } });
    } else {
      const slash = path.lastIndexOf('/');
      const name = `${path.slice(0, slash + 1)}.wh.${path.slice(slash + 1)}`;
      entries.push({ header: { ...base, name, type: 'file', mode: 0o644 }, content: new Uint8Array() });
    }
  }
  for (const raw of spec.raw ?? []) entries.push({ header: { ...base, ...raw.header }, content: raw.content === undefined ? undefined : Buffer.from(raw.content) });
  return entries;
}

/** The uncompressed tar of a layer spec (exported for unpacker tests). */
export async function buildLayerTar(spec: LayerSpec): Promise<Buffer> {
  const tar = pack();
  const collected = (async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of tar) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  })();
  for (const { header, content } of await tarEntries(spec)) {
    if (content === undefined) tar.entry({ ...header });
    else tar.entry({ ...header, size: content.byteLength }, Buffer.from(content));
  }
  tar.finalize();
  return collected;
}

interface WrittenManifest {
  descriptor: Descriptor;
  configDigest: string;
  layers: Descriptor[];
  diffIds: string[];
}

/** Writes one image's layers, config and manifest blobs into a layout (not index.json). */
async function writeImageBlobs(dir: string, options: BuildImageOptions): Promise<WrittenManifest> {
  const docker = options.format === 'docker';
  const specs = [...(options.busybox ? [busyboxLayer()] : []), ...(options.files ? [{ files: options.files }] : []), ...(options.layers ?? [])];
  const layers: Descriptor[] = [];
  const diffIds: string[] = [];
  for (const spec of specs) {
    const tar = await buildLayerTar(spec);
    diffIds.push(sha256(tar));
    const gzip = (spec.compression ?? 'gzip') === 'gzip';
    const mediaType = spec.mediaType ?? (gzip ? (docker ? MediaTypes.dockerLayerGzip : MediaTypes.ociLayerGzip) : MediaTypes.ociLayerTar);
    layers.push(await writeBlob(dir, gzip ? gzipSync(tar) : tar, mediaType));
  }
  const platform = options.platform ?? hostPlatform();
  const defaults: ImageConfigSpec = options.busybox ? { Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'], Cmd: ['sh'] } : {};
  const config = {
    created: FIXED_CREATED,
    architecture: platform.architecture,
    os: platform.os,
    ...(platform.variant ? { variant: platform.variant } : {}),
    config: { ...defaults, ...options.config },
    rootfs: { type: 'layers', diff_ids: diffIds },
    history: specs.map(() => ({ created: FIXED_CREATED, created_by: 'minato test image builder' })),
  };
  const configDescriptor = await writeBlob(dir, Buffer.from(JSON.stringify(config)), docker ? MediaTypes.dockerConfig : MediaTypes.ociConfig);
  const manifestMediaType = docker ? MediaTypes.dockerManifest : MediaTypes.ociManifest;
  const manifest = { schemaVersion: 2, mediaType: manifestMediaType, config: configDescriptor, layers };
  const descriptor = await writeBlob(dir, Buffer.from(JSON.stringify(manifest)), manifestMediaType);
  return { descriptor: { ...descriptor, platform }, configDigest: configDescriptor.digest, layers, diffIds };
}

async function writeIndexJson(dir: string, descriptor: Descriptor, tag: string): Promise<void> {
  await writeFile(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  const entry = { mediaType: descriptor.mediaType, digest: descriptor.digest, size: descriptor.size, annotations: { 'org.opencontainers.image.ref.name': tag } };
  await writeFile(join(dir, 'index.json'), JSON.stringify({ schemaVersion: 2, mediaType: MediaTypes.ociIndex, manifests: [entry] }));
}

async function layoutDir(dir: string | undefined): Promise<{ dir: string; cleanup(): Promise<void> }> {
  const target = dir ?? (await mkdtemp(join(tmpdir(), 'minato-oci-')));
  await mkdir(target, { recursive: true });
  return { dir: target, cleanup: () => rm(target, { recursive: true, force: true }) };
}

/** Builds one image into an OCI layout directory. */
export async function buildImage(options: BuildImageOptions = {}): Promise<BuiltImage> {
  const { dir, cleanup } = await layoutDir(options.dir);
  const written = await writeImageBlobs(dir, options);
  // index.json lists the image without a platform, as single-platform layouts do.
  const descriptor: Descriptor = { mediaType: written.descriptor.mediaType, digest: written.descriptor.digest, size: written.descriptor.size };
  await writeIndexJson(dir, descriptor, options.tag ?? 'latest');
  return { dir, descriptor, manifestDigest: descriptor.digest, configDigest: written.configDigest, layers: written.layers, diffIds: written.diffIds, cleanup };
}

/** A multi-platform image: one image per platform, under one image index. */
export interface MultiArchImage {
  dir: string;
  /** The index descriptor (index.json points at it). */
  descriptor: Descriptor;
  /** The per-platform manifests as listed in the index. */
  manifests: Descriptor[];
  cleanup(): Promise<void>;
}

/**
 * Builds an image index over one image per entry of `variants` (each with its `platform`),
 * into one layout; `format: 'docker'` writes a Docker manifest list instead.
 */
export async function buildMultiArchImage(
  variants: Array<Omit<BuildImageOptions, 'dir' | 'tag' | 'format'> & { platform: Platform }>,
  options: { dir?: string; tag?: string; format?: 'oci' | 'docker' } = {},
): Promise<MultiArchImage> {
  const { dir, cleanup } = await layoutDir(options.dir);
  const manifests: Descriptor[] = [];
  for (const variant of variants) manifests.push((await writeImageBlobs(dir, { ...variant, format: options.format })).descriptor);
  const mediaType = options.format === 'docker' ? MediaTypes.dockerManifestList : MediaTypes.ociIndex;
  const index = { schemaVersion: 2, mediaType, manifests };
  const descriptor = await writeBlob(dir, Buffer.from(JSON.stringify(index)), mediaType);
  await writeIndexJson(dir, descriptor, options.tag ?? 'latest');
  return { dir, descriptor, manifests, cleanup };
}

/** Options of {@link pushImageLayout}. */
export interface PushOptions {
  /** Which image of index.json to push, by its ref name; default: the only one. */
  tag?: string;
  /** Credentials: sent as Basic, or to the token realm when the registry asks for a Bearer token. */
  auth?: { username: string; password: string };
  /** `http` (default, test registries are plain HTTP on loopback) or `https`. */
  scheme?: 'http' | 'https';
}

/** What {@link pushImageLayout} pushed. */
export interface PushResult {
  /** The digest of the top manifest (an index for multi-arch layouts): pull by `repo@digest`. */
  digest: string;
  mediaType: string;
  /** How many blobs were uploaded (those already present are skipped). */
  blobsUploaded: number;
}

interface Pusher {
  base: string;
  repository: string;
  authorization?: string;
  options: PushOptions;
  uploaded: number;
}

function splitTarget(target: string): { host: string; repository: string; tag: string } {
  const slash = target.indexOf('/');
  const colon = target.lastIndexOf(':');
  if (slash < 0 || colon < slash) throw new Error(`push target must be host/repository:tag, got ${target}`);
  return { host: target.slice(0, slash), repository: target.slice(slash + 1, colon), tag: target.slice(colon + 1) };
}

const basic = (auth: { username: string; password: string }): string =>
  `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;

/** One request; on a Bearer challenge, fetches a token for the challenge's scope and retries once. */
async function send(pusher: Pusher, url: string, init: RequestInit): Promise<Response> {
  const attempt = (authorization?: string) =>
    fetch(url, { ...init, headers: { ...(init.headers as Record<string, string>), ...(authorization ? { authorization } : {}) } });
  const res = await attempt(pusher.authorization);
  const challenge = res.headers.get('www-authenticate') ?? '';
  if (res.status !== 401 || pusher.authorization?.startsWith('Bearer ')) return res;
  await res.body?.cancel();
  if (/^basic/i.test(challenge) && pusher.options.auth) {
    pusher.authorization = basic(pusher.options.auth);
  } else if (/^bearer/i.test(challenge)) {
    const params = Object.fromEntries([...challenge.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]!.toLowerCase(), m[2]!]));
    const tokenUrl = new URL(params.realm!);
    if (params.service) tokenUrl.searchParams.set('service', params.service);
    tokenUrl.searchParams.set('scope', params.scope ?? `repository:${pusher.repository}:pull,push`);
    const tokenRes = await fetch(tokenUrl, { headers: pusher.options.auth ? { authorization: basic(pusher.options.auth) } : {} });
    if (!tokenRes.ok) throw new Error(`token request to ${tokenUrl.origin} failed: ${tokenRes.status}`);
    const body = (await tokenRes.json()) as { token?: string; access_token?: string };
    pusher.authorization = `Bearer ${body.token ?? body.access_token}`;
  } else {
    return attempt();
  }
  return attempt(pusher.authorization);
}

async function expectStatus(res: Response, expected: number, what: string): Promise<void> {
  if (res.status !== expected) throw new Error(`${what}: HTTP ${res.status} ${await res.text()}`);
  await res.body?.cancel();
}

async function pushBlob(pusher: Pusher, dir: string, digest: string): Promise<void> {
  const blobUrl = `${pusher.base}/v2/${pusher.repository}/blobs/${digest}`;
  const head = await send(pusher, blobUrl, { method: 'HEAD' });
  if (head.status === 200) return;
  const start = await send(pusher, `${pusher.base}/v2/${pusher.repository}/blobs/uploads/`, { method: 'POST' });
  await expectStatus(start, 202, `start upload of ${digest}`);
  const location = new URL(start.headers.get('location')!, pusher.base);
  location.searchParams.set('digest', digest);
  const body = await readBlob(dir, digest);
  const put = await send(pusher, location.toString(), { method: 'PUT', body, headers: { 'content-type': 'application/octet-stream' } });
  await expectStatus(put, 201, `upload of ${digest}`);
  pusher.uploaded++;
}

/** Pushes a manifest's blobs (or an index's manifests, recursively), then the manifest under `reference`. */
async function pushManifest(pusher: Pusher, dir: string, descriptor: Descriptor, reference: string): Promise<void> {
  const bytes = await readBlob(dir, descriptor.digest);
  const parsed = JSON.parse(bytes.toString()) as { manifests?: Descriptor[]; config?: Descriptor; layers?: Descriptor[] };
  for (const child of parsed.manifests ?? []) await pushManifest(pusher, dir, child, child.digest);
  for (const blob of [...(parsed.config ? [parsed.config] : []), ...(parsed.layers ?? [])]) await pushBlob(pusher, dir, blob.digest);
  const res = await send(pusher, `${pusher.base}/v2/${pusher.repository}/manifests/${reference}`, {
    method: 'PUT',
    body: bytes,
    headers: { 'content-type': descriptor.mediaType },
  });
  await expectStatus(res, 201, `manifest PUT ${reference}`);
}

/**
 * Pushes an image of an OCI layout to `host/repository:tag` over the distribution API: monolithic
 * blob uploads (POST, then PUT with `?digest=`), skipping blobs the registry has, then the
 * manifests, each child manifest of an index by digest and the top one by tag.
 */
export async function pushImageLayout(dir: string, target: string, options: PushOptions = {}): Promise<PushResult> {
  const { host, repository, tag } = splitTarget(target);
  const index = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8')) as { manifests: Descriptor[] };
  const candidates = options.tag
    ? index.manifests.filter((m) => m.annotations?.['org.opencontainers.image.ref.name'] === options.tag)
    : index.manifests;
  if (candidates.length !== 1) throw new Error(`layout ${dir} has ${candidates.length} images matching ${options.tag ?? '(any)'}`);
  const descriptor = candidates[0]!;
  const pusher: Pusher = { base: `${options.scheme ?? 'http'}://${host}`, repository, options, uploaded: 0 };
  await pushManifest(pusher, dir, descriptor, tag);
  return { digest: descriptor.digest, mediaType: descriptor.mediaType, blobsUploaded: pusher.uploaded };
}
