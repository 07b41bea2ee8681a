import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { chmod, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execChecked } from '../../src/agent/network/exec.js';
import { parseIpv4, parseSubnet, subnetContains } from '../../src/agent/network/ipv4.js';
import { TaskStateStore } from '../../src/agent/network/task-state.js';
import { useTestNetwork } from './fixture.js';
import { bridgePorts, leaseFiles, netnsList, tcpRequest, tcpServerIn } from './support.js';

// Restarts, crashes, failing plugins and many tasks at once, with the real plugins.
describe('task networks: recovery and concurrency', () => {
  const net = useTestNetwork();

  // A plugin directory whose portmap fails ADD with "try again later" (code 11).
  let failingCniPath = '';
  beforeAll(async () => {
    failingCniPath = await mkdtemp(join(tmpdir(), 'minato-cni-failing-'));
    for (const real of ['bridge', 'host-local', 'loopback']) await symlink(join('/usr/lib/cni', real), join(failingCniPath, real));
    await writeFile(
      join(failingCniPath, 'portmap'),
      `#!/bin/sh
case "$CNI_COMMAND" in
  VERSION) echo '{"cniVersion":"1.0.0","supportedVersions":["1.0.0"]}' ;;
  ADD) echo '{"cniVersion":"1.0.0","code":11,"msg":"injected failure"}'; exit 1 ;;
esac
`,
    );
    await chmod(join(failingCniPath, 'portmap'), 0o755);
  });
  afterAll(async () => {
    if (failingCniPath) await rm(failingCniPath, { recursive: true, force: true });
  });

  it('a new manager over the same state directory lists and tears down earlier networks', async () => {
    const { manager, taskId, stateDir, bridge } = net();
    const ids = [taskId('r1'), taskId('r2')];
    for (const id of ids) await manager().setup({ taskId: id, portMappings: [] });

    const restarted = manager();
    expect(await restarted.list()).toEqual([...ids].sort());
    for (const id of ids) await restarted.teardown(id);
    expect(await restarted.list()).toEqual([]);
    expect(await leaseFiles(stateDir, bridge)).toEqual([]);
    expect(await bridgePorts(bridge)).toEqual([]);
    expect((await netnsList()).filter((n) => ids.some((id) => n === `minato-${id}`))).toEqual([]);
  });

  it('after its namespace vanished (a host reboot), sets the task up anew without leaking the old lease', async () => {
    const { manager, taskId, stateDir, bridge } = net();
    const m = manager();
    const id = taskId('reboot');
    await m.setup({ taskId: id, portMappings: [] });
    await execChecked('ip', ['netns', 'delete', `minato-${id}`]);
    expect(await m.list()).toEqual([id]);

    const again = await m.setup({ taskId: id, portMappings: [] });
    expect(await leaseFiles(stateDir, bridge)).toEqual([again.ipv4Address]);
    await tcpServerIn(`minato-${id}`, 8080, 'back');
    expect(await tcpRequest(again.ipv4Address, 8080)).toBe(`back to ${again.gateway}`);
    await m.teardown(id);
    expect(await leaseFiles(stateDir, bridge)).toEqual([]);
  });

  it('tears down a setup cut short after ADD but before its result was saved', async () => {
    const { manager, taskId, stateDir, bridge } = net();
    const id = taskId('crash');
    await manager().setup({ taskId: id, portMappings: [] });
    // What a crash between the plugins' ADD and the final write leaves: the pending state only.
    const states = new TaskStateStore(join(stateDir, 'tasks'));
    const saved = (await states.read(id))!;
    await states.write({ ...saved, result: undefined, loopbackResult: undefined, taskNetwork: undefined });

    const restarted = manager();
    expect(await restarted.list()).toEqual([id]);
    await restarted.teardown(id);
    expect(await leaseFiles(stateDir, bridge)).toEqual([]);
    expect(await bridgePorts(bridge)).toEqual([]);
    expect(await netnsList()).not.toContain(`minato-${id}`);
    expect(await restarted.list()).toEqual([]);
  });

  it('undoes a setup whose plugin fails, and reports it', async () => {
    const { manager, taskId, stateDir, bridge } = net();
    const m = manager({ cniPath: failingCniPath });
    const id = taskId('fails');
    // A published port, so that portmap (the failing plugin) runs at all.
    const probe = createServer().listen(0, '127.0.0.1');
    await once(probe, 'listening');
    const hostPort = (probe.address() as AddressInfo).port;
    probe.close();
    await expect(m.setup({ taskId: id, portMappings: [{ containerPort: 80, hostPort, protocol: 'tcp' }] })).rejects.toMatchObject({
      kind: 'Unavailable',
      message: expect.stringContaining('injected failure') as unknown as string,
    });
    expect(await m.list()).toEqual([]);
    expect(await leaseFiles(stateDir, bridge)).toEqual([]);
    expect(await bridgePorts(bridge)).toEqual([]);
    expect(await netnsList()).not.toContain(`minato-${id}`);
  });

  it('reports a network broken under a running task instead of replacing it', async () => {
    const { manager, taskId } = net();
    const m = manager();
    const id = taskId('broken');
    await m.setup({ taskId: id, portMappings: [] });
    await execChecked('ip', ['-n', `minato-${id}`, 'link', 'delete', 'eth0']);
    await expect(m.setup({ taskId: id, portMappings: [] })).rejects.toMatchObject({ kind: 'Unavailable' });
    expect(await netnsList()).toContain(`minato-${id}`);
    await m.teardown(id);
    expect(await m.list()).toEqual([]);
  });

  it('leaves alone a namespace of the same name that it did not make', async () => {
    const { manager, taskId } = net();
    const m = manager();
    const id = taskId('foreign');
    await execChecked('ip', ['netns', 'add', `minato-${id}`]);
    await execChecked('ip', ['-n', `minato-${id}`, 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', 'eth1']);
    await expect(m.setup({ taskId: id, portMappings: [] })).rejects.toMatchObject({ kind: 'Conflict' });
    expect(await m.list()).toEqual([]);
    await m.teardown(id);
    expect(await netnsList()).toContain(`minato-${id}`);
    expect((await execChecked('ip', ['-n', `minato-${id}`, '-o', 'link', 'show', 'eth0'])).length).toBeGreaterThan(0);
    await execChecked('ip', ['netns', 'delete', `minato-${id}`]);
  });

  it('sets up 10 tasks in parallel with 10 distinct addresses, and tears them down in parallel', async () => {
    const { manager, taskId, stateDir, bridge, subnet } = net();
    const m = manager();
    const ids = Array.from({ length: 10 }, (_, i) => taskId(`p${i}`));
    const nets = await Promise.all(ids.map((id) => m.setup({ taskId: id, portMappings: [] })));
    const addresses = nets.map((n) => n.ipv4Address);
    expect(new Set(addresses).size).toBe(10);
    const s = parseSubnet(subnet)!;
    expect(addresses.every((a) => subnetContains(s, parseIpv4(a)!))).toBe(true);
    expect((await leaseFiles(stateDir, bridge)).sort()).toEqual([...addresses].sort());
    expect(await bridgePorts(bridge)).toHaveLength(10);

    await Promise.all(ids.map((id) => m.teardown(id)));
    expect(await m.list()).toEqual([]);
    expect(await leaseFiles(stateDir, bridge)).toEqual([]);
    expect(await bridgePorts(bridge)).toEqual([]);
  });
});
