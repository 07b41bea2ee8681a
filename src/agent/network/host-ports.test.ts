import { createSocket } from 'node:dgram';
import { createServer, type Server } from 'node:net';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../lib/errors.js';
import type { CniPortMapping } from './cni-config.js';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  checkClaims,
  checkPortMappings,
  ephemeralPortRange,
  FALLBACK_DYNAMIC_PORTS,
  hostPortInUse,
  parsePortRange,
  resolveDynamicPorts,
} from './host-ports.js';

const pm = (hostPort: number, protocol = 'tcp'): CniPortMapping => ({ hostPort, containerPort: 80, protocol, hostIP: '127.0.0.1' });

async function listenTcp(): Promise<{ server: Server; port: number }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as { port: number }).port };
}

describe('host port checks', () => {
  it('accepts valid mappings and refuses bad numbers, protocols and duplicates', () => {
    expect(() =>
      checkPortMappings([
        { containerPort: 80, hostPort: 8080, protocol: 'tcp' },
        { containerPort: 80, hostPort: 8080, protocol: 'udp' },
        { containerPort: 81, protocol: 'tcp' },
      ]),
    ).not.toThrow();
    expect(() => checkPortMappings([{ containerPort: 0, protocol: 'tcp' }])).toThrow('Invalid containerPort 0');
    expect(() => checkPortMappings([{ containerPort: 80, hostPort: 65536, protocol: 'tcp' }])).toThrow('Invalid hostPort 65536');
    // 0 asks for a dynamic port, any number of times.
    expect(() =>
      checkPortMappings([
        { containerPort: 80, hostPort: 0, protocol: 'tcp' },
        { containerPort: 81, hostPort: 0, protocol: 'tcp' },
      ]),
    ).not.toThrow();
    expect(() => checkPortMappings([{ containerPort: 80, protocol: 'sctp' as 'tcp' }])).toThrow('Invalid protocol');
    expect(() =>
      checkPortMappings([
        { containerPort: 80, hostPort: 8080, protocol: 'tcp' },
        { containerPort: 81, hostPort: 8080, protocol: 'tcp' },
      ]),
    ).toThrow('mapped more than once');
  });

  it("refuses a host port another task publishes, but not the task's own or another protocol's", () => {
    const claims = new Map([
      ['a', [pm(8080)]],
      ['b', [pm(9090, 'udp')]],
    ]);
    expect(() => checkClaims('a', [pm(8080)], claims)).not.toThrow();
    expect(() => checkClaims('c', [pm(9090, 'tcp')], claims)).not.toThrow();
    const err = (() => {
      try {
        checkClaims('c', [pm(8080)], claims);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(DomainError);
    expect(err).toMatchObject({ kind: 'Conflict', message: 'Host port 127.0.0.1:8080/tcp is already in use by task a.' });
  });

  it('sees a TCP port held on loopback, and a free one', async () => {
    const { server, port } = await listenTcp();
    try {
      expect(await hostPortInUse(pm(port))).toBe(true);
    } finally {
      await new Promise((r) => server.close(r));
    }
    expect(await hostPortInUse(pm(port))).toBe(false);
  });

  it('sees a UDP port held on loopback, and a free one', async () => {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    const port = socket.address().port;
    try {
      expect(await hostPortInUse(pm(port, 'udp'))).toBe(true);
    } finally {
      await new Promise<void>((r) => socket.close(r));
    }
    expect(await hostPortInUse(pm(port, 'udp'))).toBe(false);
  });

  it('reads port ranges in both the ECS agent and the kernel notation', async () => {
    expect(parsePortRange('100-200')).toEqual({ first: 100, last: 200 });
    expect(parsePortRange('32768\t60999\n')).toEqual({ first: 32768, last: 60999 });
    expect(parsePortRange('200-100')).toBeUndefined();
    expect(parsePortRange('0-100')).toBeUndefined();
    expect(parsePortRange('web')).toBeUndefined();
    const dir = await mkdtemp(join(tmpdir(), 'minato-range-'));
    try {
      await writeFile(join(dir, 'range'), '40000\t40100\n');
      expect(await ephemeralPortRange(join(dir, 'range'))).toEqual({ first: 40000, last: 40100 });
      expect(await ephemeralPortRange(join(dir, 'missing'))).toEqual(FALLBACK_DYNAMIC_PORTS);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('gives dynamic mappings free ports of the range, skipping claimed, own and busy ones', async () => {
    const claims = new Map([['other', [pm(50001)]]]);
    const busy = new Set([50003]);
    const probed: number[] = [];
    const inUse = async (m: { hostPort: number }) => {
      probed.push(m.hostPort);
      return busy.has(m.hostPort);
    };
    // random() = 0 starts at the range's first port.
    const out = await resolveDynamicPorts('t', [pm(0), pm(50002), pm(0), pm(0, 'udp')], claims, { first: 50000, last: 50005 }, inUse, () => 0);
    expect(out.map((m) => `${m.protocol}/${m.hostPort}`)).toEqual(['tcp/50000', 'tcp/50002', 'tcp/50004', 'udp/50000']);
    // Claimed (50001) and own (50002) ports are skipped without a probe; the busy one was probed.
    expect(probed).not.toContain(50001);
    expect(probed).not.toContain(50002);
    expect(probed).toContain(50003);
  });

  it('starts the search at a random port and wraps around the range', async () => {
    const out = await resolveDynamicPorts('t', [pm(0), pm(0)], new Map(), { first: 60000, last: 60003 }, async () => false, () => 0.99);
    expect(out.map((m) => m.hostPort)).toEqual([60003, 60000]);
  });

  it('fails when the range has no free port left', async () => {
    const claims = new Map([['other', [pm(50000), pm(50001)]]]);
    await expect(resolveDynamicPorts('t', [pm(0)], claims, { first: 50000, last: 50001 }, async () => false)).rejects.toMatchObject({
      kind: 'LimitExceeded',
      message: 'No free host port for tcp in 50000-50001.',
    });
  });
});
