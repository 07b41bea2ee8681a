import { createHash } from 'node:crypto';

/**
 * What an awsvpc task's security groups let in and out, as the control plane computes it for the
 * agent (the agent never reads security groups itself): rules with their peers resolved to IPv4
 * blocks. Traffic matching no rule is dropped; replies to allowed connections pass both ways.
 */
export interface TaskFirewall {
  ingress: FirewallRule[];
  egress: FirewallRule[];
}

/** One allowed flow: a protocol, a port range, and the peers' blocks. */
export interface FirewallRule {
  /** `tcp`, `udp`, `icmp`, `all`, or an IP protocol number. */
  protocol: string;
  /** tcp and udp: the port range (0–65535 for all); icmp: the type and code (-1 for any); otherwise -1. */
  fromPort: number;
  toPort: number;
  /** The sources (ingress) or destinations (egress), IPv4 CIDR blocks, sorted; never empty. */
  cidrs: string[];
}

/**
 * A short fingerprint of a firewall, the same on both sides of the agent protocol: an agent states
 * the fingerprint of each task's firewall it holds, and the control plane sends a task's firewall
 * again only when its own differs. Computed from the fields in a fixed order, so that neither the
 * order of an object's keys nor a JSON round trip changes it.
 */
export function firewallDigest(fw: TaskFirewall): string {
  const rules = (list: readonly FirewallRule[]) => list.map((r) => [r.protocol, r.fromPort, r.toPort, r.cidrs]);
  return createHash('sha256').update(JSON.stringify([rules(fw.ingress), rules(fw.egress)])).digest('base64url').slice(0, 22);
}
