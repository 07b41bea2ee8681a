import { invalidDigest, requireDigest } from '../digest.js';
import type { RepositoryRecord } from '../metadata/records.js';
import type { UploadOwner, UploadRecord } from '../storage/uploads.js';
import { uploadRange, v2Path, type V2Call } from './context.js';
import { chunkFraming, hasBody } from './request-io.js';

const ownerOf = (r: RepositoryRecord): UploadOwner => ({ uid: r.uid, name: r.name, region: r.region });

/**
 * POST `/blobs/uploads/`: a cross-repository mount (`?mount=&from=`: 201 when the source has the
 * blob, else an ordinary upload session), a single-request monolithic upload (`?digest=`: 201),
 * or a new upload session (202).
 */
export async function startUpload(call: V2Call, name: string): Promise<void> {
  const { registry, scope, req, query } = call;
  const repository = await registry.repositories.get(scope, name);
  const mount = query.get('mount');
  const from = query.get('from');
  if (mount !== null) {
    const digest = requireDigest(mount);
    const source = from === null ? undefined : await registry.repositories.find(scope.region, from);
    const size = source && (await registry.blobs.mount(digest.digest, source.uid, repository.uid));
    if (size !== undefined) {
      req.raw.resume();
      return blobCreated(call, name, digest.digest);
    }
  }
  const digestParam = query.get('digest');
  if (digestParam !== null && mount === null) {
    const digest = requireDigest(digestParam);
    const session = await registry.uploads.start(ownerOf(repository));
    try {
      await registry.uploads.finish(session.id, ownerOf(repository), digest, { body: req.raw, framing: chunkFraming(req.raw) });
    } catch (err) {
      await registry.uploads.cancel(session.id, ownerOf(repository)).catch(() => undefined);
      throw err;
    }
    return blobCreated(call, name, digest.digest);
  }
  // A body without a digest has nothing to belong to; it is read and dropped.
  if (hasBody(req.raw)) req.raw.resume();
  const session = await registry.uploads.start(ownerOf(repository));
  await sessionReply(call, session, 202);
}

/** PATCH: appends a chunk (Content-Range must start at the current end, else 416) or a stream. */
export async function patchUpload(call: V2Call, name: string, id: string): Promise<void> {
  const { registry, scope, req } = call;
  const repository = await registry.repositories.get(scope, name);
  const session = await registry.uploads.append(id, ownerOf(repository), req.raw, chunkFraming(req.raw));
  await sessionReply(call, session, 202);
}

/** PUT `?digest=`: an optional last chunk, then verification and commit (201). */
export async function finishUpload(call: V2Call, name: string, id: string): Promise<void> {
  const { registry, scope, req, query } = call;
  const digestParam = query.get('digest');
  if (digestParam === null) throw invalidDigest('', 'the digest query parameter is required to finish an upload');
  const digest = requireDigest(digestParam);
  const repository = await registry.repositories.get(scope, name);
  const last = hasBody(req.raw) ? { body: req.raw, framing: chunkFraming(req.raw) } : undefined;
  await registry.uploads.finish(id, ownerOf(repository), digest, last);
  await blobCreated(call, name, digest.digest);
}

/** GET: where the upload stands (204 with Range). */
export async function uploadStatus(call: V2Call, name: string, id: string): Promise<void> {
  const { registry, scope } = call;
  const repository = await registry.repositories.get(scope, name);
  await sessionReply(call, await registry.uploads.status(id, ownerOf(repository)), 204);
}

/** DELETE: cancels the upload (204). */
export async function cancelUpload(call: V2Call, name: string, id: string): Promise<void> {
  const { registry, scope, reply } = call;
  const repository = await registry.repositories.get(scope, name);
  await registry.uploads.cancel(id, ownerOf(repository));
  await reply.code(204).send();
}

async function sessionReply(call: V2Call, session: UploadRecord, status: number): Promise<void> {
  await call.reply
    .code(status)
    .header('Location', v2Path(session.repository, `blobs/uploads/${session.id}`))
    .header('Range', uploadRange(session.offset))
    .header('Docker-Upload-UUID', session.id)
    .header('Content-Length', '0')
    .send();
}

async function blobCreated(call: V2Call, name: string, digest: string): Promise<void> {
  await call.reply
    .code(201)
    .header('Location', v2Path(name, `blobs/${digest}`))
    .header('Docker-Content-Digest', digest)
    .header('Content-Length', '0')
    .send();
}
