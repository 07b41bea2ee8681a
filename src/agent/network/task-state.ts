import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CniPortMapping } from './cni-config.js';
import type { CniNetworkConfigList, CniResult } from './cni-types.js';
import type { TaskNetwork, TaskNetworkRequest } from './network-manager.js';

/**
 * What minato remembers of one task's network, written before the first plugin runs and again
 * once setup is done: DEL must get the configuration and result of the ADD (CNI spec section 3),
 * also after a restart, and a crash half-way through setup must leave enough to tear it down.
 */
export interface SavedTaskNetwork {
  version: 1;
  taskId: string;
  /**
   * The CNI container id the attachments were added with, when not the task id: a network taken
   * from the sandbox pool keeps the id it was made under (its address lease is held in that name).
   */
  containerId?: string;
  netnsName: string;
  netnsPath: string;
  ifName: string;
  request: TaskNetworkRequest;
  /** The lists exactly as run on ADD, so DEL and CHECK get the same even if the settings change. */
  network: CniNetworkConfigList;
  loopback: CniNetworkConfigList;
  capabilityArgs: { portMappings: CniPortMapping[] };
  /** The final ADD results; absent while setup is under way, or when it did not finish. */
  result?: CniResult;
  loopbackResult?: CniResult;
  taskNetwork?: TaskNetwork;
}

const SUFFIX = '.json';

/** One JSON file per task under a directory; writes are atomic (write, then rename). */
export class TaskStateStore {
  constructor(private readonly dir: string) {}

  /** The saved state of a task, or undefined. */
  async read(taskId: string): Promise<SavedTaskNetwork | undefined> {
    let text: string;
    try {
      text = await readFile(this.file(taskId), 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
    const state = JSON.parse(text) as SavedTaskNetwork;
    if (state.version !== 1 || state.taskId !== taskId) throw new Error(`unexpected network state in ${this.file(taskId)}`);
    return state;
  }

  /** Saves a task's state, replacing what was there. */
  async write(state: SavedTaskNetwork): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const tmp = join(this.dir, `.${state.taskId}.${randomBytes(6).toString('hex')}.tmp`);
    await writeFile(tmp, JSON.stringify(state, null, 2) + '\n', { mode: 0o600 });
    await rename(tmp, this.file(state.taskId));
  }

  /** Forgets a task. */
  async delete(taskId: string): Promise<void> {
    await rm(this.file(taskId), { force: true });
  }

  /** The tasks with saved state, sorted. */
  async list(): Promise<string[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    return names
      .filter((n) => n.endsWith(SUFFIX) && !n.startsWith('.'))
      .map((n) => n.slice(0, -SUFFIX.length))
      .sort();
  }

  private file(taskId: string): string {
    return join(this.dir, taskId + SUFFIX);
  }
}

/** What a task's record keeps of its request: not the firewall, which lives in the namespace and every setup applies anew. */
export function recordedRequest(req: TaskNetworkRequest): TaskNetworkRequest {
  const { firewall: _firewall, ...kept } = req;
  return { ...kept, portMappings: req.portMappings.map((m) => ({ ...m })) };
}
