import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loopbackConfig, taskNetworkConfig } from './cni-config.js';
import { parseSubnet } from './ipv4.js';
import { TaskStateStore, type SavedTaskNetwork } from './task-state.js';

const state = (taskId: string): SavedTaskNetwork => ({
  version: 1,
  taskId,
  netnsName: `minato-${taskId}`,
  netnsPath: `/var/run/netns/minato-${taskId}`,
  ifName: 'eth0',
  request: { taskId, portMappings: [{ containerPort: 80, hostPort: 8080, protocol: 'tcp' }] },
  network: taskNetworkConfig({ networkName: 'n', bridge: 'b', subnet: parseSubnet('10.0.0.0/24')!, ipamDataDir: '/x', outboundNat: false }),
  loopback: loopbackConfig(),
  capabilityArgs: { portMappings: [{ hostPort: 8080, containerPort: 80, protocol: 'tcp', hostIP: '127.0.0.1' }] },
});

describe('TaskStateStore', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'minato-net-state-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps one file per task, lists and forgets them', async () => {
    const store = new TaskStateStore(join(dir, 'tasks'));
    expect(await store.list()).toEqual([]);
    expect(await store.read('t1')).toBeUndefined();
    await store.write(state('t2'));
    await store.write(state('t1'));
    expect(await store.list()).toEqual(['t1', 't2']);
    expect(await store.read('t1')).toEqual(state('t1'));
    // a second store over the same directory (a restarted process) sees the same
    expect(await new TaskStateStore(join(dir, 'tasks')).read('t2')).toEqual(state('t2'));
    await store.delete('t1');
    await store.delete('t1');
    expect(await store.list()).toEqual(['t2']);
  });

  it('replaces a task state whole and leaves no temporary files', async () => {
    const store = new TaskStateStore(dir);
    await store.write(state('t1'));
    const done = { ...state('t1'), result: { cniVersion: '1.0.0', interfaces: [{ name: 'eth0' }] } };
    await store.write(done);
    expect(await store.read('t1')).toEqual(done);
    expect(await readdir(dir)).toEqual(['t1.json']);
  });

  it('ignores files that are not task states when listing, and refuses a mismatched one', async () => {
    const store = new TaskStateStore(dir);
    await writeFile(join(dir, '.t9.abc.tmp'), '{');
    await writeFile(join(dir, 'notes.txt'), 'x');
    await writeFile(join(dir, 't3.json'), JSON.stringify({ ...state('t4') }));
    expect(await store.list()).toEqual(['t3']);
    await expect(store.read('t3')).rejects.toThrow('unexpected network state');
  });
});
