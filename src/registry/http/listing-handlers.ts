import { ErrorKind } from '../../lib/errors.js';
import { registryError } from '../errors.js';
import { MediaType } from '../media-types.js';
import type { V2Call } from './context.js';

/** The most tags one tag-list page holds; a larger (or absent) `n` gets this many and a Link. */
export const MAX_TAGS_PAGE = 1000;

/** GET `/tags/list?n=&last=`: tags in lexical order, with `Link: <…>; rel="next"` when more follow. */
export async function listTags(call: V2Call, name: string): Promise<void> {
  const { registry, scope, reply, query } = call;
  const repository = await registry.repositories.get(scope, name);
  const nParam = query.get('n');
  if (nParam !== null && !/^\d+$/.test(nParam)) {
    throw registryError(ErrorKind.InvalidArgument, 'pagination', `invalid number of results requested: n=${nParam}`, { n: nParam });
  }
  const n = Math.min(nParam === null ? MAX_TAGS_PAGE : Number(nParam), MAX_TAGS_PAGE);
  const last = query.get('last') ?? undefined;
  const page = await registry.queries.tags(repository, n, last);
  if (page.more && page.tags.length > 0) {
    const next = new URLSearchParams({ n: String(n), last: page.tags[page.tags.length - 1]! });
    void reply.header('Link', `</v2/${name}/tags/list?${next.toString()}>; rel="next"`);
  }
  await reply.header('Content-Type', 'application/json').send(JSON.stringify({ name, tags: page.tags }));
}

/**
 * GET `/referrers/<digest>[?artifactType=]`: an OCI image index of the manifests whose subject is
 * the digest (empty, not 404, when there are none). A filter is announced by `OCI-Filters-Applied`.
 */
export async function listReferrers(call: V2Call, name: string, digest: string): Promise<void> {
  const { registry, scope, reply, query } = call;
  const repository = await registry.repositories.get(scope, name);
  const artifactTypes = query.getAll('artifactType');
  const referrers = await registry.queries.referrers(repository, digest, artifactTypes);
  if (artifactTypes.length) void reply.header('OCI-Filters-Applied', 'artifactType');
  const index = { schemaVersion: 2, mediaType: MediaType.OciIndex, manifests: referrers };
  // A Buffer, so that Fastify does not append a charset to the media type.
  await reply.header('Content-Type', MediaType.OciIndex).send(Buffer.from(JSON.stringify(index)));
}
