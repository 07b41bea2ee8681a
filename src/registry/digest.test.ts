import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { digestOf, parseDigest, requireDigest } from './digest.js';

describe('digests', () => {
  it('accepts sha256 and sha512 in canonical form only', () => {
    const sha256 = `sha256:${'a'.repeat(64)}`;
    expect(parseDigest(sha256)).toEqual({ algorithm: 'sha256', hex: 'a'.repeat(64), digest: sha256 });
    expect(parseDigest(`sha512:${'0'.repeat(128)}`)?.algorithm).toBe('sha512');
    for (const bad of [`sha256:${'A'.repeat(64)}`, `sha256:${'a'.repeat(63)}`, `sha512:${'a'.repeat(64)}`, `md5:${'a'.repeat(32)}`, 'sha256', '', `sha256:${'g'.repeat(64)}`]) {
      expect(parseDigest(bad), bad).toBeUndefined();
    }
    expect(() => requireDigest('sha256:x')).toThrow(/invalid digest/);
  });

  it('parses every digest it computes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.constantFrom('sha256' as const, 'sha512' as const), (bytes, algorithm) => {
        const digest = digestOf(bytes, algorithm);
        expect(parseDigest(digest)?.algorithm).toBe(algorithm);
      }),
    );
  });
});
