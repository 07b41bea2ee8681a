import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { execChecked } from './exec.js';

/** Where `ip netns` keeps its named network namespaces (bind mounts that keep them alive). */
export const NETNS_DIR = '/var/run/netns';

/** The named namespaces minato creates for tasks are `minato-<taskId>`. */
export const netnsName = (taskId: string): string => `minato-${taskId}`;

/** The path of a named network namespace. */
export const netnsPath = (name: string): string => join(NETNS_DIR, name);

/** Whether the named namespace exists. */
export async function netnsExists(name: string): Promise<boolean> {
  try {
    await access(netnsPath(name));
    return true;
  } catch {
    return false;
  }
}

/** Creates a named network namespace (with `ip netns add`, which mounts it under {@link NETNS_DIR}). */
export async function createNetns(name: string): Promise<string> {
  await execChecked('ip', ['netns', 'add', name]);
  return netnsPath(name);
}

/** Deletes a named network namespace if it exists; its interfaces (the task's veth end) go with it. */
export async function deleteNetns(name: string): Promise<void> {
  if (!(await netnsExists(name))) return;
  await execChecked('ip', ['netns', 'delete', name]);
}
