import { spawn } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { constants } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { invalidParameter } from '../../lib/errors.js';
import { HELPER_ENV } from './command.js';
import type { Runc } from './runc.js';
import type { ExecResult } from './runtime.js';

/** Output kept from one exec; Docker keeps even less (4 KiB) of a health check's output. */
const MAX_OUTPUT = 64 * 1024;

/** How long runc exec may take to return after its process was killed. */
const KILL_GRACE_MS = 5_000;

async function killByPidFile(pidFile: string): Promise<boolean> {
  const text = await readFile(pidFile, 'utf8').catch(() => undefined);
  const pid = Number(text?.trim());
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
  return true;
}

/**
 * Runs `args` in a running container with `runc exec` (the container's user, cwd and environment,
 * plus `env`), collecting stdout and stderr together. On timeout the process is killed by the pid
 * runc wrote (its host pid: killing `runc exec` alone would orphan it inside the container).
 */
export function runExec(
  runc: Runc,
  id: string,
  args: readonly string[],
  options: { timeoutMs: number; env?: readonly string[]; pidFile: string },
): Promise<ExecResult> {
  if (args.length === 0) throw invalidParameter('exec needs a command');
  if (!(options.timeoutMs > 0)) throw invalidParameter('exec needs a positive timeout');
  const envArgs = (options.env ?? []).flatMap((e) => {
    if (!e.includes('=')) throw invalidParameter(`exec environment entries are KEY=value: ${e}`);
    return ['--env', e];
  });
  const child = spawn(runc.path, runc.args('exec', '--pid-file', options.pidFile, ...envArgs, id, ...args), {
    env: HELPER_ENV,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const chunks: Buffer[] = [];
  let size = 0;
  const collect = (b: Buffer) => {
    if (size >= MAX_OUTPUT) return;
    const part = b.subarray(0, MAX_OUTPUT - size);
    chunks.push(part);
    size += part.length;
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);

  return new Promise<ExecResult>((resolve, reject) => {
    let timedOut = false;
    let grace: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => {
      timedOut = true;
      void (async () => {
        // runc writes the pid file just before the process runs; wait for it briefly if still starting.
        for (let i = 0; i < 20 && !(await killByPidFile(options.pidFile)); i++) await sleep(25);
        grace = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
      })();
    }, options.timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      clearTimeout(grace);
      void rm(options.pidFile, { force: true }).finally(() => {
        const exitCode = timedOut ? -1 : (code ?? 128 + (signal ? constants.signals[signal] : 0));
        resolve({ exitCode, output: Buffer.concat(chunks).toString('utf8'), timedOut });
      });
    });
  });
}
