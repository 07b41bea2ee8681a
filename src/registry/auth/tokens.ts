import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { loadOrCreateKeyFile } from '../../lib/key-file.js';

/** What a registry token grants: who, where, until when, and for what. */
export interface TokenClaims {
  /** `login`: the password of `AWS:<password>` Basic auth; `download`: one blob, for a presigned URL. */
  purpose: 'login' | 'download';
  accountId: string;
  region: string;
  /** Epoch ms. */
  expiresAt: number;
  /** For `download` tokens: the repository and blob. */
  repository?: string;
  digest?: string;
}

/** The wire form of the claims, short keys to keep tokens short. */
interface WireClaims {
  v: 1;
  p: 'l' | 'd';
  a: string;
  r: string;
  e: number;
  n?: string;
  d?: string;
}

const PREFIX = 'mnt1';

/**
 * Signs and verifies registry tokens: `mnt1.<claims>.<HMAC-SHA256>`, both parts base64url, so a
 * token never contains a colon and can be the password of HTTP Basic auth. The key is 32 random
 * bytes kept in the data dir, or a blob dir's keys (mode 0600), so tokens survive restarts and no one without the data
 * dir can mint them. Tokens are self-contained: nothing is stored per token.
 */
export class TokenSigner {
  private constructor(private readonly key: Buffer) {}

  /**
   * Loads the key from `keyFile`, creating it on first use (exclusively: two processes racing on a
   * fresh directory end with one key). `seed` is an earlier copy to publish (lib/key-file.ts).
   */
  static load(keyFile: string, seed?: string): TokenSigner {
    const key = loadOrCreateKeyFile({ file: keyFile, create: () => randomBytes(32), ...(seed !== undefined && { seed }) });
    if (key.length < 32) throw new Error(`${keyFile} holds ${key.length} bytes; a registry token key is 32 bytes or more.`);
    return new TokenSigner(key);
  }

  /** A signer with a given key (tests). */
  static withKey(key: Buffer): TokenSigner {
    return new TokenSigner(key);
  }

  /** A signed token carrying `claims`. */
  issue(claims: TokenClaims): string {
    const wire: WireClaims = {
      v: 1,
      p: claims.purpose === 'login' ? 'l' : 'd',
      a: claims.accountId,
      r: claims.region,
      e: claims.expiresAt,
      ...(claims.repository !== undefined && { n: claims.repository }),
      ...(claims.digest !== undefined && { d: claims.digest }),
    };
    const body = Buffer.from(JSON.stringify(wire)).toString('base64url');
    return `${PREFIX}.${body}.${this.sign(body)}`;
  }

  /** The claims of a genuine, unexpired token, else undefined. */
  verify(token: string, nowMs: number): TokenClaims | undefined {
    const parts = token.split('.');
    if (parts.length !== 3 || parts[0] !== PREFIX) return undefined;
    const [, body, signature] = parts as [string, string, string];
    const expected = Buffer.from(this.sign(body));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    let wire: WireClaims;
    try {
      wire = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as WireClaims;
    } catch {
      return undefined;
    }
    if (wire.v !== 1 || typeof wire.e !== 'number' || wire.e <= nowMs) return undefined;
    return {
      purpose: wire.p === 'l' ? 'login' : 'download',
      accountId: wire.a,
      region: wire.r,
      expiresAt: wire.e,
      ...(wire.n !== undefined && { repository: wire.n }),
      ...(wire.d !== undefined && { digest: wire.d }),
    };
  }

  private sign(body: string): string {
    return createHmac('sha256', this.key).update(`${PREFIX}.${body}`).digest('base64url');
  }
}
