import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Envelope encryption of one value: a fresh random 256-bit data key encrypts the value with
 * AES-256-GCM, and the master key wraps that data key with AES-256-GCM. Both layers authenticate
 * the caller's context (the resource ARN and version) as associated data, so a sealed value only
 * opens where it was sealed: copied onto another secret, parameter or version, it fails
 * authentication instead of decrypting.
 *
 * Layout (all lengths in bytes):
 *   [1 format version][12 wrap IV][16 wrap tag][32 wrapped data key][12 data IV][16 data tag][ciphertext]
 */

const FORMAT = 1;
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + IV_BYTES + TAG_BYTES + KEY_BYTES + IV_BYTES + TAG_BYTES;

// Domain separation: the wrapped key and the data are bound to different purposes, so one layer's
// associated data can never be replayed as the other's.
const WRAP_PURPOSE = Buffer.from('minato/data-key/v1\0', 'utf8');
const DATA_PURPOSE = Buffer.from('minato/value/v1\0', 'utf8');

/** A sealed value failed to open: tampered with, truncated, moved, or sealed under another key. */
export class EnvelopeError extends Error {
  override readonly name = 'EnvelopeError';
}

const aad = (purpose: Buffer, context: string) => Buffer.concat([purpose, Buffer.from(context, 'utf8')]);

/** Encrypts `plaintext` under a fresh data key wrapped by `masterKey`, bound to `context`. */
export function sealValue(masterKey: Buffer, plaintext: Buffer, context: string): Buffer {
  checkKey(masterKey);
  const dataKey = randomBytes(KEY_BYTES);
  try {
    const wrapIv = randomBytes(IV_BYTES);
    const wrap = createCipheriv('aes-256-gcm', masterKey, wrapIv);
    wrap.setAAD(aad(WRAP_PURPOSE, context));
    const wrappedKey = Buffer.concat([wrap.update(dataKey), wrap.final()]);
    const wrapTag = wrap.getAuthTag();

    const dataIv = randomBytes(IV_BYTES);
    const data = createCipheriv('aes-256-gcm', dataKey, dataIv);
    data.setAAD(aad(DATA_PURPOSE, context));
    const ciphertext = Buffer.concat([data.update(plaintext), data.final()]);
    const dataTag = data.getAuthTag();
    return Buffer.concat([Buffer.of(FORMAT), wrapIv, wrapTag, wrappedKey, dataIv, dataTag, ciphertext]);
  } finally {
    dataKey.fill(0);
  }
}

/** Decrypts a value made by {@link sealValue} with the same master key and context. */
export function openValue(masterKey: Buffer, sealed: Buffer, context: string): Buffer {
  checkKey(masterKey);
  if (sealed.length < HEADER_BYTES || sealed[0] !== FORMAT) throw new EnvelopeError('The sealed value is malformed.');
  let at = 1;
  const take = (n: number) => sealed.subarray(at, (at += n));
  const wrapIv = take(IV_BYTES);
  const wrapTag = take(TAG_BYTES);
  const wrappedKey = take(KEY_BYTES);
  const dataIv = take(IV_BYTES);
  const dataTag = take(TAG_BYTES);
  const ciphertext = sealed.subarray(at);
  let dataKey: Buffer | undefined;
  try {
    const unwrap = createDecipheriv('aes-256-gcm', masterKey, wrapIv);
    unwrap.setAAD(aad(WRAP_PURPOSE, context));
    unwrap.setAuthTag(wrapTag);
    dataKey = Buffer.concat([unwrap.update(wrappedKey), unwrap.final()]);
    const data = createDecipheriv('aes-256-gcm', dataKey, dataIv);
    data.setAAD(aad(DATA_PURPOSE, context));
    data.setAuthTag(dataTag);
    return Buffer.concat([data.update(ciphertext), data.final()]);
  } catch {
    // Node's message says only "Unsupported state or unable to authenticate data"; ours says the same
    // without hinting which layer failed.
    throw new EnvelopeError('The sealed value failed authentication.');
  } finally {
    dataKey?.fill(0);
  }
}

function checkKey(key: Buffer): void {
  if (key.length !== KEY_BYTES) throw new EnvelopeError(`The master key must be ${KEY_BYTES} bytes.`);
}
