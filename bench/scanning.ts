/**
 * Benchmark of image scanning (`node --import tsx bench/scanning.ts`): an image of 500 Debian
 * packages and 2,000 npm packages scanned cold (layers read from their tarballs) and with its layer
 * inventories cached; an OSV dump of 100,000 records imported; 1,000 stored images re-evaluated
 * after an advisory update (each with an application layer of its own; inventories cached, so only
 * the merge and the match run); and the same through the registry — 1,000 images pushed to an
 * ECR repository under CONTINUOUS_SCAN, scanned on push, then re-evaluated after an advisory
 * import with their scan records read from and written to the Store. The advisories are generated
 * so that the expected number of findings is known, and every scan's count is checked: a fast
 * wrong answer fails the run. Writes bench/results/scanning-<timestamp>.json. Exits 1 when a run
 * is invalid; missed targets are reported, not fatal, since they depend on the machine.
 *
 * BENCH_OSV_RECORDS sets the dump's size (default 100,000); BENCH_IMAGES the re-evaluated images (default 1,000).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { dirname, join, relative } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { AdvisoryDb, MemoizedAdvisories } from '../src/scanning/advisories/advisory-db.js';
import { importAdvisoryFile } from '../src/scanning/advisories/import-file.js';
import { SqliteLayerInventoryCache } from '../src/scanning/inventory/layer-cache.js';
import { buildLayer, buildZip, type FixtureEntry } from '../src/scanning/inventory/layer.fixtures.js';
import { scanImage, type ImageLayer } from '../src/scanning/scan.js';
import { openScanningDatabase } from '../src/scanning/scanning-database.js';
import { rootPrincipal } from '../src/lib/scope.js';
import { requireDigest } from '../src/registry/digest.js';
import { Registry } from '../src/registry/registry.js';
import { SqliteStore } from '../src/store/sqlite-store.js';

const RESULTS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'results');
const OS_PACKAGES = 500;
const NPM_PACKAGES = 2_000;
const OSV_RECORDS = boundedInt(process.env.BENCH_OSV_RECORDS, 100_000, 1_000, 1_000_000);
const IMAGES = boundedInt(process.env.BENCH_IMAGES, 1_000, 10, 10_000);
const RUNS = 5;

function boundedInt(raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`expected an integer from ${min} to ${max}, got "${raw}"`);
  return n;
}
const median = (v: number[]): number => [...v].sort((a, b) => a - b)[v.length >> 1]!;
const round = (n: number): number => Math.round(n * 10) / 10;
const time = async <T>(fn: () => Promise<T> | T): Promise<[T, number]> => {
  const start = performance.now();
  const result = await fn();
  return [result, performance.now() - start];
};

/** The OSV dump: every 10th npm package of the image is affected below 2.0.0 (installed: 1.0.0). Each record has a CVSS v3 vector, as GitHub's do. */
function osvDump(): Buffer {
  const files: { name: string; content: string }[] = [];
  for (let i = 0; i < OSV_RECORDS; i++) {
    const name = i < NPM_PACKAGES ? `pkg-${i}` : `other-${i}`;
    const fixed = i < NPM_PACKAGES && i % 10 !== 0 ? '1.0.0' : '2.0.0';
    const record = { id: `GHSA-bench-${i}`, modified: '2024-06-01T00:00:00Z', summary: `bench advisory ${i}`, aliases: [`CVE-2024-${i}`], affected: [{ package: { ecosystem: 'npm', name }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed }] }] }], severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N' }], database_specific: { severity: 'HIGH' } };
    files.push({ name: `GHSA-bench-${i}.json`, content: JSON.stringify(record) });
  }
  return buildZip(files);
}

