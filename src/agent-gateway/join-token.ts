import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { join } from 'node:path';
import { loadOrCreateKeyFile } from '../lib/key-file.js';

/** The file in the data dir that holds the cluster's join token. */
export const AGENT_TOKEN_FILE = 'agent-token';
/** The file in the data dir that holds the key instance credentials are derived with (never leaves the control host). */
export const INSTANCE_KEY_FILE = 'agent-instance.key';

/**
 * Reads the join token agents authenticate with, creating it (random, mode 0600) on first start.
 * A token file readable by group or others is refused: anyone who reads it can run tasks. With
 * `sharedDir` (a blob dir's keys, see lib/key-file.ts) the token is kept there, so every replica
 * accepts the same agents; the data dir's token, if any, is published there.
 */
export function loadOrCreateAgentToken(dataDir: string, file = AGENT_TOKEN_FILE, sharedDir?: string): string {
  const own = join(dataDir, file);
  const path = sharedDir === undefined ? own : join(sharedDir, file);
  const content = loadOrCreateKeyFile({
    file: path,
    create: () => `${randomBytes(32).toString('base64url')}\n`,
    ...(sharedDir !== undefined && { seed: own }),
  });
  const token = content.toString('utf8').trim();
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
