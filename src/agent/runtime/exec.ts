import { readFile, rm } from 'node:fs/promises';
import { constants } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { invalidParameter } from '../../lib/errors.js';
import { HELPER_ENV } from './command.js';
import type { Runc } from './runc.js';
import type { ExecResult } from './runtime.js';
import { runHelper } from './spawn-server.js';

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
 * runc wrote (its host pid: killing `runc exec` alone would orphan it inside the container); runc
 * exec itself is killed if it still has not ended a grace period later. It runs in the spawn
 * server, like the other helpers: health checks exec every few seconds per container.
 */
export async function runExec(
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
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void (async () => {
      // runc writes the pid file just before the process runs; wait for it briefly if still starting.
      for (let i = 0; i < 20 && !(await killByPidFile(options.pidFile)); i++) await sleep(25);
    })();
  }, options.timeoutMs);
  try {
    const r = await runHelper({
      file: runc.path,
      args: runc.args('exec', '--pid-file', options.pidFile, ...envArgs, id, ...args),
      env: { ...HELPER_ENV },
      timeoutMs: options.timeoutMs + KILL_GRACE_MS,
      mergeOutput: true,
      maxOutput: MAX_OUTPUT,
    });
    const exitCode = timedOut || r.timedOut ? -1 : (r.code ?? 128 + (r.signal ? constants.signals[r.signal] : 0));
    return { exitCode, output: r.stdout, timedOut: timedOut || r.timedOut };
  } finally {
    clearTimeout(timer);
    await rm(options.pidFile, { force: true });
  }
}