/** Debian advisories: every 5th OS package's source has an issue fixed in a version above the installed one. */
function debianTracker(): unknown {
  const doc: Record<string, unknown> = {};
  for (let i = 0; i < OS_PACKAGES; i++) {
    doc[`src-${i}`] = { [`CVE-2024-9${i}`]: { releases: { bookworm: { status: 'resolved', fixed_version: i % 5 === 0 ? '1.0-2' : '1.0-1', urgency: 'medium' } } } };
  }
  return doc;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(os.tmpdir(), 'minato-bench-scanning-'));
  try {
    const db = openScanningDatabase(join(dir, 'scanning.db'));
    const advisories = new AdvisoryDb(db);
    writeFileSync(join(dir, 'npm-all.zip'), osvDump());
    writeFileSync(join(dir, 'debian.json'), JSON.stringify(debianTracker()));
    const [, importMs] = await time(() => importAdvisoryFile(db, join(dir, 'npm-all.zip')));
    importAdvisoryFile(db, join(dir, 'debian.json'));

    const status = Array.from({ length: OS_PACKAGES }, (_, i) => `Package: bin-${i}\nStatus: install ok installed\nSource: src-${i}\nVersion: 1.0-1\nArchitecture: amd64\n`).join('\n');
    const npm: FixtureEntry[] = Array.from({ length: NPM_PACKAGES }, (_, i) => ({ name: `app/node_modules/pkg-${i}/package.json`, content: JSON.stringify({ name: `pkg-${i}`, version: '1.0.0', description: 'x'.repeat(200) }) }));
    const blobs = [await buildLayer([{ name: 'etc/os-release', content: 'ID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\n' }, { name: 'var/lib/dpkg/status', content: status }]), await buildLayer(npm)];
    const layers: ImageLayer[] = blobs.map((blob, i) => ({ digest: `sha256:bench-${i}`, open: () => Readable.from([blob]) }));
    const expected = OS_PACKAGES / 5 + NPM_PACKAGES / 10;
    const invalid: string[] = [];
    const check = (what: string, findings: number): void => {
      if (findings !== expected) invalid.push(`${what}: ${findings} findings, expected ${expected}`);
    };

    const cold: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      db.exec('DELETE FROM layer_inventories');
      const [result, ms] = await time(() => scanImage(layers, advisories, new SqliteLayerInventoryCache(db)));
      check('cold scan', result.findings.length);
      cold.push(ms);
    }
    const cache = new SqliteLayerInventoryCache(db);
    const cached: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      const [result, ms] = await time(() => scanImage(layers, advisories, cache));
      check('cached scan', result.findings.length);
      if (result.cachedLayers !== layers.length) invalid.push('cached scan read a layer');
      cached.push(ms);
    }
    // 1,000 images: the two base layers, then an application layer of each image's own (20 npm
    // packages, one of them vulnerable), scanned once on push so that their inventories are cached.
    const unreadable = (digest: string): ImageLayer => ({ digest, open: () => Promise.reject(new Error('re-evaluation must not read layers')) });
    const images: ImageLayer[][] = [];
    for (let i = 0; i < IMAGES; i++) {
      const app = await buildLayer(Array.from({ length: 20 }, (_, j) => ({ name: `srv/node_modules/app-${i}-${j}/package.json`, content: JSON.stringify({ name: j === 0 ? 'pkg-0' : `app-${i}-${j}`, version: '1.0.0' }) })));
      const image = [...layers, { digest: `sha256:app-${i}`, open: () => Readable.from([app]) }];
      await scanImage(image, advisories, cache);
      images.push(image.map((l) => unreadable(l.digest)));
    }
    const [, reevaluateMs] = await time(async () => {
      // One pass over all images against one state of the advisories: lookups are shared.
      const pass = new MemoizedAdvisories(advisories);
      for (const image of images) {
        const findings = (await scanImage(image, pass, cache)).findings.length;
        if (findings !== expected + 1) invalid.push(`re-evaluation: ${findings} findings, expected ${expected + 1}`);
      }
    });
    db.close();

    const registryMs = await registryReevaluation(dir, blobs, expected, invalid);

    const targets = [
      { name: 'cold scan (500 OS + 2,000 npm packages)', value: round(median(cold)), unit: 'ms', limit: 2_000 },
      { name: 'cached scan', value: round(median(cached)), unit: 'ms', limit: 200 },
      { name: `import an OSV dump of ${OSV_RECORDS} records`, value: round(importMs), unit: 'ms', limit: 30_000 },
      { name: `re-evaluate ${IMAGES} stored images`, value: round(reevaluateMs), unit: 'ms', limit: 5_000 },
      { name: `re-evaluate ${IMAGES} stored ECR images (scan records in the Store)`, value: round(registryMs), unit: 'ms', limit: 5_000 },
    ].map((t) => ({ ...t, op: '<=', pass: t.value <= t.limit }));
    const report = { name: 'scanning', at: new Date().toISOString(), host: { cpus: os.cpus().length, node: process.version }, runsMs: { cold: cold.map(round), cached: cached.map(round) }, targets, invalid: invalid.slice(0, 10) };
    await mkdir(RESULTS_DIR, { recursive: true });
    const file = join(RESULTS_DIR, `scanning-${report.at.replace(/[:.]/g, '-')}.json`);
    await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
    for (const t of targets) console.log(`${t.pass ? 'ok  ' : 'MISS'} ${t.name}: ${t.value} ${t.unit} (target ${t.op} ${t.limit})`);
    console.log(`results: ${relative(process.cwd(), file)}`);
    if (invalid.length > 0) {
      console.error(`invalid run:\n${invalid.slice(0, 10).join('\n')}`);
      process.exitCode = 1;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const sha256 = (b: Buffer): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;

/**
 * The registry's continuous scanning: IMAGES images (the two base layers and an application layer
 * of their own) pushed to a CONTINUOUS_SCAN repository and scanned on push; then an advisory that
 * affects every application layer is imported and the re-evaluation pass timed — scan records
 * listed, manifests read, inventories merged from the cache, matched, and written back.
 */
async function registryReevaluation(dir: string, base: Buffer[], expected: number, invalid: string[]): Promise<number> {
  const dataDir = join(dir, 'registry-data');
  const store = new SqliteStore(join(dir, 'minato.db'));
  const scanningDb = openScanningDatabase(join(dir, 'registry-scanning.db'));
  importAdvisoryFile(scanningDb, join(dir, 'npm-all.zip'));
  importAdvisoryFile(scanningDb, join(dir, 'debian.json'));
  const registry = await Registry.open({ dataDir, store, accountId: '000000000000', scanningDb });
  const scope = { accountId: '000000000000', region: 'us-east-1', principalArn: rootPrincipal('000000000000'), now: new Date() };
  try {
    await registry.scans.putConfiguration('us-east-1', { scanType: 'ENHANCED', rules: [{ scanFrequency: 'CONTINUOUS_SCAN', repositoryFilters: [{ filter: '*', filterType: 'WILDCARD' }] }] });
    const repository = await registry.repositories.create(scope, { repositoryName: 'bench/app' });
    const owner = { uid: repository.uid, name: repository.name, region: repository.region };
    const upload = async (bytes: Buffer): Promise<{ mediaType: string; digest: string; size: number }> => {
      const digest = sha256(bytes);
      const session = await registry.uploads.start(owner);
      await registry.uploads.finish(session.id, owner, requireDigest(digest), { body: Readable.from([bytes]), framing: { length: bytes.length } });
      return { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest, size: bytes.length };
    };
    const baseLayers = [];
    for (const blob of base) baseLayers.push(await upload(blob));
    for (let i = 0; i < IMAGES; i++) {
      // Each image's own application: one package the later advisory affects.
      const app = await upload(await buildLayer([{ name: `srv/node_modules/late-${i % 50}/package.json`, content: JSON.stringify({ name: `late-${i % 50}`, version: '1.0.0' }) }, { name: 'srv/id', content: String(i) }]));
      const config = await upload(Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] }, id: i })));
      const manifest = { schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: { ...config, mediaType: 'application/vnd.oci.image.config.v1+json' }, layers: [...baseLayers, app] };
      await registry.images.push(scope, 'bench/app', { bytes: Buffer.from(JSON.stringify(manifest)), contentType: manifest.mediaType, tag: `v${i}` });
    }
    await registry.scans.idle();
    const scanned = await registry.scans.scanOf(repository, (await registry.images.find(repository, 'v0'))!.record.digest);
    if (scanned?.findingCount !== expected) invalid.push(`registry scan on push: ${scanned?.findingCount} findings, expected ${expected}`);
    writeFileSync(join(dir, 'late.json'), JSON.stringify(Array.from({ length: 50 }, (_, i) => ({ id: `GHSA-late-${i}`, modified: '2024-07-01T00:00:00Z', affected: [{ package: { ecosystem: 'npm', name: `late-${i}` }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.0.1' }] }] }] }))));
    importAdvisoryFile(scanningDb, join(dir, 'late.json'));
    const [count, ms] = await time(() => registry.scans.reevaluate());
    if (count !== IMAGES) invalid.push(`registry re-evaluation: ${count} images, expected ${IMAGES}`);
    const after = await registry.scans.scanOf(repository, (await registry.images.find(repository, `v${IMAGES - 1}`))!.record.digest);
    if (after?.findingCount !== expected + 1) invalid.push(`registry re-evaluation: ${after?.findingCount} findings, expected ${expected + 1}`);
    return ms;
  } finally {
    registry.close();
    scanningDb.close();
    await store.close();
  }
}

await main();
