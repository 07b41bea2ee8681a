import { spawn } from 'node:child_process';
import { MAX_OUTPUT, type RunRequest, type RunResult } from './spawn-protocol.js';

/**
 * Runs one helper command to completion in this process (no shell): what the spawn server does
 * for each request, and the fallback when there is no server. Rejects only when the command
 * cannot be started; a timeout kills it (SIGKILL) and resolves with `timedOut`.
 */
export function runChild(req: RunRequest): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(req.file, req.args, {
      cwd: req.cwd,
      env: req.env,
      stdio: [req.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    const max = req.maxOutput ?? MAX_OUTPUT;
    const out: Buffer[] = [];
    const err: Buffer[] = req.mergeOutput ? out : [];
    const kept = new Map<Buffer[], number>([[out, 0], [err, 0]]);
    // Output past the limit is dropped, the part of a chunk that still fits kept.
    const collect = (into: Buffer[]) => (b: Buffer) => {
      const size = kept.get(into)!;
      if (size >= max) return;
      const part = b.subarray(0, max - size);
      into.push(part);
      kept.set(into, size + part.length);
    };
    let timedOut = false;
    let settled = false;
    const finish = (r: RunResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
      // Grandchildren (a plugin's iptables, say) may hold the pipes open; stop waiting for them.
      child.stdout?.destroy();
      child.stderr?.destroy();
      finish({ code: null, signal: 'SIGKILL', stdout: text(out), stderr: req.mergeOutput ? '' : text(err), timedOut });
    }, req.timeoutMs);
    child.stdout?.on('data', collect(out));
    child.stderr?.on('data', collect(err));
    child.on('error', (e) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => finish({ code, signal, stdout: text(out), stderr: req.mergeOutput ? '' : text(err), timedOut }));
    if (child.stdin) {
      // A child that exits without reading stdin makes the write fail with EPIPE; its exit status tells more.
      child.stdin.on('error', () => undefined);
      child.stdin.end(req.input);
    }
  });
}

const text = (parts: Buffer[]): string => Buffer.concat(parts).toString('utf8');
