/** IPv4 addresses and subnets as the network configuration needs them. */

/** An IPv4 subnet: its network address (as an unsigned 32-bit number) and prefix length. */
export interface Ipv4Subnet {
  network: number;
  prefix: number;
}

/** Parses a dotted-quad IPv4 address to an unsigned 32-bit number, or undefined. */
export function parseIpv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^(0|[1-9]\d{0,2})$/.test(p) || Number(p) > 255) return undefined;
    n = n * 256 + Number(p);
  }
  return n;
}

/** Formats an unsigned 32-bit number as a dotted-quad IPv4 address. */
export function formatIpv4(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

const mask = (prefix: number): number => (prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0);

/** Parses `a.b.c.d/n` whose host bits are zero, or undefined. */
export function parseSubnet(cidr: string): Ipv4Subnet | undefined {
  const [addr, len, ...rest] = cidr.split('/');
  if (rest.length > 0 || addr === undefined || len === undefined || !/^\d{1,2}$/.test(len)) return undefined;
  const network = parseIpv4(addr);
  const prefix = Number(len);
  if (network === undefined || prefix > 32) return undefined;
  if ((network & ~mask(prefix)) >>> 0 !== 0) return undefined;
  return { network, prefix };
}

/** Formats a subnet as `a.b.c.d/n`. */
export function formatSubnet(s: Ipv4Subnet): string {
  return `${formatIpv4(s.network)}/${s.prefix}`;
}

/** Whether the address `ip` lies in `s`. */
export function subnetContains(s: Ipv4Subnet, ip: number): boolean {
  return (ip & mask(s.prefix)) >>> 0 === s.network;
}

/** The number of addresses of `s` that can be handed to tasks (without network, gateway and broadcast). */
export function usableHosts(s: Ipv4Subnet): number {
  return Math.max(0, 2 ** (32 - s.prefix) - 3);
}

/** The first host address of the subnet: where the bridge plugin and host-local put the gateway. */
export function firstHost(s: Ipv4Subnet): number {
  return s.network + 1;
}

/** Splits `a.b.c.d/n` (an interface address, host bits set) into its address; undefined when it is not IPv4. */
export function addressOf(cidr: string): string | undefined {
  const [addr] = cidr.split('/');
  return addr !== undefined && parseIpv4(addr) !== undefined ? addr : undefined;
}
