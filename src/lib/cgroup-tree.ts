import { readFile, readdir, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { failedPrecondition } from './errors.js';

/**
 * The cgroup hierarchies of this host and the removal of a cgroup tree from all of them: what a
 * task runtime needs, and what cleans up after an agent that can no longer do it itself.
 */

/** One mounted cgroup hierarchy. */
export interface CgroupHierarchy {
  mountPoint: string;
  /** v1 controllers (`memory`, `cpu`, `name=systemd`, …); empty for the v2 hierarchy. */
  controllers: string[];
  version: 1 | 2;
}

const V1_CONTROLLERS = new Set([
  'cpu', 'cpuacct', 'cpuset', 'memory', 'devices', 'freezer', 'net_cls', 'net_prio', 'blkio', 'perf_event', 'hugetlb', 'pids', 'rdma', 'misc',
]);

/** The cgroup hierarchies mounted in this mount namespace, from /proc/self/mountinfo. */
export function cgroupHierarchies(): Promise<CgroupHierarchy[]> {
  // The cgroup mounts do not change while minato runs, but mountinfo grows with every container's
  // mounts: read it once.
  hierarchies ??= readHierarchies();
  hierarchies.catch(() => (hierarchies = undefined));
  return hierarchies;
}

let hierarchies: Promise<CgroupHierarchy[]> | undefined;

async function readHierarchies(): Promise<CgroupHierarchy[]> {
  const info = await readFile('/proc/self/mountinfo', 'utf8');
  const out: CgroupHierarchy[] = [];
  for (const line of info.split('\n')) {
    const [left, right] = line.split(' - ');
    if (!left || !right) continue;
    const mountPoint = left.split(' ')[4];
    const [fstype, , superOptions = ''] = right.split(' ');
    if (!mountPoint) continue;
    if (fstype === 'cgroup2') out.push({ mountPoint, controllers: [], version: 2 });
    if (fstype === 'cgroup') {
      const controllers = superOptions.split(',').filter((o) => V1_CONTROLLERS.has(o) || o.startsWith('name='));
      out.push({ mountPoint, controllers, version: 1 });
    }
  }
  return out;
}

/**
 * Removes a cgroup and its (empty) children from every hierarchy, deepest first. Idempotent. A
 * cgroup that still holds processes is refused; one just emptied may stay busy for a moment.
 */
export async function removeCgroup(cgroupPath: string): Promise<void> {
  for (const h of await cgroupHierarchies()) await removeTree(join(h.mountPoint, cgroupPath));
}

async function removeTree(dir: string): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true }).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return undefined;
    throw e;
  });
  if (!entries) return;
  for (const e of entries) if (e.isDirectory()) await removeTree(join(dir, e.name));
  for (let attempt = 0; ; attempt++) {
    try {
      await rmdir(dir);
      return;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return;
      // A killed container's last processes may take a moment to leave their cgroup after its
      // monitor reported the exit; giving up early left empty task cgroups behind.
      if (code !== 'EBUSY' || attempt >= 100) {
        throw failedPrecondition('cgroup-in-use', `cgroup ${dir} still has processes or children`);
      }
      await sleep(50);
    }
  }
}
