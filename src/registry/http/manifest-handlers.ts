import { looksLikeDigest } from '../digest.js';
import { manifestTooLarge } from '../errors.js';
import { MAX_MANIFEST_BYTES } from '../metadata/images.js';
import { v2Path, type V2Call } from './context.js';
import { readLimited } from './request-io.js';

/**
 * HEAD and GET of a manifest by tag or digest, with its own media type as Content-Type; under a
 * pull through cache rule, fetched from upstream first or refreshed (pull-through/cache.ts).
 */
export async function getManifest(call: V2Call, name: string, reference: string): Promise<void> {
  const { registry, scope, req, reply } = call;
  // Under a pull through cache rule: fetched on a miss, refreshed when the tag is due.
  await registry.pullThrough.prepare(scope, name, reference);
  const found = await registry.images.resolve(scope, name, reference);
  void reply
    .header('Content-Type', found.record.mediaType)
    .header('Docker-Content-Digest', found.record.digest)
    .header('Content-Length', String(found.body.length));
  if (req.method === 'HEAD') return void (await reply.send());
  await registry.images.recordPull(found.repository, found.record);
  await reply.send(found.body);
}

/** PUT of a manifest under a tag or its digest (201; `OCI-Subject` when it has a subject). */
export async function putManifest(call: V2Call, name: string, reference: string): Promise<void> {
  const { registry, scope, req, reply } = call;
  const bytes = await readLimited(req.raw, MAX_MANIFEST_BYTES, () => manifestTooLarge(MAX_MANIFEST_BYTES));
  const byDigest = looksLikeDigest(reference);
  const contentType = req.headers['content-type'];
  const pushed = await registry.images.push(scope, name, {
    bytes,
    ...(contentType !== undefined && { contentType }),
    ...(byDigest ? { digest: reference } : { tag: reference }),
  });
  void reply
    .code(201)
    .header('Location', v2Path(name, `manifests/${pushed.record.digest}`))
    .header('Docker-Content-Digest', pushed.record.digest)
    .header('Content-Length', '0');
  if (pushed.subject) void reply.header('OCI-Subject', pushed.subject);
  await reply.send();
}

/** DELETE by digest removes the manifest and its tags; by tag, only the tag (202). */
export async function deleteManifest(call: V2Call, name: string, reference: string): Promise<void> {
  const { registry, scope, reply } = call;
  if (looksLikeDigest(reference)) await registry.images.deleteManifest(scope, name, reference);
  else await registry.images.deleteTag(scope, name, reference);
  await reply.code(202).header('Content-Length', '0').send();
}
