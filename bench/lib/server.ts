/** Starting and stopping `minato up` as a real child process, the way an operator would run it. */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { removeHostFirewall } from '../../src/agent/network/host-firewall.js';

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** A start that takes longer than this is broken, not slow. */
const READY_TIMEOUT_MS = 15_000;
/** How long a SIGTERM may take before the child is killed outright. */
const STOP_TIMEOUT_MS = 10_000;

/** Children still alive, so that an interrupted benchmark can end exactly the processes it started. */
const live = new Set<ChildProcess>();

/** Kills (by pid) every child this module started that has not exited yet. */
export function killStragglers(): void {
  for (const child of live) if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
  live.clear();
}

export interface RunningServer {
  pid: number;
  port: number;
  /** From spawn to the stdout line that says `ready`. */
  readyMs: number;
  /** SIGTERM, then waits for exit; resolves with the exit code (null when killed by a signal). */
  stop(): Promise<number | null>;
}

/** A port that was free a moment ago (the kernel picks it; the tiny race is fine on loopback). */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve, reject) => probe.once('error', reject).listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (typeof address !== 'object' || address === null) throw new Error('could not find a free port');
  return address.port;
}

/** A fresh data directory; the caller removes it with {@link removeDir}. */
export function freshDataDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'minato-bench-'));
}

export function removeDir(dir: string): Promise<void> {
  return rm(dir, { recursive: true, force: true });
}

/**
 * Spawns `node bin/minato.js up` on a free loopback port and waits until it logs that it is ready.
 * It gets a task bridge and subnet of its own (the platform keeps its bridge across restarts, as
 * tasks may outlive it), which stop() removes with its firewall rules.
 */
export async function startServer(dataDir: string): Promise<RunningServer> {
  const port = await freePort();
  const n = 1 + Math.floor(Math.random() * 250);
  const bridge = `mnb${process.pid % 10000}x${n}`;
  const network = ['--task-bridge', bridge, '--task-subnet', `10.219.${n}.0/24`];
  const startedAt = performance.now();
  const child = spawn(process.execPath, ['bin/minato.js', 'up', '--port', String(port), '--data-dir', dataDir, ...network], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      live.delete(child);
      resolve(code);
    }),
  );
  // Output is kept short for error messages; reading it also keeps the pipes from filling up.
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString('utf8')).slice(-4000));
  child.stderr.on('data', keep);

  const readyMs = await new Promise<number>((resolve, reject) => {
    let pending = '';
    const onEarlyExit = (code: number | null, signal: string | null) => fail(`exited early (code ${code}, signal ${signal})`);
    const timer = setTimeout(() => fail(`not ready after ${READY_TIMEOUT_MS} ms`), READY_TIMEOUT_MS);
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`minato up ${why}:\n${output}`));
    };
    child.once('exit', onEarlyExit);
    child.once('error', (err) => fail(err.message));
    child.stdout.on('data', (chunk: Buffer) => {
      keep(chunk);
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      if (lines.some((line) => line.includes('ready'))) {
        clearTimeout(timer);
        child.off('exit', onEarlyExit);
        resolve(performance.now() - startedAt);
      }
    });
  });

  return {
    pid: child.pid!,
    port,
    readyMs,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      const code = await exited;
      clearTimeout(timer);
      await removeHostFirewall(bridge).catch(() => undefined);
      // A bridge no task ever made is not there.
      await promisify(execFile)('ip', ['link', 'del', bridge]).catch(() => undefined);
      return code;
    },
  };
}

/** Resident memory of a process in MiB, from /proc (Linux only; undefined elsewhere). */
export async function residentMiB(pid: number): Promise<number | undefined> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const kib = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
  return kib === undefined ? undefined : Number(kib) / 1024;
}
