import { constants } from 'node:os';
import { DomainError, ErrorKind } from '../../lib/errors.js';
import { runHelper } from './spawn-server.js';

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
 * It runs in the spawn server (spawn-server.ts), away from the agent's event loop.
 */
export async function runCommand(
  file: string,
  args: readonly string[],
  options: { cwd?: string; timeoutMs?: number } = {},
): Promise<CommandResult> {
  const r = await runHelper({ file, args: [...args], ...(options.cwd !== undefined && { cwd: options.cwd }), env: { ...HELPER_ENV }, timeoutMs: options.timeoutMs ?? 30_000 });
  const code = r.code ?? 128 + (r.signal ? constants.signals[r.signal] : 0);
  return { code, stdout: r.stdout, stderr: r.stderr };
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
