import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseIpv4, parseSubnet, subnetContains } from '../../src/agent/network/ipv4.js';
import { useTestNetwork } from './fixture.js';
import { bridgePorts, iptablesLinesWith, leaseFiles, linksIn, netnsList, tcpRequest, tcpRequestFrom, tcpServerIn } from './support.js';

// Real namespaces, the real CNI plugins of /usr/lib/cni, as root.
describe('task networks (CNI bridge)', () => {
  const net = useTestNetwork();

  it('gives a task an address in the subnet, in its own namespace with lo and eth0 up', async () => {
    const { manager, taskId, subnet, bridge } = net();
    const id = taskId('a');
    const got = await manager().setup({ taskId: id, portMappings: [] });

    expect(got.netnsPath).toBe(`/var/run/netns/minato-${id}`);
    expect(existsSync(got.netnsPath)).toBe(true);
    expect(await netnsList()).toContain(`minato-${id}`);
    const s = parseSubnet(subnet)!;
    expect(subnetContains(s, parseIpv4(got.ipv4Address)!)).toBe(true);
    expect(got.subnetCidr).toBe(subnet);
    expect(got.gateway).toBe(subnet.replace(/0\/24$/, '1'));
    expect(got.ipv4Address).not.toBe(got.gateway);
    expect(got.interfaceName).toBe('eth0');
    expect(got.privateDnsName).toBe(`ip-${got.ipv4Address.replaceAll('.', '-')}.ec2.internal`);

    const links = await linksIn(`minato-${id}`);
    expect(links.get('lo')?.up).toBe(true);
    expect(links.get('eth0')?.up).toBe(true);
    expect(links.get('eth0')?.mac).toBe(got.macAddress);
    expect(await bridgePorts(bridge)).toHaveLength(1);
  });

  it('lets the host reach a TCP server inside the task at its address', async () => {
    const { manager, taskId } = net();
    const id = taskId('srv');
    const got = await manager().setup({ taskId: id, portMappings: [] });
    await tcpServerIn(`minato-${id}`, 8080, 'hello');
    // The server sees the host as the bridge address, the task's gateway.
    expect(await tcpRequest(got.ipv4Address, 8080)).toBe(`hello to ${got.gateway}`);
  });

  it('gives two tasks different addresses, and they reach each other', async () => {
    const { manager, taskId } = net();
    const m = manager();
    const [a, b] = [taskId('one'), taskId('two')];
    const na = await m.setup({ taskId: a, portMappings: [] });
    const nb = await m.setup({ taskId: b, portMappings: [] });
    expect(na.ipv4Address).not.toBe(nb.ipv4Address);
    expect(na.macAddress).not.toBe(nb.macAddress);
    expect(na.networkInterfaceId).not.toBe(nb.networkInterfaceId);

    await tcpServerIn(`minato-${a}`, 7000, 'from one');
    await tcpServerIn(`minato-${b}`, 7000, 'from two');
    expect(await tcpRequestFrom(`minato-${b}`, na.ipv4Address, 7000)).toBe(`from one to ${nb.ipv4Address}`);
    expect(await tcpRequestFrom(`minato-${a}`, nb.ipv4Address, 7000)).toBe(`from two to ${na.ipv4Address}`);
  });

  it('is idempotent: setting up again returns the same network and makes nothing new', async () => {
    const { manager, taskId, stateDir, bridge } = net();
    const m = manager();
    const id = taskId('idem');
    const first = await m.setup({ taskId: id, portMappings: [{ containerPort: 80, protocol: 'tcp' }], hostname: 'web' });
    const again = await m.setup({ taskId: id, portMappings: [{ containerPort: 80, protocol: 'tcp' }], hostname: 'web' });
    expect(again).toEqual(first);
    expect(first.hostname).toBe('web');
    expect(await leaseFiles(stateDir, bridge)).toEqual([first.ipv4Address]);
    expect(await bridgePorts(bridge)).toHaveLength(1);
    expect(await m.list()).toEqual([id]);
  });

  it('refuses to set up a task again with other port mappings', async () => {
    const { manager, taskId } = net();
    const m = manager();
    const id = taskId('ports');
    await m.setup({ taskId: id, portMappings: [] });
    await expect(m.setup({ taskId: id, portMappings: [{ containerPort: 80, protocol: 'tcp' }] })).rejects.toMatchObject({
      kind: 'Conflict',
    });
  });

  it('tears down everything: namespace, veth, lease, saved state; twice is fine', async () => {
    const { manager, taskId, stateDir, bridge } = net();
    const m = manager();
    const id = taskId('gone');
    const got = await m.setup({ taskId: id, portMappings: [] });
    expect(await leaseFiles(stateDir, bridge)).toEqual([got.ipv4Address]);

    await m.teardown(id);
    expect(await netnsList()).not.toContain(`minato-${id}`);
    expect(existsSync(got.netnsPath)).toBe(false);
    expect(await bridgePorts(bridge)).toEqual([]);
    expect(await leaseFiles(stateDir, bridge)).toEqual([]);
    expect(await iptablesLinesWith(id)).toEqual([]);
    expect(await m.list()).toEqual([]);

    await m.teardown(id);
    await m.teardown(taskId('never-set-up'));
    expect(await m.list()).toEqual([]);
  });

  it('refuses task ids that cannot name a namespace or a CNI container', async () => {
    const m = net().manager();
    for (const bad of ['', '../x', '-x', 'a b', 'x'.repeat(65)]) {
      await expect(m.setup({ taskId: bad, portMappings: [] }), bad).rejects.toMatchObject({ kind: 'InvalidArgument' });
    }
    await expect(m.teardown('../x')).rejects.toMatchObject({ kind: 'InvalidArgument' });
  });
});
