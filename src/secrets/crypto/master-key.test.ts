import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadOrCreateMasterKey, MASTER_KEY_FILE, MasterKeyError } from './master-key.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'minato-key-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the master key file', () => {
  it('is created on first use with mode 0600, 32 random bytes, and read back unchanged', () => {
    const first = loadOrCreateMasterKey(dir);
    const file = join(dir, MASTER_KEY_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(first).toHaveLength(32);
    expect(loadOrCreateMasterKey(dir).equals(first)).toBe(true);
    // No temporary file is left behind.
    expect(readdirSync(dir)).toEqual([MASTER_KEY_FILE]);
  });

  it('is created inside a data dir that does not exist yet', () => {
    const nested = join(dir, 'a', 'b');
    expect(loadOrCreateMasterKey(nested)).toHaveLength(32);
  });

  it('is refused when group or others may read it, naming the fix', () => {
    loadOrCreateMasterKey(dir);
    const file = join(dir, MASTER_KEY_FILE);
    chmodSync(file, 0o644);
    expect(() => loadOrCreateMasterKey(dir)).toThrow(MasterKeyError);
    expect(() => loadOrCreateMasterKey(dir)).toThrow(/mode 0644.*chmod 600/);
    chmodSync(file, 0o640);
    expect(() => loadOrCreateMasterKey(dir)).toThrow(/mode 0640/);
    chmodSync(file, 0o600);
    expect(loadOrCreateMasterKey(dir)).toHaveLength(32);
  });

  it('is refused when it has the wrong size or is a symbolic link', () => {
    const file = join(dir, MASTER_KEY_FILE);
    writeFileSync(file, Buffer.alloc(16), { mode: 0o600 });
    expect(() => loadOrCreateMasterKey(dir)).toThrow(/16 bytes/);
    rmSync(file);
    const real = join(dir, 'elsewhere');
    writeFileSync(real, Buffer.alloc(32), { mode: 0o600 });
    symlinkSync(real, file);
    expect(() => loadOrCreateMasterKey(dir)).toThrow(/not a regular file/);
  });
});

describe('the master key in a shared directory (replicas)', () => {
  it('is one key for two data dirs, kept in the shared directory', () => {
    const shared = join(dir, 'shared');
    const a = loadOrCreateMasterKey(join(dir, 'a'), shared);
    const b = loadOrCreateMasterKey(join(dir, 'b'), shared);
    expect(b.equals(a)).toBe(true);
    expect(statSync(join(shared, MASTER_KEY_FILE)).mode & 0o777).toBe(0o600);
    expect(existsSync(join(dir, 'b', MASTER_KEY_FILE))).toBe(false);
  });

  it('is the data dir\'s existing key, published, so existing secrets stay readable', () => {
    const own = loadOrCreateMasterKey(join(dir, 'a'));
    expect(loadOrCreateMasterKey(join(dir, 'a'), join(dir, 'shared')).equals(own)).toBe(true);
    expect(loadOrCreateMasterKey(join(dir, 'b'), join(dir, 'shared')).equals(own)).toBe(true);
  });

  it('is refused when the data dir has another key, naming the file', () => {
    loadOrCreateMasterKey(join(dir, 'a'), join(dir, 'shared'));
    loadOrCreateMasterKey(join(dir, 'b'));
    expect(() => loadOrCreateMasterKey(join(dir, 'b'), join(dir, 'shared'))).toThrow(MasterKeyError);
    expect(() => loadOrCreateMasterKey(join(dir, 'b'), join(dir, 'shared'))).toThrow(`${join(dir, 'shared', MASTER_KEY_FILE)} and ${join(dir, 'b', MASTER_KEY_FILE)} hold different keys`);
  });
});
