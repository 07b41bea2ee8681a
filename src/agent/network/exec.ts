import { runHelper } from '../runtime/spawn-server.js';

/** What a finished child process left behind. */
export interface ExecResult {
  /** The exit code, or null when a signal ended the process. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** How to run one command. */
export interface ExecOptions {
  /** Written to the child's stdin, which is then closed. */
  input?: string;
  /** The child's whole environment (nothing is inherited when given). */
  env?: NodeJS.ProcessEnv;
  /** The child is killed (SIGKILL) past this many milliseconds. */
  timeoutMs: number;
}

/**
 * Runs `file` with `args` (no shell) and resolves once it has exited, whatever its exit code.
 * Rejects only when it cannot be started or when it outlives `timeoutMs`. It runs in the spawn
 * server (runtime/spawn-server.ts), away from the agent's event loop.
 */
export async function execFile(file: string, args: readonly string[], opts: ExecOptions): Promise<ExecResult> {
  const env = Object.fromEntries(Object.entries(opts.env ?? process.env).filter((e): e is [string, string] => e[1] !== undefined));
  const r = await runHelper({ file, args: [...args], env, input: opts.input ?? '', timeoutMs: opts.timeoutMs });
  if (r.timedOut) throw new Error(`${file} ${args.join(' ')} did not finish within ${opts.timeoutMs} ms`);
  return { code: r.code, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/** Runs a command that must succeed; rejects with its stderr otherwise. */
export async function execChecked(file: string, args: readonly string[], timeoutMs = 10_000): Promise<string> {
  const r = await execFile(file, args, { timeoutMs });
  if (r.code !== 0) {
    throw new Error(`${file} ${args.join(' ')} failed (${r.code ?? r.signal}): ${r.stderr.trim() || r.stdout.trim()}`);
  }
  return r.stdout;
}
