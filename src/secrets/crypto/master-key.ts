import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { loadOrCreateKeyFile } from '../../lib/key-file.js';

/** The master key's file name inside the data dir. */
export const MASTER_KEY_FILE = 'master.key';
/** A master key is 256 bits of randomness, stored as raw bytes. */
export const MASTER_KEY_BYTES = 32;

/** The master key file cannot be used (wrong permissions, owner, type or size). */
export class MasterKeyError extends Error {
  override readonly name = 'MasterKeyError';
}

/**
 * The master key of `<dataDir>/master.key`, created on first use with mode 0600. Every secret value
 * at rest is wrapped by this key, so a file that other users could read (or replace) is refused
 * rather than used: the process then fails to start with a message saying how to fix it.
 *
 * With `sharedDir` (the keys of a blob dir every replica mounts), the key is `<sharedDir>/master.key`
 * instead, so that all replicas unwrap the same secrets; a data dir that already has a key
 * publishes it there (and must agree with it), so an existing install keeps its secrets.
 */
export function loadOrCreateMasterKey(dataDir: string, sharedDir?: string): Buffer {
  const own = join(dataDir, MASTER_KEY_FILE);
  const file = sharedDir === undefined ? own : join(sharedDir, MASTER_KEY_FILE);
  const key = loadOrCreateKeyFile({
    file,
    create: () => randomBytes(MASTER_KEY_BYTES),
    ...(sharedDir !== undefined && { seed: own }),
    fail: (message) => new MasterKeyError(message),
  });
  if (key.length !== MASTER_KEY_BYTES) {
    throw new MasterKeyError(`${file} holds ${key.length} bytes; a master key is ${MASTER_KEY_BYTES} bytes.`);
  }
  return key;
}
