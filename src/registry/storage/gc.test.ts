import { mkdtemp, rm, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Scope } from '../../lib/scope.js';
import { MemoryStore } from '../../store/memory-store.js';
import { digestOf, requireDigest } from '../digest.js';
import { Registry } from '../registry.js';
import { collectGarbage } from './gc.js';

const HOUR = 60 * 60 * 1000;
let now = Date.parse('2026-03-01T00:00:00Z');
let dir: string;
let registry: Registry;
let store: MemoryStore;
const scope = (): Scope => ({ accountId: '000000000000', region: 'us-east-1', principalArn: 'arn:aws:iam::000000000000:root', now: new Date(now) });

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'minato-gc-'));
  store = new MemoryStore();
  registry = await Registry.open({ dataDir: dir, store, accountId: '000000000000', clock: () => now, gcGraceMs: HOUR });
  await registry.repositories.create(scope(), { repositoryName: 'gc/app' });
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Uploads a blob into gc/app; its file's mtime is set to the registry clock, as if written then. */
async function upload(content: string): Promise<string> {
  const repo = await registry.repositories.get(scope(), 'gc/app');
  const owner = { uid: repo.uid, name: repo.name, region: repo.region };
  const session = await registry.uploads.start(owner);
  const digest = requireDigest(digestOf(Buffer.from(content)));
  await registry.uploads.finish(session.id, owner, digest, { body: Readable.from([Buffer.from(content)]), framing: {} });
  await utimes(registry.files.pathOf(digest), new Date(now), new Date(now));
  return digest.digest;
}

/** A manifest of config `config` (and no layers). */
const manifestOf = (config: string, size: number) =>
  Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: config, size }, layers: [] }));

const exists = async (digest: string) => (await registry.files.stat(requireDigest(digest))) !== undefined;

describe('online garbage collection', () => {
  it('removes unreferenced blobs older than the grace window, keeps referenced and fresh ones', async () => {
    const used = await upload('{"used":true}');
    const unused = await upload('{"unused":true}');
    await registry.images.push(scope(), 'gc/app', { bytes: manifestOf(used, 13), tag: 'v1' });
    now += 2 * HOUR;
    const fresh = await upload('{"fresh":true}');
    const report = await registry.collectGarbage();
    expect(report.removed).toEqual([unused]);
    expect(report.freedBytes).toBe(15);
    expect(await exists(used)).toBe(true);
    expect(await exists(fresh)).toBe(true);
    expect(await exists(unused)).toBe(false);
    expect(await registry.blobs.linkedSize(unused, (await registry.repositories.get(scope(), 'gc/app')).uid)).toBeUndefined();
  });

  it('frees blobs once the last manifest that used them is deleted', async () => {
    const config = await upload('{"a":1}');
    const pushed = await registry.images.push(scope(), 'gc/app', { bytes: manifestOf(config, 7), tag: 'v1' });
    now += 2 * HOUR;
    expect((await registry.collectGarbage()).removed).toEqual([]);
    await registry.images.deleteManifest(scope(), 'gc/app', pushed.record.digest);
    // Deleting the manifest is recent, but the blob's last reference is older than the window.
    expect((await registry.collectGarbage()).removed).toEqual([config]);
  });

  it('keeps a blob that a manifest starts to use after the mark phase (the sweep re-checks under the lock)', async () => {
    const old = await upload('{"old":true}');
    now += 2 * HOUR;
    // Between mark and sweep, a client pushes a manifest that uses the old, unreferenced blob.
    const files = registry.files;
    const racing = Object.create(files) as typeof files;
    racing.list = async function* () {
      await registry.images.push(scope(), 'gc/app', { bytes: manifestOf(old, 12), tag: 'late' });
      yield* files.list();
    };
    const report = await collectGarbage(store, racing, () => now, HOUR);
    expect(report.removed).toEqual([]);
    expect(await exists(old)).toBe(true);
    const later = await registry.images.resolve(scope(), 'gc/app', 'late');
    expect(later.record.blobs).toEqual([old]);
  });

  it('makes a push that comes after the sweep removed its blob fail instead of pointing at nothing', async () => {
    const old = await upload('{"gone":true}');
    now += 2 * HOUR;
    expect((await registry.collectGarbage()).removed).toEqual([old]);
    await expect(registry.images.push(scope(), 'gc/app', { bytes: manifestOf(old, 13), tag: 'late' })).rejects.toMatchObject({ subject: 'manifest-blob' });
    // Uploading it again brings it back.
    await upload('{"gone":true}');
    await registry.images.push(scope(), 'gc/app', { bytes: manifestOf(old, 13), tag: 'late' });
    expect(await exists(old)).toBe(true);
  });

  it('does not lose a blob that is uploaded again while the collector removes it', async () => {
    const blob = await upload('{"again":true}');
    now += 2 * HOUR;
    // Upload and collection race for the same digest: whichever order the lock gives, the blob is there after both.
    const [report] = await Promise.all([registry.collectGarbage(), upload('{"again":true}')]);
    expect(await exists(blob)).toBe(true);
    const repo = await registry.repositories.get(scope(), 'gc/app');
    expect(await registry.blobs.linkedSize(blob, repo.uid)).toBe(14);
    expect(report.removed.length).toBeLessThanOrEqual(1);
  });

  it('drops records whose file disappeared behind the registry\'s back', async () => {
    const blob = await upload('{"lost":true}');
    await rm(registry.files.pathOf(requireDigest(blob)));
    now += 2 * HOUR;
    const report = await registry.collectGarbage();
    expect(report.danglingRecords).toBe(1);
    const repo = await registry.repositories.get(scope(), 'gc/app');
    expect(await registry.blobs.linkedSize(blob, repo.uid)).toBeUndefined();
  });
});
