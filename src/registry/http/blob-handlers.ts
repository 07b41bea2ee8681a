import { requireDigest } from '../digest.js';
import { blobUnknown } from '../errors.js';
import type { V2Call } from './context.js';
import { requestedRange } from './request-io.js';
import { sendFileRange } from './send-file.js';

/** HEAD and GET of a blob: the whole content or one byte range (206), streamed from disk. */
export async function getBlob(call: V2Call, name: string, digestText: string): Promise<void> {
  const { registry, scope, req, reply } = call;
  const digest = requireDigest(digestText);
  const repository = await registry.repositories.get(scope, name);
  const size = await registry.blobs.linkedSize(digest.digest, repository.uid);
  if (size === undefined) throw blobUnknown(digest.digest);
  void reply.header('Docker-Content-Digest', digest.digest).header('Accept-Ranges', 'bytes').header('Content-Type', 'application/octet-stream');
  const range = requestedRange(req.headers.range, size);
  if (range) void reply.code(206).header('Content-Range', `bytes ${range.start}-${range.end}/${size}`);
  const length = range ? range.end - range.start + 1 : size;
  void reply.header('Content-Length', String(length));
  if (req.method === 'HEAD') return void (await reply.send());
  // An empty blob has no bytes to read (and an empty range is not a valid read range).
  if (length === 0) return void (await reply.send(''));
  const file = await registry.files.open(digest);
  if (!file) throw blobUnknown(digest.digest);
  // The body bypasses Fastify's stream piping: pooled buffers instead of one new buffer per read.
  reply.hijack();
  const res = reply.raw;
  try {
    for (const [header, value] of Object.entries(reply.getHeaders())) if (value !== undefined) res.setHeader(header, value);
    res.writeHead(reply.statusCode);
    await sendFileRange(res, file, range?.start ?? 0, length, registry.files.readBuffers);
  } catch {
    // Headers are out: the only way left to tell the client is to cut the response short.
    res.destroy();
  } finally {
    await file.close();
  }
}

/** DELETE of a blob: removes it from the repository (202); the file goes when nothing uses it. */
export async function deleteBlob(call: V2Call, name: string, digestText: string): Promise<void> {
  const { registry, scope, reply } = call;
  const digest = requireDigest(digestText);
  const repository = await registry.repositories.get(scope, name);
  if (!(await registry.blobs.unlink(digest.digest, repository.uid))) throw blobUnknown(digest.digest);
  await reply.code(202).header('Content-Length', '0').send();
}
