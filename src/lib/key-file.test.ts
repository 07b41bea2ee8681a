import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadOrCreateKeyFile, sharedKeysDir, SHARED_KEYS_DIR } from './key-file.js';

const run = promisify(execFile);

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'minato-key-file-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const fresh = () => randomBytes(32);

describe('a key file', () => {
  it('is created 0600 in a 0700 directory, read back unchanged, and leaves no temporary file', () => {
    const file = join(dir, 'keys', 'k');
    const first = loadOrCreateKeyFile({ file, create: fresh });
    expect(first).toHaveLength(32);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'keys')).mode & 0o777).toBe(0o700);
    expect(loadOrCreateKeyFile({ file, create: fresh }).equals(first)).toBe(true);
    expect(readdirSync(join(dir, 'keys'))).toEqual(['k']);
  });

  it('that is public (a certificate) is created 0644 and not refused for it', () => {
    const file = join(dir, 'cert');
    loadOrCreateKeyFile({ file, create: () => 'certificate', secret: false });
    expect(statSync(file).mode & 0o777).toBe(0o644);
    expect(loadOrCreateKeyFile({ file, create: () => 'other', secret: false }).toString()).toBe('certificate');
  });

  it('is refused when group or others may read it, naming the file and the fix', () => {
    const file = join(dir, 'k');
    loadOrCreateKeyFile({ file, create: fresh });
    chmodSync(file, 0o640);
    expect(() => loadOrCreateKeyFile({ file, create: fresh })).toThrow(`${file} has mode 0640: a key must not be accessible by group or others. Run: chmod 600 ${file}`);
  });

  it('goes to the process that links it first: the loser reads the winner\'s key', () => {
    const file = join(dir, 'k');
    let winner: Buffer | undefined;
    const mine = fresh();
    // Another process links its key while this one is writing its own.
    const loaded = loadOrCreateKeyFile({
      file,
      create: () => {
        winner = loadOrCreateKeyFile({ file, create: fresh });
        return mine;
      },
    });
    expect(winner).toBeDefined();
    expect(loaded.equals(winner!)).toBe(true);
    expect(loaded.equals(mine)).toBe(false);
    expect(readdirSync(dir)).toEqual(['k']);
  });

  it('is the same for processes that create it at the same moment', async () => {
    const file = join(dir, 'keys', 'k');
    const module = fileURLToPath(new URL('./key-file.ts', import.meta.url));
    // Each child waits for the same instant, then loads or creates the key and prints it.
    const startAt = Date.now() + 1500;
    const script = `import { randomBytes } from 'node:crypto';
      const { loadOrCreateKeyFile } = await import(${JSON.stringify(module)});
      while (Date.now() < ${startAt}) {}
      process.stdout.write(loadOrCreateKeyFile({ file: ${JSON.stringify(file)}, create: () => randomBytes(32) }).toString('hex'));`;
    const children = Array.from({ length: 6 }, () => run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script]));
    const keys = (await Promise.all(children)).map((c) => c.stdout);
    expect(keys[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set(keys).size).toBe(1);
    expect(readFileSync(file).toString('hex')).toBe(keys[0]);
    expect(readdirSync(join(dir, 'keys'))).toEqual(['k']);
  }, 30_000);
});

describe('a key file with a seed (the data dir\'s key, moving to a shared directory)', () => {
  it('publishes the seed when the shared file is absent, so what it protects stays readable', () => {
    const seed = join(dir, 'data', 'master.key');
    mkdirSync(join(dir, 'data'), { mode: 0o700 });
    const old = fresh();
    writeFileSync(seed, old, { mode: 0o600 });
    const file = join(dir, 'shared', 'master.key');
    expect(loadOrCreateKeyFile({ file, create: fresh, seed }).equals(old)).toBe(true);
    expect(readFileSync(file).equals(old)).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    // Again, now that both agree.
    expect(loadOrCreateKeyFile({ file, create: fresh, seed }).equals(old)).toBe(true);
  });

  it('creates a key when neither exists, and leaves the data dir alone', () => {
    const seed = join(dir, 'data', 'k');
    const file = join(dir, 'shared', 'k');
    const key = loadOrCreateKeyFile({ file, create: fresh, seed });
    expect(readFileSync(file).equals(key)).toBe(true);
    expect(() => statSync(seed)).toThrow(/ENOENT/);
  });

  it('refuses to start when the shared key and the data dir\'s differ, naming both files and no key', () => {
    const seed = join(dir, 'data', 'k');
    const file = join(dir, 'shared', 'k');
    const shared = loadOrCreateKeyFile({ file, create: fresh });
    mkdirSync(join(dir, 'data'), { mode: 0o700 });
    const own = fresh();
    writeFileSync(seed, own, { mode: 0o600 });
    let message = '';
    try {
      loadOrCreateKeyFile({ file, create: fresh, seed, fail: (m) => new RangeError(m) });
    } catch (err) {
      expect(err).toBeInstanceOf(RangeError);
      message = (err as Error).message;
    }
    expect(message).toContain(`${file} and ${seed} hold different keys`);
    for (const key of [shared, own]) {
      expect(message).not.toContain(key.toString('hex'));
      expect(message).not.toContain(key.toString('base64'));
    }
    // Neither file was changed.
    expect(readFileSync(file).equals(shared)).toBe(true);
    expect(readFileSync(seed).equals(own)).toBe(true);
  });

  it('refuses a seed that others may read rather than publishing it', () => {
    const seed = join(dir, 'k.old');
    writeFileSync(seed, fresh(), { mode: 0o644 });
    chmodSync(seed, 0o644);
    const file = join(dir, 'shared', 'k');
    expect(() => loadOrCreateKeyFile({ file, create: fresh, seed })).toThrow(/k\.old has mode 0644/);
    expect(() => statSync(file)).toThrow(/ENOENT/);
  });
});

describe('the shared keys directory', () => {
  it('is <blobDir>/keys, created 0700, and tightened when group or others may enter it', () => {
    const keys = sharedKeysDir(join(dir, 'blobs'));
    expect(keys).toBe(join(dir, 'blobs', SHARED_KEYS_DIR));
    expect(statSync(keys).mode & 0o777).toBe(0o700);
    chmodSync(keys, 0o755);
    sharedKeysDir(join(dir, 'blobs'));
    expect(statSync(keys).mode & 0o777).toBe(0o700);
  });
});
