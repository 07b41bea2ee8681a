import { lookup } from 'node:dns/promises';
import { isIPv4 } from 'node:net';
import { networkInterfaces } from 'node:os';
import { execChecked } from './exec.js';

/**
 * Where this host stands toward the control plane: the control hosts' addresses (the ones their
 * load balancers and health checks come from, as the agent reaches them) and this host's own
 * address on the way to the first (its "private address": where its published ports answer).
 */
export interface HostAddresses {
  control: string[];
  own: string;
}

/** The `src` of `ip route get` output: the address this host sends from toward the destination. */
export function routeSource(output: string): string | undefined {
  const src = /\bsrc (\d{1,3}(?:\.\d{1,3}){3})\b/.exec(output)?.[1];
  return src !== undefined && isIPv4(src) ? src : undefined;
}

/** Whether `address` is one of this host's (IPv4) interface addresses. */
export function isLocalAddress(address: string): boolean {
  return Object.values(networkInterfaces()).some((list) => (list ?? []).some((i) => i.family === 'IPv4' && i.address === address));
}

/**
 * The control hosts' addresses (the endpoints' hosts, resolved when they are names) and this
 * host's address: `preferred` (`--host`) when it is one of this host's IPv4 addresses, else the
 * source address of the route to the first control host.
 */
export async function hostAddresses(endpoints: readonly string[], preferred: string | undefined): Promise<HostAddresses> {
  const control: string[] = [];
  for (const endpoint of endpoints) {
    const host = new URL(endpoint).hostname.replace(/^\[|\]$/g, '');
    const address = isIPv4(host) ? host : (await lookup(host, { family: 4 })).address;
    if (!control.includes(address)) control.push(address);
  }
  if (control.length === 0) throw new Error('no control plane endpoint');
  if (preferred !== undefined && isIPv4(preferred) && isLocalAddress(preferred)) return { control, own: preferred };
  const own = routeSource(await execChecked('ip', ['-4', 'route', 'get', control[0]!]));
  if (own === undefined) throw new Error(`no IPv4 source address toward the control plane at ${control[0]}`);
  return { control, own };
}
