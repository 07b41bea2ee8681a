/**
 * Removes what a stopped node's agent left on this machine: its task containers (through the
 * agent's own runc root), their network namespaces and task cgroups, overlay mounts under its data
 * dir, and the data dir itself. Used on scale-in, on close, and for nodes of an earlier run that died.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { removeCgroup } from '../../lib/cgroup-tree.js';
import { quietly } from './node-network.js';

/** A task id: what starts a container id and names a task's directory and cgroup (`minato/<id>`). */
const TASK_ID = /^[0-9a-f]{32}/;

/** The containers runc knows under an agent's state root. */
function containers(root: string): string[] {
  if (!existsSync(root)) return [];
  try {
    const out = execFileSync('runc', ['--root', root, 'list', '--format', 'json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return ((JSON.parse(out || '[]') as Array<{ id: string }> | null) ?? []).map((c) => c.id);
  } catch {
    return [];
  }
}

/** Kills and deletes the node's containers, removes their cgroups, unmounts and removes its data dir. */
export async function removeNodeLeftovers(dataDir: string): Promise<void> {
  const root = join(dataDir, 'runtime', 'runc');
  const tasksDir = join(dataDir, 'tasks');
  const taskIds = new Set((existsSync(tasksDir) ? readdirSync(tasksDir) : []).filter((d) => TASK_ID.test(d)).map((d) => d.slice(0, 32)));
  for (const id of containers(root)) {
    if (TASK_ID.test(id)) taskIds.add(id.slice(0, 32));
    quietly(() => execFileSync('runc', ['--root', root, 'kill', id, 'KILL'], { stdio: 'ignore' }));
    quietly(() => execFileSync('runc', ['--root', root, 'delete', '--force', id], { stdio: 'ignore' }));
    // Task network namespaces are named after the task id, the first part of a container id.
    quietly(() => execFileSync('ip', ['netns', 'delete', `minato-${id.split('-')[0]}`], { stdio: 'ignore' }));
  }
  // A task given a pooled network sandbox has the sandbox's namespace, and the pool's own are named
  // after no task: the agent's network records name them all.
  for (const name of recordedNetns(dataDir)) quietly(() => execFileSync('ip', ['netns', 'delete', name], { stdio: 'ignore' }));
  // Overlay and volume mounts under the data dir, deepest first.
  const mounts = readFileSync('/proc/self/mounts', 'utf8')
    .split('\n')
    .map((l) => (l.split(' ')[1] ?? '').replace(/\\040/g, ' '))
    .filter((m) => m === dataDir || m.startsWith(`${dataDir}/`))
    .sort((a, b) => b.length - a.length);
  for (const m of mounts) quietly(() => execFileSync('umount', ['-l', m], { stdio: 'ignore' }));
  // The agent removes a task's cgroup when it stops the task; killed, it left them.
  for (const id of taskIds) await removeCgroup(`minato/${id}`).catch(() => undefined);
  rmSync(dataDir, { recursive: true, force: true });
}

/** The network namespaces the agent's records (tasks' and its sandbox pool's) name. */
export function recordedNetns(dataDir: string): string[] {
  const names: string[] = [];
  for (const dir of ['tasks', 'pool'].map((d) => join(dataDir, 'network', d))) {
    for (const file of existsSync(dir) ? readdirSync(dir) : []) {
      if (!file.endsWith('.json') || file.startsWith('.')) continue;
      quietly(() => {
        const name = (JSON.parse(readFileSync(join(dir, file), 'utf8')) as { netnsName?: unknown }).netnsName;
        if (typeof name === 'string' && /^minato-[A-Za-z0-9_.-]+$/.test(name)) names.push(name);
      });
    }
  }
  return names;
}

/** Whether `pid` is alive and is the agent of this data dir (a reused pid is not). */
export function isNodeProcess(pid: number, dataDir: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(dataDir);
  } catch {
    return false;
  }
}
