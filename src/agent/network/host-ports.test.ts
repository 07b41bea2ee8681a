import { createSocket } from 'node:dgram';
import { createServer, type Server } from 'node:net';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../lib/errors.js';
import type { CniPortMapping } from './cni-config.js';
import { checkClaims, checkPortMappings, hostPortInUse } from './host-ports.js';

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
});
