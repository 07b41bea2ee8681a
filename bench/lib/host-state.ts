/**
 * What the task benchmark reads from the host (Linux /proc and the `ip` and `runc` tools): process
 * memory and CPU time, the monitors of a data directory's containers, and the shared state a run
 * must leave as it found it (named network namespaces, runc containers, links, mounts).
 */
import { execFile } from 'node:child_process';
import { readFile, readdir } from 'node:fs/promises';
import { promisify } from 'node:util';
import { removeHostFirewall } from '../../src/agent/network/host-firewall.js';

const run = promisify(execFile);

/** Clock ticks per second of /proc/<pid>/stat times: 100 on every Linux architecture Node runs on. */
const CLOCK_TICKS = 100;

/** VmRSS of a process in KiB, or undefined when it is gone. */
export async function rssKiB(pid: number): Promise<number | undefined> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const kib = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
  return kib === undefined ? undefined : Number(kib);
}

/** The fields of /proc/<pid>/stat after the command name (which may contain spaces). */
async function statFields(pid: number): Promise<string[] | undefined> {
  const text = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  return text.slice(text.lastIndexOf(')') + 2).split(' ');
}

/**
 * User plus system CPU time a process has used, in seconds; with `children`, also that of the
 * children it has waited for (for minato: the CNI plugins, runc, mount, ip it ran).
 */
export async function cpuSeconds(pid: number, children = false): Promise<number | undefined> {
  const f = await statFields(pid);
  if (f === undefined) return undefined;
  // Fields 14 to 17 of stat (utime, stime, cutime, cstime) are at 11 to 14 once pid and comm are cut off.
  const own = Number(f[11]) + Number(f[12]);
  return (children ? own + Number(f[13]) + Number(f[14]) : own) / CLOCK_TICKS;
}

/** The kernel's share of a process's own CPU time (fork and exec of helpers land here), in seconds. */
export async function systemCpuSeconds(pid: number): Promise<number | undefined> {
  const f = await statFields(pid);
  return f === undefined ? undefined : Number(f[12]) / CLOCK_TICKS;
}

/**
 * CPU time the whole host has spent busy (all CPUs, every process, the kernel), in seconds: the
 * first line of /proc/stat less idle and iowait. Other users of the machine count too.
 */
export async function hostBusySeconds(): Promise<number> {
  const [, ...fields] = (await readFile('/proc/stat', 'utf8')).split('\n')[0]!.trim().split(/\s+/);
  const ticks = fields.map(Number);
  const total = ticks.slice(0, 8).reduce((s, t) => s + t, 0);
  return (total - ticks[3]! - ticks[4]!) / CLOCK_TICKS;
}

/** Every live process: pid, parent pid and argv. */
async function processes(): Promise<{ pid: number; ppid: number; argv: string[] }[]> {
  const out: { pid: number; ppid: number; argv: string[] }[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    const [f, cmdline] = await Promise.all([statFields(pid), readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')]);
    if (f === undefined) continue;
    out.push({ pid, ppid: Number(f[1]), argv: cmdline.split('\0').filter((a) => a !== '') });
  }
  return out;
}

/**
 * CPU seconds of a process and its live children (PostgreSQL: the postmaster and its backends),
 * with the children it has already reaped, so that a backend ending mid-window moves its time
 * from one term to the other rather than losing it.
 */
export async function treeCpuSeconds(pid: number): Promise<number> {
  const children = (await processes()).filter((p) => p.ppid === pid);
  const times = await Promise.all(children.map((c) => cpuSeconds(c.pid)));
  return ((await cpuSeconds(pid, true)) ?? 0) + times.reduce<number>((s, t) => s + (t ?? 0), 0);
}

/** Total resident memory and CPU time of a set of processes. */
export interface ProcessGroupMemory {
  count: number;
  totalMiB: number;
  /** Their CPU time, with that of the children they waited for (conmon: its `runc create`). */
  cpuSeconds: number;
}

const isMonitorOf = (marker: string) => (p: { argv: string[] }) => (p.argv[0] ?? '').endsWith('conmon') && p.argv.some((a) => a.includes(marker));

/** The pids of the conmon monitors whose command line mentions `marker` (a data directory). */
export async function monitorsPids(marker: string): Promise<number[]> {
  return (await processes()).filter(isMonitorOf(marker)).map((p) => p.pid);
}

/**
 * The conmon monitors whose command line mentions `marker` (the data directory: their runtime root
 * is under it), and the container processes below them (every descendant), with their total RSS.
 */
export async function monitorsAndContainers(marker: string): Promise<{ conmon: ProcessGroupMemory; containers: ProcessGroupMemory }> {
  const all = await processes();
  const conmons = all.filter(isMonitorOf(marker));
  const children = new Map<number, number[]>();
  for (const p of all) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p.pid]);
  const below: number[] = [];
  const queue = conmons.flatMap((c) => children.get(c.pid) ?? []);
  // Bounded by the process count: a pid is visited once (the tree has no cycles).
  for (let i = 0; i < queue.length && i < all.length; i++) {
    below.push(queue[i]!);
    queue.push(...(children.get(queue[i]!) ?? []));
  }
  const sum = async (pids: readonly number[]) => {
    const kib = await Promise.all(pids.map((pid) => rssKiB(pid)));
    const cpu = await Promise.all(pids.map((pid) => cpuSeconds(pid, true)));
    return {
      count: pids.length,
      totalMiB: kib.reduce<number>((s, k) => s + (k ?? 0), 0) / 1024,
      cpuSeconds: cpu.reduce<number>((s, c) => s + (c ?? 0), 0),
    };
  };
  return { conmon: await sum(conmons.map((c) => c.pid)), containers: await sum(below) };
}

/** The named network namespaces (`ip netns list`, first word of each line). */
export async function netnsNames(): Promise<string[]> {
  const { stdout } = await run('ip', ['netns', 'list']);
  return stdout.split('\n').map((l) => l.split(' ')[0]!).filter((n) => n !== '');
}

/** The ids of runc containers under a state root (runc's default root when none is given). */
export async function runcIds(root?: string): Promise<string[]> {
  const { stdout } = await run('runc', [...(root ? ['--root', root] : []), 'list', '-q']);
  return stdout.split('\n').filter((l) => l !== '');
}

/** Whether a network link exists. */
export async function linkExists(name: string): Promise<boolean> {
  return run('ip', ['link', 'show', 'dev', name]).then(
    () => true,
    () => false,
  );
}

/** Deletes a network link (the bench bridge); true when it existed. */
export async function deleteLink(name: string): Promise<boolean> {
  // A task bridge's firewall chain and masquerade rule go with it (a no-op for other links).
  await removeHostFirewall(name);
  if (!(await linkExists(name))) return false;
  await run('ip', ['link', 'del', 'dev', name]);
  return true;
}

/** Mount points at or under a directory, deepest first (the order to unmount them in). */
export async function mountsUnder(dir: string): Promise<string[]> {
  const text = await readFile('/proc/self/mounts', 'utf8');
  return text
    .split('\n')
    .map((l) => l.split(' ')[1] ?? '')
    .filter((m) => m === dir || m.startsWith(`${dir}/`))
    .sort((a, b) => b.length - a.length);
}
