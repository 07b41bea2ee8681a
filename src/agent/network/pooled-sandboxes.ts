import { randomBytes } from 'node:crypto';
import { asDomainError } from './cni-network-checks.js';
import type { CniResult } from './cni-types.js';
import type { TaskNetwork, TaskNetworkRequest } from './network-manager.js';
import { netnsExists } from './netns.js';
import type { SandboxMaker } from './sandbox-pool.js';
import { recordedRequest, type SavedTaskNetwork, type TaskStateStore } from './task-state.js';
import { toTaskNetwork } from './task-network.js';

/** What making a sandbox shares with making a task's network (CniNetworkManager's steps). */
export interface SandboxNetworking {
  /** The bridge, firewall and plugins are in place. */
  ready(): Promise<void>;
  /** The record of a network about to be made under `req.taskId` as CNI container id. */
  pendingState(req: TaskNetworkRequest): SavedTaskNetwork;
  /** Creates the recorded namespace and adds the attachments. */
  attach(pending: SavedTaskNetwork): Promise<{ result: CniResult; loopbackResult: CniResult }>;
  /** DEL of the attachments, then the namespace. */
  detach(saved: SavedTaskNetwork): Promise<void>;
}

/**
 * The pool's sandboxes on disk: one record each (in their own directory, apart from the tasks'),
 * written before anything is made, so that a crash at any point leaves a record to remove the
 * sandbox by. Each sandbox's CNI container id is its pool id (`pool-…`), kept when a task takes
 * it: its address lease is held under that id.
 */
export class PooledSandboxes implements SandboxMaker {
  constructor(
    private readonly records: TaskStateStore,
    private readonly tasks: TaskStateStore,
    private readonly net: SandboxNetworking,
  ) {}

  /** Makes one sandbox; resolves with its id. */
  async make(): Promise<string> {
    await this.net.ready();
    const id = `pool-${randomBytes(5).toString('hex')}`;
    const pending = this.net.pendingState({ taskId: id, portMappings: [] });
    await this.records.write(pending);
    try {
      await this.records.write({ ...pending, ...(await this.net.attach(pending)) });
      return id;
    } catch (e) {
      if (await netnsExists(pending.netnsName)) await this.release(id).catch(() => undefined);
      else await this.records.delete(id);
      throw asDomainError(e, id);
    }
  }

  /** Removes a sandbox no task took; its record stays if DEL fails, for the next start to retry. */
  async release(id: string): Promise<void> {
    const saved = await this.records.read(id);
    if (!saved) return;
    await this.net.detach(saved);
    await this.records.delete(id);
  }

  /** Removes every sandbox recorded (for uninstalling). */
  async releaseAll(): Promise<void> {
    for (const id of await this.records.list()) await this.release(id);
  }

  /**
   * Gives the sandbox to a task (that publishes no ports): the task's record, naming the
   * sandbox's namespace and CNI container id, is written before the pool's record is deleted, so
   * a crash in between leaves the sandbox with the task (and recover drops the pool's record).
   * Undefined when the sandbox is unusable (gone behind minato's back): it is released then.
   */
  async handOver(id: string, req: TaskNetworkRequest): Promise<TaskNetwork | undefined> {
    const sandbox = await this.records.read(id).catch(() => undefined);
    if (!sandbox?.result || !(await netnsExists(sandbox.netnsName))) {
      void this.release(id).catch(() => undefined);
      return undefined;
    }
    const taskNetwork = toTaskNetwork(req, sandbox.netnsPath, sandbox.ifName, sandbox.result);
    await this.tasks.write({
      ...sandbox,
      taskId: req.taskId,
      containerId: id,
      request: recordedRequest(req),
      taskNetwork,
    });
    await this.records.delete(id);
    return taskNetwork;
  }

  /**
   * After a restart, before the pool fills: a sandbox some task's record names was taken just
   * before a crash (its pool record is dropped); the others belong to no task and are released.
   */
  async recover(): Promise<void> {
    const pooled = await this.records.list();
    if (pooled.length === 0) return;
    const taken = new Set<string>();
    for (const taskId of await this.tasks.list()) {
      const saved = await this.tasks.read(taskId).catch(() => undefined);
      if (saved?.containerId) taken.add(saved.containerId);
    }
    for (const id of pooled) {
      if (taken.has(id)) await this.records.delete(id);
      else await this.release(id);
    }
  }
}
