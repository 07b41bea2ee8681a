/**
 * The last line of cleanup for tests that kill `minato up`: whatever of their tasks is still on
 * the host once the test is over (normally nothing; a failed assertion may leave a task running).
 * Only what is provably the test's is touched: runc containers under its data dir's runtime root,
 * mounts under the data dir, the namespaces and task cgroups named after the task ids found there,
 * the namespaces its network records name (a task given a pooled sandbox has the sandbox's), and
 * the HAProxy its load balancers left serving (found by the pid file under the data dir) with its
 * block of /etc/hosts.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { removeCgroup } from '../../src/agent/runtime/cgroups.js';
import { HaproxyDataPlane } from '../../src/lb-proxy/haproxy-data-plane.js';
import { recordedNetns } from '../../src/nodes/local/node-cleanup.js';

/** Removes what is left of a data dir's tasks; returns a line per thing it had to remove. */
export async function sweepDataDir(dataDir: string): Promise<string[]> {
  const found: string[] = [];
  const taskIds = new Set<string>();
  const runcRoot = join(dataDir, 'runtime', 'runc');
  const listed = existsSync(runcRoot) ? spawnSync('runc', ['--root', runcRoot, 'list', '-q'], { encoding: 'utf8', timeout: 30_000 }).stdout : '';
  for (const id of listed.split('\n').filter((l) => l.length > 0)) {
    found.push(`runc container ${id}`);
    taskIds.add(id.slice(0, 32));
    spawnSync('runc', ['--root', runcRoot, 'delete', '-f', id], { stdio: 'ignore', timeout: 30_000 });
  }
  for (const dir of ['tasks', join('network', 'tasks')]) {
    const path = join(dataDir, dir);
    for (const name of existsSync(path) ? readdirSync(path) : []) if (/^[0-9a-f]{32}/.test(name)) taskIds.add(name.slice(0, 32));
  }
  const mounts = readFileSync('/proc/self/mounts', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[1] ?? '')
    .filter((m) => m.startsWith(dataDir))
    .sort((a, b) => b.length - a.length);
  for (const m of mounts) {
    found.push(`mount ${m}`);
    spawnSync('umount', ['-l', m], { stdio: 'ignore', timeout: 30_000 });
  }
  const namespaces = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout;
  for (const name of recordedNetns(dataDir)) {
    if (namespaces.split('\n').some((line) => line.split(' ')[0] === name)) {
      found.push(`netns ${name}`);
      spawnSync('ip', ['netns', 'delete', name], { stdio: 'ignore', timeout: 30_000 });
    }
  }
  for (const id of taskIds) {
    if (namespaces.includes(`minato-${id}`)) {
      found.push(`netns minato-${id}`);
      spawnSync('ip', ['netns', 'delete', `minato-${id}`], { stdio: 'ignore', timeout: 30_000 });
    }
    await removeCgroup(`minato/${id}`).catch(() => undefined);
  }
  if (existsSync(join(dataDir, 'lb'))) {
    // A killed minato leaves its load balancers serving (by design): adopt that HAProxy and stop it.
    const plane = await HaproxyDataPlane.open({ dataDir });
    if (plane.masterPid !== undefined) found.push(`haproxy ${plane.masterPid}`);
    await plane.close();
  }
  return found;
}
