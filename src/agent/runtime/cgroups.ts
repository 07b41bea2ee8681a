import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cgroupHierarchies } from '../../lib/cgroup-tree.js';
import { DomainError, ErrorKind, invalidParameter } from '../../lib/errors.js';
import { CGROUP_PARENT, type TaskLimits } from './runtime.js';

// The hierarchies and tree removal live in lib/, as the local node provider removes task cgroups too.
export { cgroupHierarchies, removeCgroup, type CgroupHierarchy } from '../../lib/cgroup-tree.js';

/** The directory of `cgroupPath` (relative to the root) in the v1 hierarchy holding `controller`. */
export async function v1Dir(controller: string, cgroupPath: string): Promise<string> {
  const h = (await cgroupHierarchies()).find((x) => x.version === 1 && x.controllers.includes(controller));
  if (!h) {
    throw new DomainError(ErrorKind.Unavailable, `no cgroup v1 ${controller} hierarchy is mounted (only cgroup v1 hosts are supported)`, 'cgroups');
  }
  return join(h.mountPoint, cgroupPath);
}

/** Checks a task cgroup path: relative, safe segments, no `..`. */
export function checkCgroupParent(cgroupParent: string): string {
  if (!CGROUP_PARENT.test(cgroupParent) || cgroupParent.split('/').some((s) => s === '..' || s === '.')) {
    throw invalidParameter(`Invalid cgroup parent: ${cgroupParent}`);
  }
  return cgroupParent;
}

const MIB = 1024 * 1024;
const CFS_PERIOD_US = 100_000;

/**
 * Creates or updates a task cgroup's cpu and memory limits (cgroup v1). ECS task cpu is a hard cap
 * on EC2 and Fargate alike: units/1024 cpus as a CFS quota, plus the units as cpu.shares so tasks
 * share a busy host in proportion. An absent limit is removed.
 */
export async function setTaskLimits(cgroupParent: string, limits: TaskLimits): Promise<void> {
  const path = checkCgroupParent(cgroupParent);
  const { cpuUnits, memoryMiB } = limits;
  if (cpuUnits !== undefined && (!Number.isInteger(cpuUnits) || cpuUnits < 1)) throw invalidParameter(`Invalid task cpu: ${cpuUnits}`);
  if (memoryMiB !== undefined && (!Number.isInteger(memoryMiB) || memoryMiB < 6)) throw invalidParameter(`Invalid task memory: ${memoryMiB}`);
  const cpu = await v1Dir('cpu', path);
  await mkdir(cpu, { recursive: true });
  await writeFile(join(cpu, 'cpu.shares'), String(Math.max(2, cpuUnits ?? 1024)));
  await writeFile(join(cpu, 'cpu.cfs_period_us'), String(CFS_PERIOD_US));
  const quota = cpuUnits === undefined ? -1 : Math.max(1000, Math.floor((cpuUnits * CFS_PERIOD_US) / 1024));
  await writeFile(join(cpu, 'cpu.cfs_quota_us'), String(quota));
  const mem = await v1Dir('memory', path);
  await mkdir(mem, { recursive: true });
  await writeFile(join(mem, 'memory.limit_in_bytes'), memoryMiB === undefined ? '-1' : String(memoryMiB * MIB));
}

/**
 * Moves a process into `cgroupPath` in every v1 hierarchy but cpuset (whose new cgroups need cpus
 * and mems copied first) and in the v2 hierarchy, creating the cgroups. Used to take conmon out
 * of the agent's cgroup so that stopping the agent's service does not kill the monitors.
 */
export async function moveProcess(pid: number, cgroupPath: string): Promise<void> {
  // The hierarchies are independent: moved side by side (a monitor waits for this before it runs runc).
  const moves = (await cgroupHierarchies())
    .filter((h) => !h.controllers.includes('cpuset'))
    .map(async (h) => {
      const dir = join(h.mountPoint, cgroupPath);
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, 'cgroup.procs'), String(pid));
    });
  const failed = (await Promise.allSettled(moves)).find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
}

/** A number from a cgroup file, or undefined when the file is missing. */
export async function readNumber(file: string): Promise<number | undefined> {
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  const n = Number(text.trim());
  return Number.isFinite(n) ? n : undefined;
}

/** `key value` lines (memory.stat, memory.oom_control) as a record. */
export async function readKeyValues(file: string): Promise<Record<string, number> | undefined> {
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const [k, v] = line.split(' ');
    if (k && v !== undefined && Number.isFinite(Number(v))) out[k] = Number(v);
  }
  return out;
}

/** How many processes of this cgroup the kernel's OOM killer has killed (v1 memory.oom_control). */
export async function oomKillCount(cgroupPath: string): Promise<number> {
  const kv = await readKeyValues(join(await v1Dir('memory', cgroupPath), 'memory.oom_control'));
  return kv?.oom_kill ?? 0;
}
