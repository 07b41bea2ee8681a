/**
 * Content digests (`sha256:<hex>`, `sha512:<hex>`): computing them and verifying streams against
 * them as the bytes pass, so that nothing unverified is ever kept.
 */
import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { parseDigest } from './image-ref.js';
import { PullErrorKind, RegistryError } from './pull-error.js';

/** The digest of some bytes with the given algorithm (default sha256). */
export function digestOf(bytes: Uint8Array, algorithm: 'sha256' | 'sha512' = 'sha256'): string {
  return `${algorithm}:${createHash(algorithm).update(bytes).digest('hex')}`;
}

/** Parses a digest from a registry, turning a bad one into an InvalidContent registry error. */
export function checkedDigest(digest: unknown, what: string): { algorithm: 'sha256' | 'sha512'; hex: string } {
  try {
    if (typeof digest !== 'string') throw new Error('not a string');
    return parseDigest(digest);
  } catch {
    throw new RegistryError(PullErrorKind.InvalidContent, `invalid digest ${JSON.stringify(digest)} of ${what}`);
  }
}

/** The error for bytes that do not hash to their digest (containerd's wording). */
export function digestMismatch(ref: string, actual: string, expected: string): RegistryError {
  return new RegistryError(PullErrorKind.Integrity, `failed commit on ref "${ref}": unexpected commit digest ${actual}, expected ${expected}: failed precondition`);
}

/** Throws unless `bytes` hash to `expected`. */
export function verifyBytes(bytes: Uint8Array, expected: string, ref: string): void {
  const { algorithm } = checkedDigest(expected, ref);
  const actual = digestOf(bytes, algorithm);
  if (actual !== expected) throw digestMismatch(ref, actual, expected);
}

/**
 * A pass-through stream that hashes what flows through it and fails at the end (or as soon as
 * too many bytes arrive) unless the content matches `expected` and, when given, `size`.
 */
export class DigestVerifier extends Transform {
  private readonly hash: Hash;
  private readonly algorithm: 'sha256' | 'sha512';
  private received = 0;

  constructor(
    private readonly expected: string,
    /** The name containerd gives the content in errors, e.g. `layer-sha256:…`. */
    private readonly ref: string,
    private readonly size?: number,
  ) {
    super();
    this.algorithm = checkedDigest(expected, ref).algorithm;
    this.hash = createHash(this.algorithm);
  }

  /** Bytes seen so far. */
  get bytes(): number {
    return this.received;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.received += chunk.length;
    if (this.size !== undefined && this.received > this.size) {
      callback(this.sizeError());
      return;
    }
    this.hash.update(chunk);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    if (this.size !== undefined && this.received !== this.size) {
      callback(this.sizeError());
      return;
    }
    const actual = `${this.algorithm}:${this.hash.digest('hex')}`;
    callback(actual === this.expected ? null : digestMismatch(this.ref, actual, this.expected));
  }

  private sizeError(): RegistryError {
    return new RegistryError(
      PullErrorKind.Integrity,
      `failed commit on ref "${this.ref}": commit failed: unexpected commit size ${this.received}, expected ${this.size}: failed precondition`,
    );
  }
}
