import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EnvelopeError, openValue, sealValue } from './envelope.js';

const key = randomBytes(32);

describe('envelope encryption', () => {
  it('opens what it sealed, for any value and context', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), fc.string(), (bytes, context) => {
        const plaintext = Buffer.from(bytes);
        expect(openValue(key, sealValue(key, plaintext, context), context).equals(plaintext)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('uses a fresh data key and IV each time: the same value never seals to the same bytes', () => {
    const a = sealValue(key, Buffer.from('same'), 'ctx');
    const b = sealValue(key, Buffer.from('same'), 'ctx');
    expect(a.equals(b)).toBe(false);
    // The wrapped data keys differ too, not only the value's IV.
    expect(a.subarray(29, 61).equals(b.subarray(29, 61))).toBe(false);
  });

  it('never contains the plaintext', () => {
    const secret = Buffer.from('correct horse battery staple');
    expect(sealValue(key, secret, 'ctx').includes(secret)).toBe(false);
  });

  it('refuses a value moved to another context (another secret, parameter or version)', () => {
    const sealed = sealValue(key, Buffer.from('v'), 'arn:one\nversion-1');
    expect(() => openValue(key, sealed, 'arn:two\nversion-1')).toThrow(EnvelopeError);
    expect(() => openValue(key, sealed, 'arn:one\nversion-2')).toThrow(EnvelopeError);
  });

  it('refuses every single-bit change anywhere in the sealed bytes', () => {
    const sealed = sealValue(key, Buffer.from('tamper-evident value'), 'ctx');
    fc.assert(
      fc.property(fc.nat({ max: sealed.length - 1 }), fc.integer({ min: 0, max: 7 }), (at, bit) => {
        const tampered = Buffer.from(sealed);
        tampered[at]! ^= 1 << bit;
        expect(() => openValue(key, tampered, 'ctx')).toThrow(EnvelopeError);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses another master key, truncation and an unknown format', () => {
    const sealed = sealValue(key, Buffer.from('v'), 'ctx');
    expect(() => openValue(randomBytes(32), sealed, 'ctx')).toThrow(EnvelopeError);
    expect(() => openValue(key, sealed.subarray(0, 40), 'ctx')).toThrow(EnvelopeError);
    const future = Buffer.from(sealed);
    future[0] = 2;
    expect(() => openValue(key, future, 'ctx')).toThrow(EnvelopeError);
    expect(() => sealValue(randomBytes(16), Buffer.from('v'), 'ctx')).toThrow(EnvelopeError);
  });
});
