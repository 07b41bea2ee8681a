import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { DomainError, ErrorKind } from '../../lib/errors.js';

/** What a finished helper command left. */
export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The environment helper commands (mount, runc) get: a plain PATH, nothing of ours. */
export const HELPER_ENV: Readonly<Record<string, string>> = {
  PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
};

/**
 * Runs a helper binary to completion (no shell) and returns its exit code and output. A signal
 * death reports 128 + n like a shell. Killed after timeoutMs so a hung helper cannot hang the agent.
 */
export function runCommand(
  file: string,
  args: readonly string[],
  options: { cwd?: string; timeoutMs?: number } = {},
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      cwd: options.cwd,
      env: HELPER_ENV,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: options.timeoutMs ?? 30_000,
      killSignal: 'SIGKILL',
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const n = code ?? 128 + (signal ? constants.signals[signal] : 0);
      resolve({ code: n, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
  });
}

/** Runs a helper and throws an internal error with its stderr when it fails. */
export async function mustRun(file: string, args: readonly string[], options: { cwd?: string; timeoutMs?: number } = {}): Promise<string> {
  const r = await runCommand(file, args, options);
  if (r.code !== 0) throw commandError(file, args, r);
  return r.stdout;
}

/** An internal error that names the failed helper command and what it printed. */
export function commandError(file: string, args: readonly string[], r: CommandResult): DomainError {
  const detail = (r.stderr.trim() || r.stdout.trim()).split('\n').slice(-3).join(' | ');
  return new DomainError(ErrorKind.Internal, `${file} ${args[0] ?? ''} failed (exit ${r.code}): ${detail}`, 'container-runtime');
}
