import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Scope } from '../lib/scope.js';
import { SHARED_KEYS_DIR } from '../lib/key-file.js';
import { MemoryStore } from '../store/memory-store.js';
import { digestOf, requireDigest } from './digest.js';
import { Registry, SHARED_TOKEN_KEY_FILE } from './registry.js';

// Replicas: registries on their own data dirs, one blob dir and one store between them.
const ACCOUNT = '000000000000';
const scope = (): Scope => ({ accountId: ACCOUNT, region: 'us-east-1', principalArn: `arn:aws:iam::${ACCOUNT}:root`, now: new Date() });

let dir: string;
let store: MemoryStore;
const opened: Registry[] = [];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'minato-blob-dir-'));
  store = new MemoryStore();
});
afterEach(async () => {
  for (const r of opened.splice(0)) r.close();
  await rm(dir, { recursive: true, force: true });
});

async function open(dataDir: string, blobDir?: string): Promise<Registry> {
  const registry = await Registry.open({ dataDir: join(dir, dataDir), ...(blobDir !== undefined && { blobDir: join(dir, blobDir) }), store, accountId: ACCOUNT });
  opened.push(registry);
  return registry;
}

async function ownerIn(registry: Registry, name: string) {
  const repo = await registry.repositories.get(scope(), name);
  return { uid: repo.uid, name: repo.name, region: repo.region };
}

async function push(registry: Registry, name: string, content: Buffer): Promise<string> {
  const owner = await ownerIn(registry, name);
  const session = await registry.uploads.start(owner);
  const digest = requireDigest(digestOf(content));
  await registry.uploads.finish(session.id, owner, digest, { body: Readable.from([content]), framing: {} });
  return digest.digest;
}

async function read(registry: Registry, digest: string): Promise<Buffer | undefined> {
  const handle = await registry.files.open(requireDigest(digest));
  if (!handle) return undefined;
  try {
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

describe('a registry with a blob dir', () => {
  it('keeps blobs where another replica (another data dir, same store) reads them, and none in the data dir', async () => {
    const a = await open('a', 'shared');
    const b = await open('b', 'shared');
    await a.repositories.create(scope(), { repositoryName: 'app' });
    const content = Buffer.from('a layer pushed through the first replica');
    const digest = await push(a, 'app', content);
    expect(await read(b, digest)).toEqual(content);
    expect(await b.blobs.linkedSize(digest, (await ownerIn(b, 'app')).uid)).toBe(content.length);
    expect(a.files.pathOf(requireDigest(digest)).startsWith(join(dir, 'shared', 'registry', 'blobs'))).toBe(true);
    expect(existsSync(join(dir, 'a', 'registry'))).toBe(false);
    expect(existsSync(join(dir, 'b', 'registry'))).toBe(false);
  });

  it('signs tokens with one key in <blobDir>/keys, so either replica accepts the other\'s', async () => {
    const a = await open('a', 'shared');
    const b = await open('b', 'shared');
    const token = a.tokens.issue({ purpose: 'login', accountId: ACCOUNT, region: 'us-east-1', expiresAt: Date.now() + 60_000 });
    expect(b.tokens.verify(token, Date.now())?.accountId).toBe(ACCOUNT);
    const keyFile = join(dir, 'shared', SHARED_KEYS_DIR, SHARED_TOKEN_KEY_FILE);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
  });

  it('publishes the token key of a data dir used before, so tokens it issued stay valid', async () => {
    const before = await open('a');
    const token = before.tokens.issue({ purpose: 'login', accountId: ACCOUNT, region: 'us-east-1', expiresAt: Date.now() + 60_000 });
    const after = await open('a', 'shared');
    const other = await open('b', 'shared');
    expect(after.tokens.verify(token, Date.now())).toBeDefined();
    expect(other.tokens.verify(token, Date.now())).toBeDefined();
    expect(await readFile(join(dir, 'shared', SHARED_KEYS_DIR, SHARED_TOKEN_KEY_FILE))).toEqual(await readFile(join(dir, 'a', 'registry', 'token.key')));
  });

  it('finishes an upload started on another replica: the session file is in the blob dir, its record in the store', async () => {
    const a = await open('a', 'shared');
    const b = await open('b', 'shared');
    await a.repositories.create(scope(), { repositoryName: 'app' });
    const owner = await ownerIn(a, 'app');
    const session = await a.uploads.start(owner);
    await a.uploads.append(session.id, owner, Readable.from([Buffer.from('first half, ')]), {});
    const whole = Buffer.from('first half, second half');
    const digest = requireDigest(digestOf(whole));
    await b.uploads.finish(session.id, owner, digest, { body: Readable.from([Buffer.from('second half')]), framing: {} });
    expect(await read(a, digest.digest)).toEqual(whole);
  });

  it('commits the same blob pushed through two replicas at the same moment: neither fails, one verified file stays', async () => {
    const a = await open('a', 'shared');
    const b = await open('b', 'shared');
    await a.repositories.create(scope(), { repositoryName: 'app' });
    await a.repositories.create(scope(), { repositoryName: 'other' });
    // Both usually find no file yet and both rename: the second replaces the first's identical file.
    for (let i = 0; i < 12; i++) {
      const content = Buffer.from(`layer ${i} `.repeat(500 * (i + 1)));
      const [first, second] = await Promise.all([push(a, 'app', content), push(b, 'other', content)]);
      expect(second).toBe(first);
      expect(await read(a, first)).toEqual(content);
    }
    // Every upload file was moved into place or dropped; nothing is left half-way.
    expect(readdirSync(join(dir, 'shared', 'registry', 'uploads'))).toEqual([]);
    expect(readdirSync(join(dir, 'shared', 'registry', 'tmp'))).toEqual([]);
  });
});
