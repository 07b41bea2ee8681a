import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { DigestVerifier, digestOf, verifyBytes } from './digest.js';
import { PullErrorKind, RegistryError } from './pull-error.js';

const bytes = Buffer.from('layer content '.repeat(1000));
const sha256 = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
const sha512 = `sha512:${createHash('sha512').update(bytes).digest('hex')}`;

/** Streams `data` in small chunks through a verifier; resolves with what came out. */
async function through(data: Buffer, verifier: DigestVerifier): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const chunked = Array.from({ length: Math.ceil(data.length / 1000) }, (_, i) => data.subarray(i * 1000, (i + 1) * 1000));
  await pipeline(Readable.from(chunked), verifier, async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) chunks.push(chunk);
  });
  return Buffer.concat(chunks);
}

describe('digests', () => {
  it('computes sha256 and sha512 digests', () => {
    expect(digestOf(bytes)).toBe(sha256);
    expect(digestOf(bytes, 'sha512')).toBe(sha512);
  });

  it('verifies bytes', () => {
    expect(() => verifyBytes(bytes, sha512, 'config')).not.toThrow();
    expect(() => verifyBytes(Buffer.from('other'), sha256, 'config-x')).toThrow(/failed commit on ref "config-x": unexpected commit digest sha256:[a-f0-9]{64}, expected sha256:/);
  });

  it.each([sha256, sha512])('passes matching streams through unchanged (%s)', async (digest) => {
    expect(await through(bytes, new DigestVerifier(digest, 'layer', bytes.length))).toEqual(bytes);
  });

  it('fails a stream whose content differs', async () => {
    const corrupted = Buffer.from(bytes);
    corrupted[100]! ^= 1;
    const err = await through(corrupted, new DigestVerifier(sha256, `layer-${sha256}`, bytes.length)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RegistryError);
    expect((err as RegistryError).kind).toBe(PullErrorKind.Integrity);
    expect((err as Error).message).toContain(`expected ${sha256}`);
  });

  it('fails a stream longer than its size as soon as it overflows, and a shorter one at the end', async () => {
    const longer = await through(Buffer.concat([bytes, Buffer.from('x')]), new DigestVerifier(sha256, 'layer', bytes.length)).catch((e: unknown) => e);
    expect((longer as Error).message).toMatch(/unexpected commit size \d+, expected 14000/);
    const shorter = await through(bytes.subarray(1), new DigestVerifier(sha256, 'layer', bytes.length)).catch((e: unknown) => e);
    expect((shorter as Error).message).toMatch(/unexpected commit size 13999, expected 14000/);
  });

  it('refuses digests it cannot check', () => {
    expect(() => new DigestVerifier('md5:abc', 'layer')).toThrow(/invalid digest/);
  });
});
