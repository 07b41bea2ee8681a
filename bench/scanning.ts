/**
 * Benchmark of image scanning (`node --import tsx bench/scanning.ts`): an image of 500 Debian
 * packages and 2,000 npm packages scanned cold (layers read from their tarballs) and with its layer
 * inventories cached; an OSV dump of 100,000 records imported; 1,000 stored images re-evaluated
 * after an advisory update (each with an application layer of its own; inventories cached, so only
 * the merge and the match run). The advisories are generated
 * so that the expected number of findings is known, and every scan's count is checked: a fast
 * wrong answer fails the run. Writes bench/results/scanning-<timestamp>.json. Exits 1 when a run
 * is invalid; missed targets are reported, not fatal, since they depend on the machine.
 *
 * BENCH_OSV_RECORDS sets the dump's size (default 100,000); BENCH_IMAGES the re-evaluated images (default 1,000).
 */
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

/** The OSV dump: every 10th npm package of the image is affected below 2.0.0 (installed: 1.0.0). */
function osvDump(): Buffer {
  const files: { name: string; content: string }[] = [];
  for (let i = 0; i < OSV_RECORDS; i++) {
    const name = i < NPM_PACKAGES ? `pkg-${i}` : `other-${i}`;
    const fixed = i < NPM_PACKAGES && i % 10 !== 0 ? '1.0.0' : '2.0.0';
    const record = { id: `GHSA-bench-${i}`, modified: '2024-06-01T00:00:00Z', summary: `bench advisory ${i}`, aliases: [`CVE-2024-${i}`], affected: [{ package: { ecosystem: 'npm', name }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed }] }] }], database_specific: { severity: 'HIGH' } };
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

    const targets = [
      { name: 'cold scan (500 OS + 2,000 npm packages)', value: round(median(cold)), unit: 'ms', limit: 2_000 },
      { name: 'cached scan', value: round(median(cached)), unit: 'ms', limit: 200 },
      { name: `import an OSV dump of ${OSV_RECORDS} records`, value: round(importMs), unit: 'ms', limit: 30_000 },
      { name: `re-evaluate ${IMAGES} stored images`, value: round(reevaluateMs), unit: 'ms', limit: 5_000 },
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

await main();
