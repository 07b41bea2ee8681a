import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { removeTaskBridge } from './task-bridge.js';
import { sweepDataDir } from './sweep-data-dir.js';

/** The compiled CLI, as `npx minato` runs it (built by `npm run build`). */
export const MINATO_BIN = fileURLToPath(new URL('../../bin/minato.js', import.meta.url));

let spawned = 0;

/** A `minato up` process started by a test. */
export interface MinatoProcess {
  child: ChildProcess;
  endpoint: string;
  /** Every stdout line so far. */
  lines: string[];
  /** Milliseconds from spawn to the ready line. */
  readyMs: number;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Spawns `minato up` with `args` and waits (at most 15 s) for its ready line. Without a
 * `--task-bridge` of the caller's, it gets a bridge and subnet of its own (`minato up` makes its
 * task network at start, for the sandbox pool), removed with whatever a kill left once it stopped.
 */
export async function spawnMinato(args: string[], env: NodeJS.ProcessEnv = {}): Promise<MinatoProcess> {
  const started = performance.now();
  const ownBridge = args.includes('--task-bridge') ? undefined : `mnup${process.pid % 1000}x${++spawned}`;
  const n = 1 + Math.floor(Math.random() * 250);
  const network = ownBridge ? ['--task-bridge', ownBridge, '--task-subnet', `10.218.${n}.0/24`] : [];
  const dataDir = args.includes('--data-dir') ? args[args.indexOf('--data-dir') + 1] : undefined;
  const child = spawn(process.execPath, [MINATO_BIN, 'up', ...args, ...network], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = once(child, 'exit');
  const ready = new Promise<{ endpoint: string; readyMs: number }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`minato up not ready in 15 s: ${stderr}`)), 15_000);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      const match = /ready.*?(http:\/\/[^\s"]+)/.exec(line);
      if (match) {
        clearTimeout(timer);
        resolve({ endpoint: match[1]!, readyMs: performance.now() - started });
      }
    });
    void exited.then(([code]) => {
      clearTimeout(timer);
      reject(new Error(`minato up exited with ${String(code)} before ready: ${stderr}`));
    });
  });
  const { endpoint, readyMs } = await ready;
  return {
    child,
    endpoint,
    lines,
    readyMs,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const [code] = (await exited) as [number | null];
      if (ownBridge) {
        if (dataDir) await sweepDataDir(dataDir);
        await removeTaskBridge(ownBridge);
      }
      return code;
    },
  };
}

/** Runs `minato up` expecting it to refuse to start; resolves with exit code and stderr. */
export async function runMinatoExpectingExit(args: string[], env: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, [MINATO_BIN, 'up', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  const [code] = (await once(child, 'exit')) as [number | null];
  clearTimeout(timer);
  return { code, stderr };
}
