import { existsSync } from 'node:fs';
import type { FirewallRule, TaskFirewall } from '../../agent-contract/task-firewall.js';
import { execFile } from './exec.js';
import { CREDENTIALS_ENDPOINT } from './host-firewall.js';

/**
 * An awsvpc task's security groups, enforced inside its own network namespace: the filter table
 * of that namespace is minato's alone, so it is replaced whole (one iptables-restore, atomic) on
 * every change, and it goes with the namespace when the task's network is torn down, a crash or
 * a reboot included; nothing of it lives in the host's tables. What it allows: loopback, replies
 * to allowed connections (stateful, as security groups are), what the task's rules allow, and,
 * out, the task's own services that security groups do not filter on AWS either: the gateway
 * (DNS, the metadata and credentials endpoints), the credentials address and DNS. The rest is
 * dropped, as a security group drops it (the peer's connection times out).
 */

/** The iptables-restore input of a task's IPv4 filter table. */
export function taskFirewallInput(fw: TaskFirewall, gateway: string): string {
  return [
    '*filter',
    ':INPUT DROP [0:0]',
    ':FORWARD DROP [0:0]',
    ':OUTPUT DROP [0:0]',
    '-A INPUT -i lo -j ACCEPT',
    '-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT',
    ...fw.ingress.flatMap((r) => ruleLines('INPUT', '-s', r)),
    '-A OUTPUT -o lo -j ACCEPT',
    '-A OUTPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT',
    `-A OUTPUT -d ${gateway}/32 -j ACCEPT`,
    `-A OUTPUT -d ${CREDENTIALS_ENDPOINT.address}/32 -p tcp -m tcp --dport ${CREDENTIALS_ENDPOINT.port} -j ACCEPT`,
    '-A OUTPUT -p udp -m udp --dport 53 -j ACCEPT',
    '-A OUTPUT -p tcp -m tcp --dport 53 -j ACCEPT',
    ...fw.egress.flatMap((r) => ruleLines('OUTPUT', '-d', r)),
    'COMMIT',
    '',
  ].join('\n');
}

/** The IPv6 table: tasks have link-local addresses only, and no rule names IPv6 peers; nothing comes in but neighbour discovery and replies. */
export function taskFirewallInput6(): string {
  return [
    '*filter',
    ':INPUT DROP [0:0]',
    ':FORWARD DROP [0:0]',
    ':OUTPUT ACCEPT [0:0]',
    '-A INPUT -i lo -j ACCEPT',
    '-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT',
    ...[133, 134, 135, 136].map((t) => `-A INPUT -p ipv6-icmp -m icmp6 --icmpv6-type ${t} -j ACCEPT`),
    'COMMIT',
    '',
  ].join('\n');
}

/** An open filter table: a task whose groups are not enforced. */
export function openFirewallInput(): string {
  return ['*filter', ':INPUT ACCEPT [0:0]', ':FORWARD ACCEPT [0:0]', ':OUTPUT ACCEPT [0:0]', 'COMMIT', ''].join('\n');
}

const PROTOCOL = /^(tcp|udp|icmp|all|\d{1,3})$/;
const CIDR = /^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/;

/** An IPv4 block as the firewall writes it: four octets up to 255 and a prefix up to 32. */
const isBlock = (text: string): boolean => {
  if (!CIDR.test(text)) return false;
  const [address, prefix] = text.split('/') as [string, string];
  return Number(prefix) <= 32 && address.split('.').every((o) => Number(o) <= 255);
};

/**
 * A firewall as it comes over the wire (a launch spec's, or a firewall order's), checked to be
 * the contract's shape: an agent refuses anything else rather than write a part of it. Returns a
 * copy with exactly the contract's fields.
 */
export function parseTaskFirewall(value: unknown): TaskFirewall {
  const object = (v: unknown, what: string): Record<string, unknown> => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error(`Invalid firewall: ${what} must be an object`);
    return v as Record<string, unknown>;
  };
  const rules = (v: unknown, what: string): FirewallRule[] => {
    if (!Array.isArray(v)) throw new Error(`Invalid firewall: ${what} must be a list`);
    return v.map((item, i) => {
      const r = object(item, `${what}[${i}]`);
      const { protocol, fromPort, toPort, cidrs } = r;
      if (typeof protocol !== 'string' || !PROTOCOL.test(protocol)) throw new Error(`Invalid firewall protocol in ${what}[${i}]`);
      if (![fromPort, toPort].every((n) => Number.isInteger(n) && (n as number) >= -1 && (n as number) <= 65535)) throw new Error(`Invalid firewall port range in ${what}[${i}]`);
      if (!Array.isArray(cidrs) || cidrs.length === 0 || !cidrs.every((c) => typeof c === 'string' && isBlock(c))) throw new Error(`Invalid firewall blocks in ${what}[${i}]`);
      return { protocol, fromPort: fromPort as number, toPort: toPort as number, cidrs: [...(cidrs as string[])] };
    });
  };
  const fw = object(value, 'the firewall');
  return { ingress: rules(fw.ingress, 'ingress'), egress: rules(fw.egress, 'egress') };
}

/** One ACCEPT line per peer; the rule is checked here, since it comes over the wire. */
function ruleLines(chain: string, peerFlag: '-s' | '-d', r: FirewallRule): string[] {
  if (!PROTOCOL.test(r.protocol)) throw new Error(`Invalid firewall protocol "${r.protocol}"`);
  const ints = [r.fromPort, r.toPort];
  if (!ints.every((n) => Number.isInteger(n) && n >= -1 && n <= 65535)) throw new Error(`Invalid firewall port range ${r.fromPort}-${r.toPort}`);
  let match = '';
  if (r.protocol === 'tcp' || r.protocol === 'udp') {
    const all = r.fromPort <= 0 && r.toPort >= 65535;
    match = `-p ${r.protocol} -m ${r.protocol}${all ? '' : ` --dport ${r.fromPort === r.toPort ? r.fromPort : `${r.fromPort}:${r.toPort}`}`}`;
  } else if (r.protocol === 'icmp') {
    match = `-p icmp -m icmp --icmp-type ${r.fromPort === -1 ? 'any' : r.toPort === -1 ? r.fromPort : `${r.fromPort}/${r.toPort}`}`;
  } else if (r.protocol !== 'all') {
    match = `-p ${r.protocol}`;
  }
  return r.cidrs.map((cidr) => {
    if (!CIDR.test(cidr)) throw new Error(`Invalid firewall block "${cidr}"`);
    return `-A ${chain} ${peerFlag} ${cidr} ${match ? `${match} ` : ''}-j ACCEPT`;
  });
}

/** Replaces the filter tables of the namespace at `netnsPath`: the task's firewall, or open ones when it has none. */
export async function applyTaskFirewall(netnsPath: string, fw: TaskFirewall | undefined, gateway: string): Promise<void> {
  await restore(netnsPath, 'iptables-restore', fw ? taskFirewallInput(fw, gateway) : openFirewallInput());
  // Without IPv6 in the kernel there is nothing to guard (and ip6tables-restore would fail).
  if (existsSync('/proc/net/if_inet6')) await restore(netnsPath, 'ip6tables-restore', fw ? taskFirewallInput6() : openFirewallInput());
}

async function restore(netnsPath: string, tool: string, input: string): Promise<void> {
  const r = await execFile('nsenter', [`--net=${netnsPath}`, tool, '-w', '10'], { timeoutMs: 20_000, input });
  if (r.code !== 0) throw new Error(`${tool} in ${netnsPath} failed (${r.code ?? r.signal}): ${r.stderr.trim() || r.stdout.trim()}`);
}
