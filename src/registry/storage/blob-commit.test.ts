import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryStore } from '../../store/memory-store.js';
import { digestOf, requireDigest } from '../digest.js';
import { BlobIndex } from '../metadata/blobs.js';
import { commitBlob } from './blob-commit.js';
import { BlobFiles } from './blob-files.js';

let dir: string;
let files: BlobFiles;
let index: BlobIndex;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'minato-blob-commit-'));
  files = new BlobFiles(dir);
  await files.init();
  index = new BlobIndex(new MemoryStore(), () => Date.parse('2026-03-01T00:00:00Z'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Writes `content` as an upload file and returns its path and digest. */
async function uploaded(name: string, content: string) {
  const path = join(files.uploadsDir, name);
  await writeFile(path, content);
  return { path, digest: requireDigest(digestOf(Buffer.from(content))) };
}

const gone = (path: string) => stat(path).then(() => false, () => true);

describe('commitBlob', () => {
  it('moves the file into place and records the blob in the repository', async () => {
    const { path, digest } = await uploaded('u1', 'layer');
    await commitBlob(files, index, path, digest, 5, 'repo-1');
    expect(await readFile(files.pathOf(digest), 'utf8')).toBe('layer');
    expect(await gone(path)).toBe(true);
    expect(await index.linkedSize(digest.digest, 'repo-1')).toBe(5);
    expect(await index.linkedSize(digest.digest, 'repo-2')).toBeUndefined();
  });

  it('drops a second copy of the same content and links the blob into the second repository', async () => {
    const first = await uploaded('u1', 'same');
    await commitBlob(files, index, first.path, first.digest, 4, 'repo-1');
    const second = await uploaded('u2', 'same');
    await commitBlob(files, index, second.path, second.digest, 4, 'repo-2');
    expect(await gone(second.path)).toBe(true);
    expect(await readFile(files.pathOf(second.digest), 'utf8')).toBe('same');
    expect(await index.linkedSize(second.digest.digest, 'repo-1')).toBe(4);
    expect(await index.linkedSize(second.digest.digest, 'repo-2')).toBe(4);
  });

  it('waits for the blob lock: neither file nor record appears while the collector holds it', async () => {
    const { path, digest } = await uploaded('u1', 'locked');
    let release!: () => void;
    const held = files.withLock(digest.digest, () => new Promise<void>((resolve) => (release = resolve)));
    const committing = commitBlob(files, index, path, digest, 6, 'repo-1');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await gone(files.pathOf(digest))).toBe(true);
    expect(await index.size(digest.digest)).toBeUndefined();
    release();
    await held;
    await committing;
    expect(await index.size(digest.digest)).toBe(6);
  });
});
