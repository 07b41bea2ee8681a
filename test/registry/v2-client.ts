/** A small `/v2/` client over fetch for the distribution API tests: raw requests, no retries. */
import { createHash } from 'node:crypto';
import type { TestRegistry } from './harness.js';

/** What a request sends. */
export interface V2Request {
  body?: Buffer | string;
  headers?: Record<string, string>;
  /** Default: the harness's access key credentials. `null` sends no Authorization header. */
  authorization?: string | null;
}

/** A response with its body read. */
export interface V2Response {
  status: number;
  headers: Headers;
  body: Buffer;
  text: string;
  /** The parsed JSON body, when it is JSON. */
  json: unknown;
  /** The first OCI error code of an error body. */
  code: string | undefined;
}

/** Sends one request to the registry. */
export async function v2(reg: TestRegistry, method: string, path: string, request: V2Request = {}): Promise<V2Response> {
  const authorization = request.authorization === undefined ? reg.basic : request.authorization;
  const res = await fetch(`${reg.endpoint}${path}`, {
    method,
    headers: { ...(authorization !== null && { authorization }), ...request.headers },
    ...(request.body !== undefined && { body: request.body }),
  });
  const body = Buffer.from(await res.arrayBuffer());
  const text = body.toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const code = (json as { errors?: Array<{ code?: string }> } | undefined)?.errors?.[0]?.code;
  return { status: res.status, headers: res.headers, body, text, json, code };
}

/** The sha256 digest of bytes. */
export const sha256 = (bytes: Buffer | string): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/** Uploads a blob monolithically (POST, then PUT ?digest=); returns its digest. */
export async function pushBlob(reg: TestRegistry, name: string, bytes: Buffer | string): Promise<string> {
  const digest = sha256(bytes);
  const start = await v2(reg, 'POST', `/v2/${name}/blobs/uploads/`);
  if (start.status !== 202) throw new Error(`POST upload: ${start.status} ${start.text}`);
  const done = await v2(reg, 'PUT', `${start.headers.get('location')}?digest=${digest}`, {
    body: bytes,
    headers: { 'content-type': 'application/octet-stream' },
  });
  if (done.status !== 201) throw new Error(`PUT upload: ${done.status} ${done.text}`);
  return digest;
}

/** An OCI image manifest over a config and layers that were pushed with {@link pushBlob}. */
export function imageManifest(config: { digest: string; size: number }, layers: Array<{ digest: string; size: number }>, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
    layers: layers.map((l) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...l })),
    ...extra,
  });
}

/** Pushes a config and one layer of the given content and a manifest for them under `tag`; returns the manifest. */
export async function pushImage(reg: TestRegistry, name: string, tag: string, layerContent: string): Promise<{ digest: string; manifest: string; layer: string; config: string }> {
  const configBytes = JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] }, layer: layerContent });
  const config = await pushBlob(reg, name, configBytes);
  const layer = await pushBlob(reg, name, layerContent);
  const manifest = imageManifest({ digest: config, size: Buffer.byteLength(configBytes) }, [{ digest: layer, size: Buffer.byteLength(layerContent) }]);
  const res = await v2(reg, 'PUT', `/v2/${name}/manifests/${tag}`, { body: manifest, headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' } });
  if (res.status !== 201) throw new Error(`PUT manifest: ${res.status} ${res.text}`);
  return { digest: sha256(manifest), manifest, layer, config };
}
