import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValueCipher } from '../../secrets/crypto/value-cipher.js';
import { isTemporaryAccessKeyId, newTemporaryAccessKeyId, openSessionToken, sealSessionToken, type SessionClaims } from './session-token.js';

const cipher = new ValueCipher(randomBytes(32));

function claims(accessKeyId = newTemporaryAccessKeyId()): SessionClaims {
  return {
    v: 1,
    accountId: '000000000000',
    accessKeyId,
    secretAccessKey: 'secret/secret/secret/secret/secret/secre',
    issuedAt: 1_000,
    expiresAt: 901_000,
    caller: { kind: 'assumed-role', arn: 'arn:aws:sts::000000000000:assumed-role/app/s', userId: 'AROAEXAMPLE:s', roleArn: 'arn:aws:iam::000000000000:role/app' },
  };
}

describe('session tokens', () => {
  it('open to the claims they were sealed with, for their own key only', () => {
    const c = claims();
    const token = sealSessionToken(cipher, c);
    expect(openSessionToken(cipher, c.accessKeyId, token)).toEqual(c);
    expect(openSessionToken(cipher, newTemporaryAccessKeyId(), token)).toBeUndefined();
    // Another master key's token is not this platform's.
    expect(openSessionToken(new ValueCipher(randomBytes(32)), c.accessKeyId, token)).toBeUndefined();
  });

  it('refuse any altered byte or truncation', () => {
    const c = claims();
    const raw = Buffer.from(sealSessionToken(cipher, c), 'base64');
    fc.assert(
      fc.property(fc.nat(raw.length - 1), fc.integer({ min: 1, max: 255 }), (at, flip) => {
        const bad = Buffer.from(raw);
        bad[at]! ^= flip;
        expect(openSessionToken(cipher, c.accessKeyId, bad.toString('base64'))).toBeUndefined();
      }),
    );
    fc.assert(
      fc.property(fc.nat(raw.length - 1), (len) => {
        expect(openSessionToken(cipher, c.accessKeyId, raw.subarray(0, len).toString('base64'))).toBeUndefined();
      }),
    );
  });

  it('refuse arbitrary text without throwing', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        expect(openSessionToken(cipher, newTemporaryAccessKeyId(), text)).toBeUndefined();
      }),
    );
  });

  it('use ASIA key ids of 20 characters', () => {
    for (let i = 0; i < 50; i++) expect(isTemporaryAccessKeyId(newTemporaryAccessKeyId())).toBe(true);
    expect(isTemporaryAccessKeyId('AKIAIOSFODNN7EXAMPLE')).toBe(false);
  });
});
