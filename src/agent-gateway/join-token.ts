import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The file in the data dir that holds the cluster's join token. */
export const AGENT_TOKEN_FILE = 'agent-token';
/** The file in the data dir that holds the key instance credentials are derived with (never leaves the control host). */
export const INSTANCE_KEY_FILE = 'agent-instance.key';

/**
 * Reads the join token agents authenticate with, creating it (random, mode 0600) on first start.
 * A token file readable by group or others is refused: anyone who reads it can run tasks.
 */
export function loadOrCreateAgentToken(dataDir: string, file = AGENT_TOKEN_FILE): string {
  const path = join(dataDir, file);
  mkdirSync(dataDir, { recursive: true });
  try {
    writeFileSync(path, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  if ((statSync(path).mode & 0o077) !== 0) throw new Error(`${path} must not be readable by group or others (chmod 600)`);
  const token = readFileSync(path, 'utf8').trim();
  if (token.length < 16) throw new Error(`${path} holds no usable token`);
  return token;
}

/** Compares a presented token with the expected one in constant time (hashing first equalises lengths). */
export function tokenMatches(presented: string, expected: string): boolean {
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** The token of an `Authorization: Bearer <token>` header, if it is one. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}

/** An instance's credential: an HMAC of its ARN under the control plane's own key, so nothing is stored per instance. */
export function instanceSecret(key: string, containerInstanceArn: string): string {
  return createHmac('sha256', key).update(containerInstanceArn).digest('base64url');
}
