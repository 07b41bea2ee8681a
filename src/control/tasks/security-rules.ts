import type { FirewallRule, TaskFirewall } from '../../agent-contract/task-firewall.js';

/**
 * A task's firewall from its security groups (pure): each rule of each of its groups, with a
 * source or destination group replaced by the addresses of that group's members (tasks, and the
 * address load balancers reach tasks from). Only IPv4 peers are enforced: IPv6 blocks and prefix
 * lists have nothing to match, since task addresses are IPv4.
 */

/** One rule of a security group, as EC2 keeps it (vpc/ records it; these are the fields read). */
export interface GroupRule {
  readonly isEgress: boolean;
  /** `tcp`, `udp`, `icmp`, `icmpv6`, `-1` (all) or a protocol number. */
  readonly ipProtocol: string;
  readonly fromPort: number;
  readonly toPort: number;
  readonly cidrIpv4?: string;
  readonly referencedGroupId?: string;
}

export interface GroupView {
  readonly groupId: string;
  readonly rules: readonly GroupRule[];
}

/** A member of security groups: a task (its address, once it has one) or a load balancer. */
export interface GroupMember {
  readonly groupIds: readonly string[];
  readonly address?: string;
}

/** Each group's member addresses. */
export function groupMembers(members: readonly GroupMember[]): Map<string, string[]> {
  const out = new Map<string, Set<string>>();
  for (const m of members) {
    if (m.address === undefined) continue;
    for (const g of m.groupIds) {
      if (!out.has(g)) out.set(g, new Set());
      out.get(g)!.add(m.address);
    }
  }
  return new Map([...out].map(([g, addresses]) => [g, [...addresses].sort()]));
}

/** A task as a member of its groups, with the host it runs on: its container instance, none for the control host. */
export interface PlacedMember extends GroupMember {
  readonly containerInstanceArn?: string;
}

/**
 * Each group's members as a task on `host` (a container instance ARN; undefined for the control
 * host) meets them: as destinations, every member task at its own address (a task's packets leave
 * with the address they were sent to); as sources, only the member tasks of the same host. A task
 * of another host reaches this one through its host's outbound NAT (each host masquerades what its
 * tasks send out of its task subnet) and arrives as that host's address, which every task and
 * process of that host shares: admitting it would let in non-members, which a security group
 * never does, so a group rule admits no member of another host (a CIDR rule naming the host's
 * address can). Load balancers are processes of the control host: they are given at the address
 * they arrive from at this host, in both roles.
 */
export function membersAt(host: string | undefined, tasks: readonly PlacedMember[], loadBalancers: readonly GroupMember[]): { destinations: Map<string, string[]>; sources: Map<string, string[]> } {
  return {
    destinations: groupMembers([...tasks, ...loadBalancers]),
    sources: groupMembers([...tasks.filter((t) => t.containerInstanceArn === host), ...loadBalancers]),
  };
}

/**
 * The firewall of a task in `taskGroups`; groups that no longer exist contribute nothing. Group
 * peers of egress rules are `members`; those of ingress rules are `sources` (the members whose
 * address arrives here as theirs, see membersAt), `members` when not given.
 */
export function taskFirewall(taskGroups: readonly string[], groups: readonly GroupView[], members: ReadonlyMap<string, readonly string[]>, sources: ReadonlyMap<string, readonly string[]> = members): TaskFirewall {
  const byId = new Map(groups.map((g) => [g.groupId, g]));
  const merged = { ingress: new Map<string, FirewallRule>(), egress: new Map<string, FirewallRule>() };
  for (const id of new Set(taskGroups)) {
    for (const rule of byId.get(id)?.rules ?? []) {
      const flow = flowOf(rule);
      if (!flow) continue;
      const seen = rule.isEgress ? members : sources;
      const peers = rule.cidrIpv4 !== undefined ? [canonical(rule.cidrIpv4)] : rule.referencedGroupId !== undefined ? (seen.get(rule.referencedGroupId) ?? []).map((a) => `${a}/32`) : [];
      if (peers.length === 0) continue;
      const into = rule.isEgress ? merged.egress : merged.ingress;
      const key = `${flow.protocol}|${flow.fromPort}|${flow.toPort}`;
      const known = into.get(key);
      into.set(key, { ...flow, cidrs: [...new Set([...(known?.cidrs ?? []), ...peers])] });
    }
  }
  const list = (m: Map<string, FirewallRule>) => [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, r]) => ({ ...r, cidrs: [...r.cidrs].sort() }));
  return { ingress: list(merged.ingress), egress: list(merged.egress) };
}

/** The protocol and ports of a rule as the firewall matches them; none for ICMPv6 (no IPv6 addresses to match). */
function flowOf(rule: GroupRule): Omit<FirewallRule, 'cidrs'> | undefined {
  switch (rule.ipProtocol) {
    case '-1': return { protocol: 'all', fromPort: -1, toPort: -1 };
    case 'tcp':
    case 'udp':
    case 'icmp': return { protocol: rule.ipProtocol, fromPort: rule.fromPort, toPort: rule.toPort };
    case 'icmpv6': case '58': return undefined;
    default: return { protocol: rule.ipProtocol, fromPort: -1, toPort: -1 };
  }
}

/** A block as the firewall writes it: an address alone is its /32. */
const canonical = (cidr: string): string => (cidr.includes('/') ? cidr : `${cidr}/32`);
