import { readFile } from 'node:fs/promises';

/** What /proc/<pid>/stat tells about a process. */
export interface ProcStat {
  /** One-letter state: R, S, D, Z (zombie), X (dead), … */
  state: string;
  /** Start time in clock ticks since boot: with the pid, it names one process for good. */
  startTime: number;
}

/** The state and start time of a process, or undefined when there is no such pid. */
export async function procStat(pid: number): Promise<ProcStat | undefined> {
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  const text = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  // The command name (field 2) may hold spaces and parentheses: fields restart after the last ')'.
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const state = rest[0] ?? '?';
  const startTime = Number(rest[19]);
  return { state, startTime };
}

/**
 * Whether the process that had `startTime` still runs under `pid`: a recycled pid or a zombie
 * (exited, waiting for its parent to collect the status) does not count.
 */
export async function isRunning(pid: number | undefined, startTime: number | undefined): Promise<boolean> {
  if (pid === undefined) return false;
  const st = await procStat(pid);
  if (!st || st.state === 'Z' || st.state === 'X') return false;
  return startTime === undefined || st.startTime === startTime;
}
