import { createSocket } from 'node:dgram';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { DomainError, ErrorKind, invalidParameter } from '../../lib/errors.js';
import type { CniPortMapping } from './cni-config.js';
import type { TaskPortMapping } from './network-manager.js';

/**
 * Host ports are published with DNAT rules, which reserve nothing: a host process listening on the
 * port, or a second task claiming it, would silently lose its traffic. So setup checks both first.
 */

const portKey = (m: { hostPort: number; protocol: string }): string => `${m.protocol}/${m.hostPort}`;

const isPort = (n: number): boolean => Number.isInteger(n) && n >= 1 && n <= 65535;

/** Checks the ports of a request: valid numbers and protocols, each fixed host port published once (0 is dynamic). */
export function checkPortMappings(mappings: readonly TaskPortMapping[]): void {
  const seen = new Set<string>();
  for (const m of mappings) {
    if (m.protocol !== 'tcp' && m.protocol !== 'udp') throw invalidParameter(`Invalid protocol "${String(m.protocol)}": must be tcp or udp.`);
    if (!isPort(m.containerPort)) throw invalidParameter(`Invalid containerPort ${m.containerPort}: must be from 1 to 65535.`);
    if (m.hostPort === undefined || m.hostPort === 0) continue;
    if (!isPort(m.hostPort)) throw invalidParameter(`Invalid hostPort ${m.hostPort}: must be from 0 to 65535.`);
    const key = portKey({ hostPort: m.hostPort, protocol: m.protocol });
    if (seen.has(key)) throw invalidParameter(`Host port ${m.hostPort}/${m.protocol} is mapped more than once.`);
    seen.add(key);
  }
}

/** The error of a host port that is taken. */
export const hostPortTaken = (m: CniPortMapping, by: string): DomainError =>
  new DomainError(ErrorKind.Conflict, `Host port ${m.hostIP}:${m.hostPort}/${m.protocol} is already in use by ${by}.`, 'host-port');

/**
 * Rejects a mapping whose host port another task (of `claims`: task id → its mappings) publishes;
 * dynamic mappings (`hostPort: 0`) are not checked, they are resolved later.
 */
export function checkClaims(taskId: string, wanted: readonly CniPortMapping[], claims: ReadonlyMap<string, readonly CniPortMapping[]>): void {
  const owner = claimOwners(taskId, claims);
  for (const m of wanted) {
    const other = m.hostPort === 0 ? undefined : owner.get(portKey(m));
    if (other !== undefined) throw hostPortTaken(m, `task ${other}`);
  }
}

function claimOwners(taskId: string, claims: ReadonlyMap<string, readonly CniPortMapping[]>): Map<string, string> {
  const owner = new Map<string, string>();
  for (const [other, mappings] of claims) {
    if (other === taskId) continue;
    for (const m of mappings) owner.set(portKey(m), other);
  }
  return owner;
}

/** An inclusive range of host ports. */
export interface PortRange {
  first: number;
  last: number;
}

/**
 * The range ECS falls back to when the kernel's ephemeral range cannot be read (Linux); the ECS
 * agent's `ECS_DYNAMIC_HOST_PORT_RANGE` otherwise defaults to the kernel's range, as here.
 */
export const FALLBACK_DYNAMIC_PORTS: PortRange = { first: 49153, last: 65535 };

/** Reads `first-last` (ECS_DYNAMIC_HOST_PORT_RANGE) or `first<blank>last` (ip_local_port_range). */
export function parsePortRange(text: string): PortRange | undefined {
  const m = /^\s*(\d+)\s*(?:-|\s)\s*(\d+)\s*$/.exec(text);
  if (!m) return undefined;
  const first = Number(m[1]);
  const last = Number(m[2]);
  return isPort(first) && isPort(last) && first <= last ? { first, last } : undefined;
}

/** The kernel's ephemeral port range, the ECS agent's default for dynamic host ports. */
export async function ephemeralPortRange(file = '/proc/sys/net/ipv4/ip_local_port_range'): Promise<PortRange> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return parsePortRange(text) ?? FALLBACK_DYNAMIC_PORTS;
}

/**
 * Gives each dynamic mapping (`hostPort: 0`) a port of `range` that no other task of `claims`
 * publishes, no earlier mapping of `wanted` took, and no host process holds. The search starts at
 * a random port and walks the range once, so consecutive tasks rarely probe the same ports.
 */
export async function resolveDynamicPorts(
  taskId: string,
  wanted: readonly CniPortMapping[],
  claims: ReadonlyMap<string, readonly CniPortMapping[]>,
  range: PortRange,
  inUse: (m: CniPortMapping) => Promise<boolean> = hostPortInUse,
  random: () => number = Math.random,
): Promise<CniPortMapping[]> {
  const taken = new Set(claimOwners(taskId, claims).keys());
  for (const m of wanted) if (m.hostPort !== 0) taken.add(portKey(m));
  const size = range.last - range.first + 1;
  const out: CniPortMapping[] = [];
  for (const m of wanted) {
    if (m.hostPort !== 0) {
      out.push(m);
      continue;
    }
    const start = Math.floor(random() * size);
    let chosen: CniPortMapping | undefined;
    for (let i = 0; i < size && !chosen; i++) {
      const candidate = { ...m, hostPort: range.first + ((start + i) % size) };
      if (!taken.has(portKey(candidate)) && !(await inUse(candidate))) chosen = candidate;
    }
    if (!chosen) {
      throw new DomainError(ErrorKind.LimitExceeded, `No free host port for ${m.protocol} in ${range.first}-${range.last}.`, 'host-port');
    }
    taken.add(portKey(chosen));
    out.push(chosen);
  }
  return out;
}

/** Whether a host process holds the port on the mapping's host address (or on all addresses): binding it fails then. */
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
      socket.bind({ address: m.hostIP, port: m.hostPort, exclusive: true }, () => done(undefined, (cb) => socket.close(cb)));
    } else {
      const server = createServer();
      server.once('error', (e) => done(e, (cb) => cb()));
      server.listen({ host: m.hostIP, port: m.hostPort, exclusive: true }, () => done(undefined, (cb) => server.close(() => cb())));
    }
  });
}
