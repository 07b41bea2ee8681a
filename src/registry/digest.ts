import { createHash } from 'node:crypto';
import { DomainError, ErrorKind } from '../lib/errors.js';

/**
 * Content digests as the OCI image spec defines them: `<algorithm>:<lowercase hex>`. Only the two
 * registered algorithms are accepted; anything else is refused rather than stored unverified.
 */
export const DigestAlgorithm = { sha256: 'sha256', sha512: 'sha512' } as const;
/** One of {@link DigestAlgorithm}. */
export type DigestAlgorithm = (typeof DigestAlgorithm)[keyof typeof DigestAlgorithm];

/** Hex length of each algorithm's digest. */
const HEX_LENGTH: Readonly<Record<DigestAlgorithm, number>> = { sha256: 64, sha512: 128 };

/** A parsed, valid digest. */
export interface ParsedDigest {
  readonly algorithm: DigestAlgorithm;
  readonly hex: string;
  /** The canonical `<algorithm>:<hex>` string. */
  readonly digest: string;
}

/** The digest grammar of the OCI image spec (any algorithm, any encoding), before the registered-algorithm check. */
const DIGEST_GRAMMAR = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;

/** Parses `value` as a digest of a registered algorithm, or returns undefined. */
export function parseDigest(value: string): ParsedDigest | undefined {
  if (!DIGEST_GRAMMAR.test(value)) return undefined;
  const colon = value.indexOf(':');
  const algorithm = value.slice(0, colon);
  const hex = value.slice(colon + 1);
  if (algorithm !== 'sha256' && algorithm !== 'sha512') return undefined;
  if (hex.length !== HEX_LENGTH[algorithm] || !/^[0-9a-f]+$/.test(hex)) return undefined;
  return { algorithm, hex, digest: value };
}

/** Tells whether `value` looks like a digest at all (so that a reference is not taken for a tag). */
export function looksLikeDigest(value: string): boolean {
  return value.includes(':');
}

/** Parses a digest or throws DIGEST_INVALID (domain: InvalidArgument/digest). */
export function requireDigest(value: string): ParsedDigest {
  const parsed = parseDigest(value);
  if (!parsed) throw invalidDigest(value, `invalid digest "${value}": expected sha256:<64 hex> or sha512:<128 hex>`);
  return parsed;
}

/** The error for a malformed digest, or for content that does not match its digest. */
export function invalidDigest(digest: string, message: string): DomainError {
  return new DomainError(ErrorKind.InvalidArgument, message, 'digest', { digest });
}

/** The digest of `bytes` with `algorithm`. */
export function digestOf(bytes: Uint8Array, algorithm: DigestAlgorithm = 'sha256'): string {
  return `${algorithm}:${createHash(algorithm).update(bytes).digest('hex')}`;
}
