import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import { DomainError, ErrorKind, invalidParameter } from '../../lib/errors.js';
import { PUBLISH_HOST_IP, type CniPortMapping } from './cni-config.js';
import type { TaskPortMapping } from './network-manager.js';

/**
 * Host ports are published with DNAT rules, which reserve nothing: a host process listening on the
 * port, or a second task claiming it, would silently lose its traffic. So setup checks both first.
 */

const portKey = (m: { hostPort: number; protocol: string }): string => `${m.protocol}/${m.hostPort}`;

const isPort = (n: number): boolean => Number.isInteger(n) && n >= 1 && n <= 65535;

/** Checks the ports of a request: valid numbers and protocols, each host port published once. */
export function checkPortMappings(mappings: readonly TaskPortMapping[]): void {
  const seen = new Set<string>();
  for (const m of mappings) {
    if (m.protocol !== 'tcp' && m.protocol !== 'udp') throw invalidParameter(`Invalid protocol "${String(m.protocol)}": must be tcp or udp.`);
    if (!isPort(m.containerPort)) throw invalidParameter(`Invalid containerPort ${m.containerPort}: must be from 1 to 65535.`);
    if (m.hostPort === undefined) continue;
    if (!isPort(m.hostPort)) throw invalidParameter(`Invalid hostPort ${m.hostPort}: must be from 1 to 65535.`);
    const key = portKey({ hostPort: m.hostPort, protocol: m.protocol });
    if (seen.has(key)) throw invalidParameter(`Host port ${m.hostPort}/${m.protocol} is mapped more than once.`);
    seen.add(key);
  }
}

/** The error of a host port that is taken. */
export const hostPortTaken = (m: CniPortMapping, by: string): DomainError =>
  new DomainError(ErrorKind.Conflict, `Host port ${PUBLISH_HOST_IP}:${m.hostPort}/${m.protocol} is already in use by ${by}.`, 'host-port');

/** Rejects a mapping whose host port another task (of `claims`: task id → its mappings) publishes. */
export function checkClaims(taskId: string, wanted: readonly CniPortMapping[], claims: ReadonlyMap<string, readonly CniPortMapping[]>): void {
  const owner = new Map<string, string>();
  for (const [other, mappings] of claims) {
    if (other === taskId) continue;
    for (const m of mappings) owner.set(portKey(m), other);
  }
  for (const m of wanted) {
    const other = owner.get(portKey(m));
    if (other !== undefined) throw hostPortTaken(m, `task ${other}`);
  }
}

/** Whether a host process holds the port on 127.0.0.1 (or on all addresses): binding it fails then. */
export function hostPortInUse(m: CniPortMapping): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const done = (err: NodeJS.ErrnoException | undefined, close: (cb: () => void) => void): void => {
      if (err && err.code !== 'EADDRINUSE') {
        reject(err);
        return;
      }
      if (err) resolve(true);
      else close(() => resolve(false));
    };
    if (m.protocol === 'udp') {
      const socket = createSocket({ type: 'udp4', reuseAddr: false });
      socket.once('error', (e) => done(e, (cb) => cb()));
      socket.bind({ address: PUBLISH_HOST_IP, port: m.hostPort, exclusive: true }, () => done(undefined, (cb) => socket.close(cb)));
    } else {
      const server = createServer();
      server.once('error', (e) => done(e, (cb) => cb()));
      server.listen({ host: PUBLISH_HOST_IP, port: m.hostPort, exclusive: true }, () => done(undefined, (cb) => server.close(() => cb())));
    }
  });
}
