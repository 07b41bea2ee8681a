import { isIPv4 } from 'node:net';

/**
 * The control host's routes to its agents' task subnets, as a VPC's route table sends a subnet's
 * traffic to the instance that holds it (host-gw): one route per connected-or-not, registered
 * agent, `<task subnet> via <agent address>`. This file is the pure part: parsing and the plan.
 */

/** One route the control host keeps: the task subnet (CIDR) and the agent address it goes through. */
export interface SubnetRoute {
  subnet: string;
  via: string;
}

/** What the plan needs of a container instance. */
export interface RoutedInstance {
  containerInstanceArn: string;
  /** Whether it is registered (ACTIVE or DRAINING): a deregistered instance has no route. */
  registered: boolean;
  address?: string;
  taskSubnet?: string;
}

/** An instance left without a route, and why (logged once per reason). */
export interface SkippedRoute {
  containerInstanceArn: string;
  reason: string;
}

/** An IPv4 subnet as a number and a prefix length. */
interface Cidr {
  network: number;
  prefix: number;
}

const toNumber = (ip: string): number => ip.split('.').reduce((n, p) => n * 256 + Number(p), 0);
const maskOf = (prefix: number): number => (prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0);

/** Parses `a.b.c.d/n` whose host bits are zero, or undefined. */
export function parseCidr(text: string): Cidr | undefined {
  const m = /^([0-9.]+)\/(\d{1,2})$/.exec(text);
  if (!m || !isIPv4(m[1]!) || Number(m[2]) > 32) return undefined;
  const network = toNumber(m[1]!);
  const prefix = Number(m[2]);
  return (network & ~maskOf(prefix)) >>> 0 === 0 ? { network, prefix } : undefined;
}

/** Whether two subnets share an address. */
export function overlaps(a: Cidr, b: Cidr): boolean {
  const mask = maskOf(Math.min(a.prefix, b.prefix));
  return (a.network & mask) >>> 0 === (b.network & mask) >>> 0;
}

/** Whether `ip` lies in `c`. */
export function cidrContains(c: Cidr, ip: string): boolean {
  return isIPv4(ip) && (toNumber(ip) & maskOf(c.prefix)) >>> 0 === c.network;
}

/**
 * The routes the control host should have: one per registered instance with an address and a task
 * subnet, in ARN order so that of two instances claiming overlapping subnets the same one wins every
 * time. A subnet that overlaps one of `own` (the control host's task subnet, the load balancers'
 * addresses) or an earlier instance's is skipped, as is an address inside any task subnet or on loopback.
 */
export function planSubnetRoutes(instances: readonly RoutedInstance[], own: readonly string[]): { routes: SubnetRoute[]; skipped: SkippedRoute[] } {
  const taken = own.map(parseCidr).filter((c): c is Cidr => c !== undefined);
  const routes: SubnetRoute[] = [];
  const skipped: SkippedRoute[] = [];
  const sorted = [...instances].filter((i) => i.registered && i.address !== undefined && i.taskSubnet !== undefined);
  sorted.sort((a, b) => (a.containerInstanceArn < b.containerInstanceArn ? -1 : a.containerInstanceArn > b.containerInstanceArn ? 1 : 0));
  for (const i of sorted) {
    const subnet = parseCidr(i.taskSubnet!);
    const skip = (reason: string) => skipped.push({ containerInstanceArn: i.containerInstanceArn, reason });
    if (!subnet || subnet.prefix === 0) skip(`its task subnet ${i.taskSubnet} is not a routable IPv4 subnet`);
    else if (!isIPv4(i.address!) || i.address!.startsWith('127.')) skip(`its address ${i.address} is not a remote IPv4 address`);
    else if (cidrContains(subnet, i.address!)) skip(`its address ${i.address} lies inside its task subnet ${i.taskSubnet}`);
    else if (taken.some((t) => overlaps(t, subnet))) skip(`its task subnet ${i.taskSubnet} overlaps another task subnet or the load balancers' addresses`);
    else {
      taken.push(subnet);
      routes.push({ subnet: i.taskSubnet!, via: i.address! });
    }
  }
  return { routes, skipped };
}

/** What to do to go from the routes present (ours, as recorded) to the wanted ones. */
export function routeChanges(present: readonly SubnetRoute[], wanted: readonly SubnetRoute[]): { add: SubnetRoute[]; remove: SubnetRoute[] } {
  const key = (r: SubnetRoute) => `${r.subnet} ${r.via}`;
  const wantedKeys = new Set(wanted.map(key));
  const presentKeys = new Set(present.map(key));
  return { add: wanted.filter((r) => !presentKeys.has(key(r))), remove: present.filter((r) => !wantedKeys.has(key(r))) };
}
