/**
 * IPv4 CIDR blocks as EC2 checks them: `a.b.c.d/n` with the host bits zero, containment and
 * overlap. Addresses are unsigned 32-bit numbers.
 */
export interface Cidr {
  readonly base: number;
  readonly prefix: number;
}

const CIDR_TEXT = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** The block `text` names, or undefined when it is not a CIDR block with its host bits zero. */
export function parseCidr(text: string): Cidr | undefined {
  const m = CIDR_TEXT.exec(text);
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o, i) => o > 255 || m[i + 1]!.length > 1 && m[i + 1]!.startsWith('0')) || prefix > 32) return undefined;
  const base = octets.reduce((acc, o) => acc * 256 + o, 0);
  if (base % size({ base, prefix }) !== 0) return undefined;
  return { base, prefix };
}

/** The number of addresses of a block. */
export const size = (c: Cidr): number => 2 ** (32 - c.prefix);

/** `a.b.c.d/n`. */
export function formatCidr(c: Cidr): string {
  return `${formatAddress(c.base)}/${c.prefix}`;
}

export function formatAddress(address: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256).join('.');
}

/** Whether `inner` lies wholly inside `outer`. */
export function contains(outer: Cidr, inner: Cidr): boolean {
  return inner.prefix >= outer.prefix && inner.base >= outer.base && inner.base + size(inner) <= outer.base + size(outer);
}

/** Whether two blocks share an address (aligned blocks overlap only when one contains the other). */
export function overlaps(a: Cidr, b: Cidr): boolean {
  return a.base < b.base + size(b) && b.base < a.base + size(a);
}

/** The addresses of a subnet an instance may take: AWS keeps the first four and the last. */
export const usableAddresses = (c: Cidr): number => Math.max(0, size(c) - 5);

/** The `index`-th block of `prefix` inside `outer` (for carving the default subnets). */
export function nthBlock(outer: Cidr, prefix: number, index: number): Cidr {
  return { base: outer.base + index * 2 ** (32 - prefix), prefix };
}
