/**
 * The floor under a task start: plain `runc run -d` of the image's unpacked layers with the config
 * `runc spec` writes (args, rootfs and terminal changed), with no overlay per container, no monitor,
 * no CNI and no control plane. Once with runc's own new network namespace, once joining a named one
 * made just before by `ip netns add` (what the task network starts with), so the difference shows
 * what the named namespace costs. Both are timed from spawning the command to its exit.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { removeCgroup } from '../../src/agent/runtime/cgroups.js';
import { unmount } from '../../src/agent/runtime/rootfs.js';
import { netnsNames, runcIds } from './host-state.js';
import { summarize, type Summary } from './stats.js';

const RUNC = 'runc';
/** Starts discarded before timing (page cache, runc binary, cgroup creation paths). */
const WARMUP = 2;

/** The floor's timings, in ms. */
export interface FloorResult {
  runs: number;
  rootfs: string;
  /** `runc run -d` with runc's own fresh network namespace. */
  runDetachedMs: Summary;
  /** `runc delete -f` of that running container. */
  deleteMs: Summary;
  netns: {
    /** `ip netns add` alone. */
    addMs: Summary;
    /** `runc run -d` joining the named namespace. */
    runDetachedMs: Summary;
    /** Both: what a start costs when it begins by making its namespace. */
    addAndRunMs: Summary;
    deleteMs: Summary;
    /** `ip netns delete`. */
    netnsDeleteMs: Summary;
  };
}

interface RuncConfig {
  process: { terminal: boolean; args: string[]; rlimits?: unknown[] };
  root: { path: string; readonly: boolean };
  linux: { cgroupsPath?: string; namespaces: { type: string; path?: string }[] };
}

/**
 * The unpacked layers (bottom to top) of the one image in an image store (`<data-dir>/images`):
 * its config's diff_ids name the layer directories (src/agent/images/layer-store.ts).
 */
export async function storedLayerDirs(imagesDir: string): Promise<string[]> {
  const configs = join(imagesDir, 'configs', 'sha256');
  const names = await readdir(configs);
  if (names.length !== 1) throw new Error(`expected one image config in ${configs}, found ${names.length}`);
  const config = JSON.parse(await readFile(join(configs, names[0]!), 'utf8')) as { rootfs?: { diff_ids?: string[] } };
  const diffIds = config.rootfs?.diff_ids ?? [];
  if (diffIds.length === 0) throw new Error('the stored image config lists no layers');
  return diffIds.map((d) => join(imagesDir, 'layers', ...d.split(':')));
}

/**
 * Runs a command, returning the milliseconds it took; a non-zero exit is an error. Its stderr goes to
 * a file, not a pipe: a detached container inherits runc's stdio, and a pipe held open by it would
 * keep spawnSync waiting for as long as the container runs.
 */
function timed(file: string, args: readonly string[], errFile: string): number {
  const fd = openSync(errFile, 'w');
  try {
    const t0 = performance.now();
    const r = spawnSync(file, args, { stdio: ['ignore', 'ignore', fd], timeout: 30_000 });
    const elapsed = performance.now() - t0;
    if (r.status !== 0) throw new Error(`${file} ${args.join(' ')} failed (${r.status ?? r.signal}): ${readFileSync(errFile, 'utf8')}`);
    return elapsed;
  } finally {
    closeSync(fd);
  }
}

/** `runc spec` in `dir`, edited to run `sleep` on the read-only rootfs, optionally in a named netns. */
async function writeBundle(dir: string, rootfs: string, cgroupsPath: string, errFile: string, netnsPath?: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  timed(RUNC, ['spec', '--bundle', dir], errFile);
  const path = join(dir, 'config.json');
  const config = JSON.parse(await readFile(path, 'utf8')) as RuncConfig;
  config.process.terminal = false;
  config.process.args = ['sleep', '3600'];
  // runc spec's RLIMIT_NOFILE of 1024 may exceed the caller's hard limit; the tasks set their own.
  delete config.process.rlimits;
  config.root = { path: rootfs, readonly: true };
  config.linux.cgroupsPath = cgroupsPath;
  if (netnsPath) config.linux.namespaces = config.linux.namespaces.map((ns) => (ns.type === 'network' ? { type: 'network', path: netnsPath } : ns));
  await writeFile(path, JSON.stringify(config));
}

