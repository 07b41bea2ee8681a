import { createServer, type Server } from 'node:net';
import { describe, expect, it } from 'vitest';
import { execChecked } from '../../src/agent/network/exec.js';
import { removeHostFirewall } from '../../src/agent/network/host-firewall.js';
import { useTestNetwork } from './fixture.js';
import { bridgePorts, iptablesLinesWith, leaseFiles, netnsList, tcpRequest, tcpServerIn, udpRequest, udpServerIn } from './support.js';

/** A port that is free on 127.0.0.1 now (the kernel picks it). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

// Published ports: portmap's DNAT from 127.0.0.1:hostPort to the task's address.
describe('task host ports (CNI portmap)', () => {
  const net = useTestNetwork();

  it('publishes a TCP port on 127.0.0.1 and removes its rules on teardown', async () => {
    const { manager, taskId, bridge } = net();
    const m = manager();
    const id = taskId('web');
    const hostPort = await freePort();
    const got = await m.setup({ taskId: id, portMappings: [{ containerPort: 8080, hostPort, protocol: 'tcp' }] });
    await tcpServerIn(`minato-${id}`, 8080, 'published');

    // portmap masquerades connections from loopback, so the task sees the bridge address.
    expect(await tcpRequest('127.0.0.1', hostPort)).toBe(`published to ${got.gateway}`);
    expect(await iptablesLinesWith(id)).not.toEqual([]);

    await m.teardown(id);
    expect(await iptablesLinesWith(id)).toEqual([]);
    expect(await bridgePorts(bridge)).toEqual([]);
    await expect(tcpRequest('127.0.0.1', hostPort, 1_000)).rejects.toThrow();
  });

  it('publishes a UDP port on 127.0.0.1', async () => {
    const { manager, taskId } = net();
    const id = taskId('dns');
    const hostPort = await freePort();
    await manager().setup({ taskId: id, portMappings: [{ containerPort: 5353, hostPort, protocol: 'udp' }] });
    await udpServerIn(`minato-${id}`, 5353, 'answer');
    expect(await udpRequest('127.0.0.1', hostPort, 'ping')).toBe('answer ping');
  });

  it('refuses a host port another task publishes, leaving nothing of the refused task', async () => {
    const { manager, taskId, stateDir, bridge } = net();
    const m = manager();
    const hostPort = await freePort();
    const first = await m.setup({ taskId: taskId('first'), portMappings: [{ containerPort: 80, hostPort, protocol: 'tcp' }] });
    const second = taskId('second');
    await expect(m.setup({ taskId: second, portMappings: [{ containerPort: 81, hostPort, protocol: 'tcp' }] })).rejects.toMatchObject({
      kind: 'Conflict',
      message: `Host port 127.0.0.1:${hostPort}/tcp is already in use by task ${taskId('first')}.`,
    });
    // Another protocol on the same number is another port.
    await m.setup({ taskId: second, portMappings: [{ containerPort: 81, hostPort, protocol: 'udp' }] });
    await m.teardown(second);
    expect(await m.list()).toEqual([taskId('first')]);
    expect(await leaseFiles(stateDir, bridge)).toEqual([first.ipv4Address]);
    expect(await netnsList()).not.toContain(`minato-${second}`);
    expect(await iptablesLinesWith(second)).toEqual([]);
  });

  it('refuses a host port a host process listens on', async () => {
    const { manager, taskId } = net();
    const m = manager();
    const server: Server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      await expect(m.setup({ taskId: taskId('taken'), portMappings: [{ containerPort: 80, hostPort: port, protocol: 'tcp' }] })).rejects.toMatchObject({
        kind: 'Conflict',
      });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    expect(await m.list()).toEqual([]);
  });

  it('keeps a published port working across a manager restart, and the new manager removes it', async () => {
    const { manager, taskId } = net();
    const id = taskId('restart');
    const hostPort = await freePort();
    const got = await manager().setup({ taskId: id, portMappings: [{ containerPort: 9000, hostPort, protocol: 'tcp' }] });
    await tcpServerIn(`minato-${id}`, 9000, 'still here');

    const after = manager();
    expect(await after.list()).toEqual([id]);
    expect(await after.setup({ taskId: id, portMappings: [{ containerPort: 9000, hostPort, protocol: 'tcp' }] })).toEqual(got);
    expect(await tcpRequest('127.0.0.1', hostPort)).toBe(`still here to ${got.gateway}`);
    await after.teardown(id);
    expect(await iptablesLinesWith(id)).toEqual([]);
  });

  it('with outbound NAT, gives the task a default route and masquerades the subnet with one rule per bridge', async () => {
    const { manager, taskId, bridge, subnet } = net();
    const m = manager({ outboundNat: true });
    const id = taskId('nat');
    const got = await m.setup({ taskId: id, portMappings: [] });
    expect(await execChecked('ip', ['-n', `minato-${id}`, 'route', 'show', 'default'])).toContain(`default via ${got.gateway} dev eth0`);
    const masquerade = (await execChecked('iptables', ['-t', 'nat', '-S', 'POSTROUTING'])).split('\n').filter((l) => l.includes(`MINATO-${bridge} outbound`));
    expect(masquerade).toHaveLength(1);
    expect(masquerade[0]).toContain(`-s ${subnet}`);
    expect(masquerade[0]).toContain('-j MASQUERADE');
    // No rule of the task's own: setup and teardown cost no iptables run for NAT.
    expect(await iptablesLinesWith(id)).toEqual([]);
    await m.teardown(id);
    await removeHostFirewall(bridge);
    expect((await execChecked('iptables', ['-t', 'nat', '-S', 'POSTROUTING'])).includes(`MINATO-${bridge} outbound`)).toBe(false);
  });

  it('without outbound NAT, gives the task no default route', async () => {
    const { manager, taskId } = net();
    const id = taskId('nonat');
    await manager({ outboundNat: false }).setup({ taskId: id, portMappings: [] });
    expect(await execChecked('ip', ['-n', `minato-${id}`, 'route', 'show', 'default'])).toBe('');
    expect(await iptablesLinesWith(id)).toEqual([]);
  });
});
