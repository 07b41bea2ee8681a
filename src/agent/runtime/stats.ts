import { readFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { readKeyValues, readNumber, v1Dir } from './cgroups.js';
import type { ContainerStats } from './runtime.js';

/** Clock ticks per second of /proc/stat (USER_HZ, 100 on every Linux architecture Node runs on). */
const USER_HZ = 100;

/**
 * Host cpu time since boot in nanoseconds, as Docker computes `system_cpu_usage`: the first line
 * of /proc/stat, user through softirq (guest time is already inside user).
 */
export async function systemCpuUsageNs(): Promise<number> {
  const text = await readFile('/proc/stat', 'utf8');
  const first = text.split('\n', 1)[0] ?? '';
  const ticks = first.trim().split(/\s+/).slice(1, 8).map(Number).reduce((a, b) => a + b, 0);
  return (ticks * 1e9) / USER_HZ;
}

/** Statistics of a container's cgroup (v1), or undefined once the cgroup is gone. */
export async function readStats(cgroupPath: string): Promise<ContainerStats | undefined> {
  const mem = await v1Dir('memory', cgroupPath);
  const usage = await readNumber(join(mem, 'memory.usage_in_bytes'));
  if (usage === undefined) return undefined;
  const acct = await v1Dir('cpuacct', cgroupPath);
  const perCpuText = await readFile(join(acct, 'cpuacct.usage_percpu'), 'utf8').catch(() => '');
  const pidsDir = await v1Dir('pids', cgroupPath).catch(() => undefined);
  return {
    readAt: new Date(),
    cpuUsageNs: (await readNumber(join(acct, 'cpuacct.usage'))) ?? 0,
    cpuPerCpuNs: perCpuText.trim().split(/\s+/).filter((s) => s !== '').map(Number),
    systemCpuUsageNs: await systemCpuUsageNs(),
    onlineCpus: cpus().length,
    memoryUsageBytes: usage,
    memoryMaxUsageBytes: (await readNumber(join(mem, 'memory.max_usage_in_bytes'))) ?? usage,
    memoryLimitBytes: (await readNumber(join(mem, 'memory.limit_in_bytes'))) ?? 0,
    memoryStat: (await readKeyValues(join(mem, 'memory.stat'))) ?? {},
    pids: (pidsDir !== undefined ? await readNumber(join(pidsDir, 'pids.current')) : undefined) ?? 0,
  };
}
