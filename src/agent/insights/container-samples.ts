/**
 * Cumulative counters of one container at one moment, read from the host: cpu time and memory
 * from the runtime's cgroup statistics (the same numbers the metadata endpoint's /stats serves),
 * network counters of the task's namespace from /proc/<pid>/net/dev, and block I/O bytes from the
 * container's blkio cgroup.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { v1Dir } from '../runtime/cgroups.js';
import type { ContainerRuntime } from '../runtime/runtime.js';

/** Network counters since the namespace was made. */
export interface NetworkCounters {
  rxBytes: number;
  rxPackets: number;
  rxErrors: number;
  rxDropped: number;
  txBytes: number;
  txPackets: number;
  txErrors: number;
  txDropped: number;
}

/** One reading of a running container. */
export interface ContainerSample {
  /** When it was read (ms since the epoch). */
  readAt: number;
  /** Total cpu time of the container's processes (ns). */
  cpuUsageNs: number;
  /** Memory in use, less the page cache the kernel can drop (bytes). */
  memoryBytes: number;
  storage?: { readBytes: number; writeBytes: number };
  network?: NetworkCounters;
}

/** Reads a container by runtime id; undefined when it is not running. */
export type ContainerSampleReader = (runtimeId: string) => Promise<ContainerSample | undefined>;

/** Sums the counters of /proc/net/dev over every interface but loopback. */
export function parseNetDev(text: string): NetworkCounters {
  const out: NetworkCounters = { rxBytes: 0, rxPackets: 0, rxErrors: 0, rxDropped: 0, txBytes: 0, txPackets: 0, txErrors: 0, txDropped: 0 };
  // Two header lines, then "iface: rx bytes packets errs drop fifo frame compressed multicast tx bytes packets errs drop …".
  for (const line of text.split('\n').slice(2)) {
    const colon = line.indexOf(':');
    if (colon < 0 || line.slice(0, colon).trim() === 'lo') continue;
    const f = line.slice(colon + 1).trim().split(/\s+/).map(Number);
    if (f.length < 12 || f.some((n) => !Number.isFinite(n))) continue;
    out.rxBytes += f[0]!;
    out.rxPackets += f[1]!;
    out.rxErrors += f[2]!;
    out.rxDropped += f[3]!;
    out.txBytes += f[8]!;
    out.txPackets += f[9]!;
    out.txErrors += f[10]!;
    out.txDropped += f[11]!;
  }
  return out;
}

/** Sums the Read and Write lines of blkio.throttle.io_service_bytes over all devices. */
export function parseIoServiceBytes(text: string): { readBytes: number; writeBytes: number } {
  let readBytes = 0;
  let writeBytes = 0;
  for (const line of text.split('\n')) {
    const [, op, value] = line.trim().split(/\s+/);
    if (op === 'Read') readBytes += Number(value) || 0;
    else if (op === 'Write') writeBytes += Number(value) || 0;
  }
  return { readBytes, writeBytes };
}

/** The blkio cgroup path of a process, from /proc/<pid>/cgroup. */
function blkioPath(cgroupText: string): string | undefined {
  for (const line of cgroupText.split('\n')) {
    const [, controllers, path] = line.split(':');
    if (controllers?.split(',').includes('blkio') && path) return path;
  }
  return undefined;
}

const optional = <T>(p: Promise<T>): Promise<T | undefined> => p.catch(() => undefined);

/**
 * The host's reader: memory is usage less inactive file pages, as `docker stats` computes it on
 * cgroup v1 hosts (what the ECS agent's figures follow). Network and storage are left out when
 * their files cannot be read (the container just stopped).
 */
export function hostSampleReader(runtime: Pick<ContainerRuntime, 'stats' | 'status'>, procRoot = '/proc'): ContainerSampleReader {
  return async (id) => {
    const stats = await optional(runtime.stats(id));
    if (!stats) return undefined;
    const state = await optional(runtime.status(id));
    if (state?.status !== 'running' || state.pid === undefined) return undefined;
    const inactive = stats.memoryStat.total_inactive_file ?? stats.memoryStat.inactive_file ?? 0;
    const pidDir = join(procRoot, String(state.pid));
    const [netDev, cgroups] = await Promise.all([optional(readFile(join(pidDir, 'net/dev'), 'utf8')), optional(readFile(join(pidDir, 'cgroup'), 'utf8'))]);
    const path = cgroups === undefined ? undefined : blkioPath(cgroups);
    const io = path === undefined ? undefined : await optional(v1Dir('blkio', path).then((dir) => readFile(join(dir, 'blkio.throttle.io_service_bytes'), 'utf8')));
    return {
      readAt: stats.readAt.getTime(),
      cpuUsageNs: stats.cpuUsageNs,
      memoryBytes: Math.max(0, stats.memoryUsageBytes - inactive),
      ...(io !== undefined && { storage: parseIoServiceBytes(io) }),
      ...(netDev !== undefined && { network: parseNetDev(netDev) }),
    };
  };
}