/**
 * Times `runs` starts of each kind (after {@link WARMUP} discarded ones), alternating the two kinds
 * so that noise on the shared machine falls on both alike. `layerDirs` are bottom to top. Leaves
 * nothing behind: containers, the namespace, the mount, the cgroup and `workDir`'s content go.
 */
export async function measureRuncFloor(layerDirs: readonly string[], runs: number, workDir: string): Promise<FloorResult> {
  const tag = randomBytes(4).toString('hex');
  const root = join(workDir, 'runc-state');
  const rootfs = join(workDir, 'rootfs');
  const cgroup = `minato-bench-floor-${tag}`;
  const netns = `mnbench-floor-${tag}`;
  const netnsPath = join('/var/run/netns', netns);
  const errFile = join(workDir, 'stderr.txt');
  let mounted = false;
  try {
    // The layers as one tree, mounted once for every run (a task mounts one per container). The
    // upper dir takes the mount points runc creates (/proc, /dev, /sys: images need not have them);
    // runc then makes the root read-only. overlayfs lists lowerdirs top first.
    for (const d of ['rootfs', 'upper', 'work']) await mkdir(join(workDir, d), { recursive: true });
    const lower = [...layerDirs].reverse().join(':');
    timed('mount', ['-t', 'overlay', 'overlay', '-o', `lowerdir=${lower},upperdir=${join(workDir, 'upper')},workdir=${join(workDir, 'work')}`, rootfs], errFile);
    mounted = true;
    await writeBundle(join(workDir, 'plain'), rootfs, `/${cgroup}/plain`, errFile);
    await writeBundle(join(workDir, 'netns'), rootfs, `/${cgroup}/netns`, errFile, netnsPath);

    const t = { run: [] as number[], del: [] as number[], add: [] as number[], nsRun: [] as number[], nsDel: [] as number[], nsRm: [] as number[] };
    for (let i = 0; i < WARMUP + runs; i++) {
      const keep = i >= WARMUP;
      const id = `floor-${tag}-${i}`;
      const run = timed(RUNC, ['--root', root, 'run', '-d', '--bundle', join(workDir, 'plain'), id], errFile);
      const del = timed(RUNC, ['--root', root, 'delete', '-f', id], errFile);
      const add = timed('ip', ['netns', 'add', netns], errFile);
      const nsRun = timed(RUNC, ['--root', root, 'run', '-d', '--bundle', join(workDir, 'netns'), `${id}-ns`], errFile);
      const nsDel = timed(RUNC, ['--root', root, 'delete', '-f', `${id}-ns`], errFile);
      const nsRm = timed('ip', ['netns', 'delete', netns], errFile);
      if (keep) {
        t.run.push(run);
        t.del.push(del);
        t.add.push(add);
        t.nsRun.push(nsRun);
        t.nsDel.push(nsDel);
        t.nsRm.push(nsRm);
      }
    }
    return {
      runs,
      rootfs: `one overlay of the ${layerDirs.length} layers for all runs, read-only in the container`,
      runDetachedMs: summarize(t.run),
      deleteMs: summarize(t.del),
      netns: {
        addMs: summarize(t.add),
        runDetachedMs: summarize(t.nsRun),
        addAndRunMs: summarize(t.add.map((a, i) => a + t.nsRun[i]!)),
        deleteMs: summarize(t.nsDel),
        netnsDeleteMs: summarize(t.nsRm),
      },
    };
  } finally {
    for (const id of await runcIds(root).catch((): string[] => [])) spawnSync(RUNC, ['--root', root, 'delete', '-f', id], { stdio: 'ignore' });
    if ((await netnsNames().catch((): string[] => [])).includes(netns)) spawnSync('ip', ['netns', 'delete', netns], { stdio: 'ignore' });
    if (mounted) await unmount(rootfs);
    await removeCgroup(cgroup).catch(() => undefined);
    await rm(root, { recursive: true, force: true });
  }
}
