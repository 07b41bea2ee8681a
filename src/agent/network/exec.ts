import { spawn } from 'node:child_process';

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

/** Output beyond this is dropped: plugins and `ip` print a few KiB at most. */
const MAX_OUTPUT = 1024 * 1024;

/**
 * Runs `file` with `args` (no shell) and resolves once it has exited, whatever its exit code.
 * Rejects only when it cannot be started or when it outlives `timeoutMs`.
 */
export function execFile(file: string, args: readonly string[], opts: ExecOptions): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env: opts.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outLen = 0;
    let errLen = 0;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
      // Grandchildren (a plugin's iptables, say) may hold the pipes open; stop waiting for them.
      child.stdout.destroy();
      child.stderr.destroy();
      reject(new Error(`${file} ${args.join(' ')} did not finish within ${opts.timeoutMs} ms`));
    }, opts.timeoutMs);
    child.stdout.on('data', (b: Buffer) => {
      if ((outLen += b.length) <= MAX_OUTPUT) out.push(b);
    });
    child.stderr.on('data', (b: Buffer) => {
      if ((errLen += b.length) <= MAX_OUTPUT) err.push(b);
    });
    child.on('error', (e) => {
      clearTimeout(timer);
      if (!timedOut) reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (timedOut) return;
      resolve({ code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
    // A child that exits without reading stdin makes the write fail with EPIPE; its exit status tells more.
    child.stdin.on('error', () => undefined);
    child.stdin.end(opts.input ?? '');
  });
}

/** Runs a command that must succeed; rejects with its stderr otherwise. */
export async function execChecked(file: string, args: readonly string[], timeoutMs = 10_000): Promise<string> {
  const r = await execFile(file, args, { timeoutMs });
  if (r.code !== 0) {
    throw new Error(`${file} ${args.join(' ')} failed (${r.code ?? r.signal}): ${r.stderr.trim() || r.stdout.trim()}`);
  }
  return r.stdout;
}
