import { EnvelopeError, openValue, sealValue } from './envelope.js';

/**
 * The one holder of the master key: seals values for storage (base64 text, so they fit the store's
 * JSON documents) and opens them again. Domain code passes the context that binds a value to its
 * resource; it never sees the key.
 */
export class ValueCipher {
  readonly #key: Buffer;

  constructor(masterKey: Buffer) {
    // A private copy: the caller may wipe or reuse its buffer.
    this.#key = Buffer.from(masterKey);
  }

  /** Seals `plaintext` bound to `context`; returns base64 text. */
  seal(plaintext: Buffer, context: string): string {
    return sealValue(this.#key, plaintext, context).toString('base64');
  }

  /** Opens base64 text made by {@link seal} with the same context; throws {@link EnvelopeError} otherwise. */
  open(sealed: string, context: string): Buffer {
    return openValue(this.#key, Buffer.from(sealed, 'base64'), context);
  }
}

export { EnvelopeError };
