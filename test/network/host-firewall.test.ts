import { randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { createServer, Server } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { execChecked, execFile } from '../../src/agent/network/exec.js';
import { firewallChain, ipv4Rules } from '../../src/agent/network/host-firewall.js';
import { useTestNetwork } from './fixture.js';
import { iptablesLinesWith, tcpRequest, tcpRequestFrom, udpRequestFrom } from './support.js';

/** Host servers a test started, closed after it. */
const servers: Array<Server | Socket> = [];

async function tcpServer(host: string, reply: string): Promise<number> {
  const server = createServer((s) => s.end(reply));
  servers.push(server);
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, host, resolve));
  return (server.address() as { port: number }).port;
}

async function udpServer(host: string, port: number, reply: string): Promise<void> {
  const socket = createSocket('udp4');
  servers.push(socket);
  socket.on('message', (m, r) => socket.send(`${reply} ${m.toString()}`, r.port, r.address));
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, host, resolve);
  });
}

/**
 * The host's address on an interface the test makes (one end of a veth pair, both ends on the
 * host, with an address of the benchmarking range 198.18.0.0/15): "another address of the host"
 * that is not the bridge's.
 */
const hostEnd = { name: `mv${randomBytes(3).toString('hex')}`, address: `198.18.${1 + Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}` };

const refused = /^error .*ECONNREFUSED/;

describe('task bridge firewall (iptables INPUT)', () => {
  const net = useTestNetwork();

  beforeAll(async () => {
    await execChecked('ip', ['link', 'add', hostEnd.name, 'type', 'veth', 'peer', 'name', `${hostEnd.name}p`]);
    await execChecked('ip', ['addr', 'add', `${hostEnd.address}/32`, 'dev', hostEnd.name]);
    await execChecked('ip', ['link', 'set', hostEnd.name, 'up']);
    await execChecked('ip', ['link', 'set', `${hostEnd.name}p`, 'up']);
  });
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => new Promise<void>((resolve) => (s instanceof Server ? s.close(() => resolve()) : s.close(() => resolve())))));
  });
  afterAll(async () => {
    // Deleting one end of the pair deletes both.
    await execFile('ip', ['link', 'del', hostEnd.name], { timeoutMs: 10_000 });
  });

  it('keeps tasks away from host services on 0.0.0.0, via the gateway and any other host address', async () => {
    const { manager, taskId } = net();
    const id = taskId('probe');
    const m = manager();
    const got = await m.setup({ taskId: id, portMappings: [] });
    const anyPort = await tcpServer('0.0.0.0', 'host service');
    // On the gateway address, only the port given for it (the metadata endpoint's) is open.
    const gatewayPort = await tcpServer(got.gateway, 'gateway service');
    const otherGatewayPort = await tcpServer(got.gateway, 'other gateway service');
    await m.allowGatewayTcpPort(gatewayPort);

    // The listener is up: the host itself reaches it.
    expect(await tcpRequest('127.0.0.1', anyPort)).toBe('host service');
    const ns = `minato-${id}`;
    expect(await tcpRequestFrom(ns, got.gateway, anyPort)).toMatch(refused);
    expect(await tcpRequestFrom(ns, hostEnd.address, anyPort)).toMatch(refused);
    expect(await tcpRequestFrom(ns, got.gateway, gatewayPort)).toBe('gateway service');
    expect(await tcpRequestFrom(ns, got.gateway, otherGatewayPort)).toMatch(refused);
    expect(await tcpRequestFrom(ns, hostEnd.address, gatewayPort)).toMatch(refused);
  });

  it('lets tasks reach the ports it is given, at start and later, and DNS, but no other UDP port', async () => {
    const { manager, taskId } = net();
    const endpointPort = await tcpServer('0.0.0.0', 'endpoint');
    const laterPort = await tcpServer('0.0.0.0', 'later');
    // A restart with other settings replaces the rules.
    const m = manager({ hostTcpPorts: [endpointPort] });
    const id = taskId('allowed');
    const got = await m.setup({ taskId: id, portMappings: [] });
    const ns = `minato-${id}`;
    expect(await tcpRequestFrom(ns, got.gateway, endpointPort)).toBe('endpoint');
    expect(await tcpRequestFrom(ns, hostEnd.address, endpointPort)).toBe('endpoint');
    expect(await tcpRequestFrom(ns, got.gateway, laterPort)).toMatch(refused);
    await m.allowHostTcpPort(laterPort);
    expect(await tcpRequestFrom(ns, got.gateway, laterPort)).toBe('later');

    // A resolver on an address of the host (what a container's resolv.conf may name).
    await udpServer(hostEnd.address, 53, 'dns');
    expect(await udpRequestFrom(ns, hostEnd.address, 53, 'query')).toBe('dns query');
    await udpServer(hostEnd.address, 54, 'not dns');
    expect(await udpRequestFrom(ns, hostEnd.address, 54, 'query')).toMatch(refused);
  });

  it('keeps one jump and one set of rules across restarts, and removes both on destroy', async () => {
    const { manager, taskId, bridge } = net();
    const chain = firewallChain(bridge);
    const first = manager();
    const id = taskId('again');
    const got = await first.setup({ taskId: id, portMappings: [] });
    await first.teardown(id);
    await manager().setup({ taskId: id, portMappings: [] });

    const jumps = (await execChecked('iptables', ['-S', 'INPUT'])).split('\n').filter((l) => l.includes(`-j ${chain}`));
    expect(jumps).toEqual([`-A INPUT -i ${bridge} -j ${chain}`]);
    const rules = (await execChecked('iptables', ['-S', chain])).split('\n').filter((l) => l.startsWith('-A'));
    expect(rules).toHaveLength(ipv4Rules({ bridge, gateway: got.gateway, tcpPorts: [] }).length);

    await manager().destroy();
    expect(await iptablesLinesWith(chain)).toEqual([]);
    expect((await execFile('ip', ['link', 'show', bridge], { timeoutMs: 10_000 })).code).not.toBe(0);
  });
});
