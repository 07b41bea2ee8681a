/**
 * HAProxy's two command sockets: the worker's runtime API (closes after answering) and the
 * master CLI (keeps the connection open; an answer ends with an empty line).
 */
import { connect } from 'node:net';

/** Sends one command (or several joined by `;`) and returns the answer. */
export function socketCommand(path: string, command: string, options: { master?: boolean; timeoutMs?: number } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(path);
    let answer = '';
    const done = (error?: Error): void => {
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve(answer);
    };
    const timer = setTimeout(() => done(new Error(`HAProxy socket ${command}: no answer`)), options.timeoutMs ?? 5000);
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(`${command}\n`));
    socket.on('data', (chunk: string) => {
      answer += chunk;
      if (options.master && answer.endsWith('\n\n')) done();
    });
    socket.on('end', () => done());
    socket.on('error', (e) => done(e));
  });
}

/** The pid of the current worker, from the master CLI's `show proc`. */
export function currentWorkerPid(showProc: string): number | undefined {
  const lines = showProc.split('\n');
  const at = lines.indexOf('# workers');
  if (at < 0) return undefined;
  const pid = Number.parseInt(lines[at + 1] ?? '', 10);
  return Number.isFinite(pid) ? pid : undefined;
}

/** How many reloads failed so far, from the master's line of `show proc` (`[failed: N]`). */
export function failedReloads(showProc: string): number {
  return Number(/\[failed: (\d+)\]/.exec(showProc)?.[1] ?? 0);
}

/** Servers taking requests (operational state starting — slow start ramping up — or running), from `show servers state` (`backend/server` names). */
export function readyServers(serversState: string): Set<string> {
  const ready = new Set<string>();
  for (const line of serversState.split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue;
    const f = line.split(' ');
    if (f.length > 6 && (f[5] === '1' || f[5] === '2')) ready.add(`${f[1]}/${f[3]}`);
  }
  return ready;
}
