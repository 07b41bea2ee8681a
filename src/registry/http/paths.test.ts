import { describe, expect, it } from 'vitest';
import { parseV2Path } from './paths.js';

describe('parseV2Path', () => {
  it('finds the operation from the end, so names may contain slashes', () => {
    expect(parseV2Path('/v2/')).toEqual({ kind: 'base' });
    expect(parseV2Path('/v2')).toEqual({ kind: 'base' });
    expect(parseV2Path('/v2/a/b/c/tags/list')).toEqual({ kind: 'tags', name: 'a/b/c' });
    expect(parseV2Path('/v2/a/b/manifests/latest')).toEqual({ kind: 'manifest', name: 'a/b', reference: 'latest' });
    expect(parseV2Path('/v2/a/blobs/sha256%3Aabc')).toEqual({ kind: 'blob', name: 'a', digest: 'sha256:abc' });
    expect(parseV2Path('/v2/a/blobs/uploads/')).toEqual({ kind: 'upload', name: 'a' });
    expect(parseV2Path('/v2/a/blobs/uploads')).toEqual({ kind: 'upload', name: 'a' });
    expect(parseV2Path('/v2/a/blobs/uploads/123')).toEqual({ kind: 'upload', name: 'a', id: '123' });
    expect(parseV2Path('/v2/a/referrers/sha256:abc')).toEqual({ kind: 'referrers', name: 'a', digest: 'sha256:abc' });
    // A repository may be called "manifests".
    expect(parseV2Path('/v2/x/manifests/manifests/v1')).toEqual({ kind: 'manifest', name: 'x/manifests', reference: 'v1' });
  });

  it('rejects paths that address nothing', () => {
    expect(parseV2Path('/v1/')).toBeUndefined();
    expect(parseV2Path('/v2/a')).toBeUndefined();
    expect(parseV2Path('/v2/a/manifests/')).toBeUndefined();
    expect(parseV2Path('/v2/a/blobs/%E0%A4%A')).toBeUndefined();
  });
});
