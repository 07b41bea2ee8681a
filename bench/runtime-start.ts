/**
 * Container start latency (`node --import tsx bench/runtime-start.ts`, as root): the time from
 * RuncRuntime.start() to a running process for the busybox image (overlay mount, bundle, conmon,
 * runc create + start), against plain `runc run -d` of the same rootfs without overlay or monitor.
 * Median and spread of N starts each (BENCH_STARTS, default 10). Writes
 * bench/results/runtime-start-<timestamp>.json and prints a summary. Cleans up after itself.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { removeCgroup } from '../src/agent/runtime/cgroups.js';
import { RuncRuntime } from '../src/agent/runtime/runc-runtime.js';
import { makeBusyboxLayer } from '../test/runtime/busybox-layer.js';

const RESULTS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'results');
const STARTS = boundedInt(process.env.BENCH_STARTS, 10, 1, 200);
const RUNC = '/usr/sbin/runc';

function boundedInt(raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`expected an integer from ${min} to ${max}, got "${raw}"`);
  return n;
}

function summary(ms: number[]): { median: number; min: number; max: number; p90: number } {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return { median: round(median), min: round(s[0]!), max: round(s.at(-1)!), p90: round(at(0.9)) };
}

const round = (n: number) => Math.round(n * 10) / 10;

async function benchRuntime(base: string, layerDir: string, cgroup: string): Promise<number[]> {
  const rt = new RuncRuntime(join(base, 'state'), { conmonCgroup: `${cgroup}/conmon` });
  const times: number[] = [];
  try {
    for (let i = 0; i < STARTS; i++) {
      const id = `bench-${i}`;
      const t0 = performance.now();
      await rt.start({ id, layerDirs: [layerDir], args: ['sleep', '1000'], env: [], logPath: join(base, 'logs', `${id}.log`), cgroupParent: `${cgroup}/c` });
      times.push(performance.now() - t0);
      await rt.kill(id, 'SIGKILL');
      await rt.wait(id);
      await rt.remove(id);
    }
  } finally {
    for (const id of await rt.list()) {
      await rt.kill(id, 'SIGKILL').catch(() => undefined);
      await rt.wait(id).catch(() => undefined);
      await rt.remove(id);
    }
    rt.close();
  }
  return times;
}

/** `runc spec` for a read-only rootfs running sleep, written into a bundle. */
function plainBundle(base: string, layerDir: string, cgroup: string): string {
  const bundle = join(base, 'plain');
  mkdirSync(bundle, { recursive: true });
  const spec = spawnSync(RUNC, ['spec', '--bundle', bundle], { encoding: 'utf8' });
  if (spec.status !== 0) throw new Error(`runc spec failed: ${spec.stderr}`);
  const path = join(bundle, 'config.json');
  const config = JSON.parse(spawnSync('cat', [path], { encoding: 'utf8' }).stdout) as {
    process: { terminal: boolean; args: string[]; rlimits?: unknown[] };
    root: { path: string; readonly: boolean };
    linux: { cgroupsPath?: string };
  };
  config.process.terminal = false;
  config.process.args = ['sleep', '1000'];
  delete config.process.rlimits;
  config.root = { path: layerDir, readonly: true };
  config.linux.cgroupsPath = `/${cgroup}/plain`;
  writeFileSync(path, JSON.stringify(config));
  return bundle;
}

function benchPlainRunc(base: string, layerDir: string, cgroup: string): number[] {
  const bundle = plainBundle(base, layerDir, cgroup);
  const root = join(base, 'plain-runc');
  const times: number[] = [];
  for (let i = 0; i < STARTS; i++) {
    const id = `plain-${i}`;
    const t0 = performance.now();
    const r = spawnSync(RUNC, ['--root', root, 'run', '-d', '--bundle', bundle, id], { stdio: 'ignore' });
    times.push(performance.now() - t0);
    spawnSync(RUNC, ['--root', root, 'delete', '--force', id], { stdio: 'ignore' });
    if (r.status !== 0) throw new Error(`runc run failed with ${r.status}`);
  }
  return times;
}

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('run as root: containers need it');
  const layer = makeBusyboxLayer();
  const base = mkdtempSync(join(tmpdir(), 'minato-bench-runtime-'));
  const cgroup = `minato-bench-${randomBytes(4).toString('hex')}`;
  try {
    const runtime = summary(await benchRuntime(base, layer.dir, cgroup));
    const plain = summary(benchPlainRunc(base, layer.dir, cgroup));
    const result = {
      name: 'runtime-start',
      at: new Date().toISOString(),
      starts: STARTS,
      unit: 'ms',
      runcRuntimeStart: runtime,
      plainRuncRunDetached: plain,
      overheadMedianMs: round(runtime.median - plain.median),
    };
    mkdirSync(RESULTS_DIR, { recursive: true });
    const file = join(RESULTS_DIR, `runtime-start-${result.at.replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`RuncRuntime.start (overlay + bundle + conmon + runc create/start): median ${runtime.median} ms (min ${runtime.min}, p90 ${runtime.p90}, max ${runtime.max})`);
    console.log(`plain runc run -d (same rootfs, no overlay, no monitor):         median ${plain.median} ms (min ${plain.min}, p90 ${plain.p90}, max ${plain.max})`);
    console.log(`overhead: ${result.overheadMedianMs} ms per start; written to ${file}`);
  } finally {
    await removeCgroup(cgroup).catch((e: unknown) => console.error('cgroup cleanup failed', e));
    rmSync(base, { recursive: true, force: true });
    layer.cleanup();
  }
}

// A pending RuncRuntime.wait does not keep the process alive (containers outlive their agent by design).
const keepAlive = setInterval(() => undefined, 1_000);
try {
  await main();
} finally {
  clearInterval(keepAlive);
}
