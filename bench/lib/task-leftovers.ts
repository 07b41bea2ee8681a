/**
 * The last line of cleanup for the task benchmark: whatever of its tasks is still on the host once
 * `minato up` has exited (normally nothing: every task is stopped through the API first). Only
 * things that are provably the benchmark's are touched: runc containers under its data directory's
 * runtime root, conmon processes naming that directory, mounts under it, the namespaces named
 * after its own task ids or in its network records (a task given a pooled sandbox has the
 * sandbox's namespace), the task cgroups named after its task ids.
 */
import { spawnSync } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { removeCgroup } from '../../src/agent/runtime/cgroups.js';
import { unmount } from '../../src/agent/runtime/rootfs.js';
import { monitorsPids, mountsUnder, netnsNames, runcIds } from './host-state.js';

/** minato's names for a task's network namespace and cgroup (src/agent/network/netns.ts, task-run.ts). */
export const taskNetns = (taskId: string): string => `minato-${taskId}`;
const taskCgroup = (taskId: string): string => `minato/${taskId}`;

/** The namespaces named in a data directory's network records (tasks' and the sandbox pool's). */
export async function recordedNetns(dataDir: string): Promise<string[]> {
  const names: string[] = [];
  for (const dir of ['tasks', 'pool'].map((d) => join(dataDir, 'network', d))) {
    for (const file of await readdir(dir).catch((): string[] => [])) {
      if (!file.endsWith('.json') || file.startsWith('.')) continue;
      const record = JSON.parse(await readFile(join(dir, file), 'utf8').catch(() => '{}')) as { netnsName?: unknown };
      if (typeof record.netnsName === 'string') names.push(record.netnsName);
    }
  }
  return names;
}

/** The task id at the end of a task ARN. */
export const taskIdOf = (taskArn: string): string => taskArn.split('/').pop()!;

/**
 * Removes what is left of the benchmark's tasks; returns a line per thing it had to remove (an
 * empty list is the expected outcome).
 */
export async function sweepLeftovers(dataDir: string, taskIds: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  const runcRoot = join(dataDir, 'runtime', 'runc');
  for (const id of await runcIds(runcRoot).catch((): string[] => [])) {
    found.push(`runc container ${id}`);
    spawnSync('runc', ['--root', runcRoot, 'delete', '-f', id], { stdio: 'ignore', timeout: 30_000 });
  }
  for (const pid of await monitorsPids(dataDir)) {
    found.push(`conmon ${pid}`);
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
  for (const mount of await mountsUnder(dataDir)) {
    found.push(`mount ${mount}`);
    await unmount(mount).catch(() => undefined);
  }
  const namespaces = new Set(await netnsNames().catch((): string[] => []));
  const ours = new Set([...taskIds.map(taskNetns), ...(await recordedNetns(dataDir))]);
  for (const name of ours) {
    if (!namespaces.has(name)) continue;
    found.push(`netns ${name}`);
    spawnSync('ip', ['netns', 'delete', name], { stdio: 'ignore', timeout: 30_000 });
  }
  if (found.length > 0) for (const id of taskIds) await removeCgroup(taskCgroup(id)).catch(() => undefined);
  return found;
}
