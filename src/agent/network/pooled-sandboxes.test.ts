import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TaskNetworkRequest } from './network-manager.js';
import { PooledSandboxes, type SandboxNetworking } from './pooled-sandboxes.js';
import { TaskStateStore, type SavedTaskNetwork } from './task-state.js';

let dir: string;
let pool: TaskStateStore;
let tasks: TaskStateStore;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pooled-sandboxes-'));
  pool = new TaskStateStore(join(dir, 'pool'));
  tasks = new TaskStateStore(join(dir, 'tasks'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A record as CniNetworkManager makes one; the namespace name never exists on the host. */
const record = (id: string, extra: Partial<SavedTaskNetwork> = {}): SavedTaskNetwork => ({
  version: 1,
  taskId: id,
  netnsName: `no-such-netns-${id}`,
  netnsPath: `/var/run/netns/no-such-netns-${id}`,
  ifName: 'eth0',
  request: { taskId: id, portMappings: [] },
  network: { cniVersion: '1.0.0', name: 'test', plugins: [{ type: 'bridge' }] },
  loopback: { cniVersion: '1.0.0', name: 'lo', plugins: [{ type: 'loopback' }] },
  capabilityArgs: { portMappings: [] },
  ...extra,
});

/** Networking that records what it was asked to detach; `failDetach` makes detach throw. */
function fakeNetworking(opts: { failDetach?: boolean; failAttach?: boolean } = {}) {
  const detached: string[] = [];
  const net: SandboxNetworking = {
    ready: async () => undefined,
    pendingState: (req: TaskNetworkRequest) => record(req.taskId),
    attach: async () => {
      if (opts.failAttach) throw new Error('bridge ADD failed');
      return { result: { cniVersion: '1.0.0' }, loopbackResult: { cniVersion: '1.0.0' } };
    },
    detach: async (saved) => {
      if (opts.failDetach) throw new Error('DEL failed');
      detached.push(saved.taskId);
    },
  };
  return { net, detached };
}

describe('PooledSandboxes.recover', () => {
  it('drops the record of a sandbox a task took before a crash, and releases the others', async () => {
    await pool.write(record('pool-taken'));
    await pool.write(record('pool-free'));
    await tasks.write(record('task1', { containerId: 'pool-taken', netnsName: 'no-such-netns-pool-taken' }));
    const { net, detached } = fakeNetworking();
    await new PooledSandboxes(pool, tasks, net).recover();
    expect(detached).toEqual(['pool-free']);
    expect(await pool.list()).toEqual([]);
    // The task keeps its record, and with it the namespace it names.
    expect((await tasks.read('task1'))?.containerId).toBe('pool-taken');
  });

  it('keeps the record of a sandbox whose release failed, for the next start to retry', async () => {
    await pool.write(record('pool-stuck'));
    const { net } = fakeNetworking({ failDetach: true });
    await expect(new PooledSandboxes(pool, tasks, net).recover()).rejects.toThrow('DEL failed');
    expect(await pool.list()).toEqual(['pool-stuck']);
  });
});

describe('PooledSandboxes.make', () => {
  it('records a sandbox before making it, and completes the record with the results', async () => {
    const { net } = fakeNetworking();
    const id = await new PooledSandboxes(pool, tasks, net).make();
    expect(id).toMatch(/^pool-[0-9a-f]{10}$/);
    expect((await pool.read(id))?.result).toEqual({ cniVersion: '1.0.0' });
  });

  it('leaves no record when the sandbox could not be made and no namespace exists', async () => {
    const { net } = fakeNetworking({ failAttach: true });
    await expect(new PooledSandboxes(pool, tasks, net).make()).rejects.toThrow('bridge ADD failed');
    expect(await pool.list()).toEqual([]);
  });
});

describe('PooledSandboxes.handOver', () => {
  it('refuses a sandbox whose namespace is gone and releases it', async () => {
    await pool.write(record('pool-gone', { result: { cniVersion: '1.0.0' } }));
    const { net, detached } = fakeNetworking();
    expect(await new PooledSandboxes(pool, tasks, net).handOver('pool-gone', { taskId: 't1', portMappings: [] })).toBeUndefined();
    await new Promise((r) => setTimeout(r, 20));
    expect(detached).toEqual(['pool-gone']);
    expect(await tasks.list()).toEqual([]);
  });
});
