/**
 * The load-balancer subnet: each load balancer binds its own IPv4 address of this host, the lowest
 * free one of the subnet (its network and broadcast addresses skipped), so listeners of different
 * load balancers can share a port.
 */

export interface Subnet {
  /** The first and last usable addresses as 32-bit numbers. */
  first: number;
  last: number;
}

const toNumber = (address: string): number | undefined => {
  const parts = address.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return undefined;
  return parts.reduce((acc, p) => acc * 256 + Number(p), 0);
};

const toAddress = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');

/** Parses `a.b.c.d/len` (len 8–30); throws with a message fit for the command line otherwise. */
export function parseSubnet(cidr: string): Subnet {
  const [address = '', lengthText = ''] = cidr.split('/');
  const base = toNumber(address);
  const length = Number(lengthText);
  if (base === undefined || !/^\d+$/.test(lengthText) || length < 8 || length > 30) {
    throw new Error(`the load-balancer subnet must be an IPv4 CIDR block from /8 to /30, got "${cidr}"`);
  }
  const size = 2 ** (32 - length);
  const network = base - (base % size);
  return { first: network + 1, last: network + size - 2 };
}

/** The lowest address of `subnet` not in `used`, or undefined when all are taken. */
export function allocateAddress(subnet: Subnet, used: Iterable<string>): string | undefined {
  const taken = new Set<number>();
  for (const address of used) {
    const n = toNumber(address);
    if (n !== undefined) taken.add(n);
  }
  for (let n = subnet.first; n <= subnet.last; n++) if (!taken.has(n)) return toAddress(n);
  return undefined;
}
