/** What a `/v2/` path addresses. */
export type V2Route =
  | { kind: 'base' }
  | { kind: 'tags'; name: string }
  | { kind: 'manifest'; name: string; reference: string }
  | { kind: 'blob'; name: string; digest: string }
  | { kind: 'upload'; name: string; id?: string }
  | { kind: 'referrers'; name: string; digest: string };

/**
 * Splits a `/v2/` path (without query) into its route. Repository names contain slashes, so the
 * operation is found from the end: `<name>/tags/list`, `<name>/blobs/uploads/[<id>]`,
 * `<name>/{manifests,blobs,referrers}/<ref>`. The last segment is percent-decoded (a digest may
 * arrive as `sha256%3A…`). Returns undefined for anything else.
 */
export function parseV2Path(path: string): V2Route | undefined {
  if (path === '/v2' || path === '/v2/') return { kind: 'base' };
  if (!path.startsWith('/v2/')) return undefined;
  const rest = path.slice('/v2/'.length);
  let m = /^(.+)\/tags\/list$/.exec(rest);
  if (m) return { kind: 'tags', name: m[1]! };
  m = /^(.+)\/blobs\/uploads\/?([^/]*)$/.exec(rest);
  if (m) {
    const id = decode(m[2]!);
    if (id === undefined) return undefined;
    return { kind: 'upload', name: m[1]!, ...(id !== '' && { id }) };
  }
  m = /^(.+)\/(manifests|blobs|referrers)\/([^/]+)$/.exec(rest);
  if (!m) return undefined;
  const ref = decode(m[3]!);
  if (ref === undefined) return undefined;
  const name = m[1]!;
  if (m[2] === 'manifests') return { kind: 'manifest', name, reference: ref };
  if (m[2] === 'blobs') return { kind: 'blob', name, digest: ref };
  return { kind: 'referrers', name, digest: ref };
}

function decode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
