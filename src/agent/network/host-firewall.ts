import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { execFile } from './exec.js';

/**
 * What tasks may reach on the host itself. A task's packets to any address of the host (the
 * bridge's gateway, eth0's address, another bridge's) arrive on the host's INPUT path through the
 * task bridge, where a chain of minato's own decides: replies to connections the host opened,
 * DNS, the metadata endpoint's port on the gateway address, and the ports named here (the minato
 * endpoint's). Everything else
 * is refused, so a host service listening on 0.0.0.0 stays out of the tasks' reach. Traffic the
 * host forwards (to other tasks, or out through NAT) does not pass INPUT and is not touched, nor
 * are ports published on 127.0.0.1 (the host connects to the task; the task only answers).
 */
export interface HostFirewallSettings {
  bridge: string;
  /** The bridge's address, the tasks' gateway. */
  gateway: string;
  /** TCP ports of the host tasks may reach on any of its addresses. */
  tcpPorts: readonly number[];
  /** TCP ports tasks may reach on the gateway address only (the metadata endpoint's). */
  gatewayTcpPorts?: readonly number[];
  /** The task subnet (CIDR) whose traffic leaving it is masqueraded; none when absent. */
  masqueradeSubnet?: string;
  /**
   * Addresses outside this host that may open connections to the task addresses (the control
   * host's: its load balancers and health checks route to the task subnet through this host).
   * When given, a forward guard refuses every other connection routed into the bridge from
   * outside, published host ports excepted; absent, forwarding is not touched.
   */
  admitFrom?: readonly string[];
  /**
   * The gateway port that tasks' requests to 169.254.170.2:80 (the credentials endpoint the SDKs
   * hard-code) are redirected to; no redirect when absent.
   */
  credentialsPort?: number;
}

/** The link-local address and port the SDKs ask for container credentials at (the relative URI form). */
export const CREDENTIALS_ENDPOINT = { address: '169.254.170.2', port: 80 } as const;

/** The dedicated chain of a bridge's rules (iptables allows 28 characters; bridge names have at most 15). */
export const firewallChain = (bridge: string): string => `MINATO-${bridge}`;

const WAIT = ['-w', '10'];
const TIMEOUT_MS = 20_000;

/** The IPv4 rules of the chain, in order (iptables-save syntax, without the chain's `-A`). */
export function ipv4Rules(s: HostFirewallSettings): string[] {
  return [
    '-m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT',
    // The containers' resolv.conf lists the host's non-loopback nameservers; one may be this host.
    '-p udp -m udp --dport 53 -j ACCEPT',
    '-p tcp -m tcp --dport 53 -j ACCEPT',
    // The metadata endpoint listens on the gateway address; only its port is open there.
    ...[...new Set(s.gatewayTcpPorts ?? [])].map((p) => `-d ${s.gateway}/32 -p tcp -m tcp --dport ${p} -j ACCEPT`),
    ...[...new Set(s.tcpPorts)].map((p) => `-p tcp -m tcp --dport ${p} -j ACCEPT`),
    '-p tcp -j REJECT --reject-with tcp-reset',
    '-j REJECT --reject-with icmp-port-unreachable',
  ];
}

/** The dedicated chain guarding what is forwarded into a bridge (at most 26 characters). */
export const forwardChain = (bridge: string): string => `MINATO-FWD-${bridge}`;

/**
 * The forward guard's rules, for packets routed out through the bridge: the bridge's own traffic
 * (task to task) is not its concern, replies and published host ports (portmap's DNAT) pass, the
 * admitted addresses may open connections to tasks, nothing else from outside may.
 */
export function forwardRules(s: Pick<HostFirewallSettings, 'bridge' | 'admitFrom'>): string[] {
  return [
    `-i ${s.bridge} -j RETURN`,
    '-m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT',
    '-m conntrack --ctstate DNAT -j ACCEPT',
    ...[...new Set(s.admitFrom ?? [])].map((a) => `-s ${a}/32 -j ACCEPT`),
    '-p tcp -j REJECT --reject-with tcp-reset',
    '-j REJECT --reject-with icmp-port-unreachable',
  ];
}

/** The IPv6 rules: tasks have link-local addresses only, so nothing but neighbour discovery and replies. */
export function ipv6Rules(): string[] {
  return [
    '-m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT',
    '-p ipv6-icmp -m icmp6 --icmpv6-type 135 -j ACCEPT',
    '-p ipv6-icmp -m icmp6 --icmpv6-type 136 -j ACCEPT',
    '-j REJECT --reject-with icmp6-port-unreachable',
  ];
}

/** An iptables-restore input that replaces the chain's rules in one transaction (with --noflush). */
export function restoreInput(chain: string, rules: readonly string[]): string {
  return ['*filter', `:${chain} - [0:0]`, ...rules.map((r) => `-A ${chain} ${r}`), 'COMMIT', ''].join('\n');
}

interface Family {
  iptables: string;
  restore: string;
  rules: string[];
}

function families(s: HostFirewallSettings): Family[] {
  const v4: Family = { iptables: 'iptables', restore: 'iptables-restore', rules: ipv4Rules(s) };
  // Without IPv6 in the kernel there is nothing to guard (and ip6tables would fail).
  const v6: Family = { iptables: 'ip6tables', restore: 'ip6tables-restore', rules: ipv6Rules() };
  return ipv6Enabled() ? [v4, v6] : [v4];
}

const ipv6Enabled = (): boolean => existsSync('/proc/net/if_inet6');

const jump = (bridge: string): string[] => ['-i', bridge, '-j', firewallChain(bridge)];
const forwardJump = (bridge: string): string[] => ['-o', bridge, '-j', forwardChain(bridge)];

/**
 * Installs (or replaces) the bridge's rules: the chain's rules in one transaction first, then the
 * INPUT jump if it is not there yet, so a restart leaves exactly one jump and one set of rules.
 */
export async function installHostFirewall(s: HostFirewallSettings): Promise<void> {
  const chain = firewallChain(s.bridge);
  for (const f of families(s)) {
    await run(f.restore, [...WAIT, '--noflush'], restoreInput(chain, f.rules));
    const present = await execFile(f.iptables, [...WAIT, '-C', 'INPUT', ...jump(s.bridge)], { timeoutMs: TIMEOUT_MS });
    // First in INPUT: a host's own ACCEPT rules must not let tasks past it.
    if (present.code !== 0) await run(f.iptables, [...WAIT, '-I', 'INPUT', '1', ...jump(s.bridge)]);
  }
  if (s.admitFrom !== undefined) await installForwardGuard(s);
  if (s.masqueradeSubnet !== undefined) {
    const rule = masqueradeRule(s.bridge, s.masqueradeSubnet);
    const present = await execFile('iptables', [...WAIT, '-t', 'nat', '-C', ...rule], { timeoutMs: TIMEOUT_MS });
    if (present.code !== 0) await run('iptables', [...WAIT, '-t', 'nat', '-A', ...rule]);
  }
  if (s.credentialsPort !== undefined) {
    const rule = credentialsRedirectRule(s.bridge, s.gateway, s.credentialsPort);
    const present = await execFile('iptables', [...WAIT, '-t', 'nat', '-C', ...rule], { timeoutMs: TIMEOUT_MS });
    if (present.code !== 0) {
      // A previous run's redirect names another port: one redirect per bridge.
      await removeCredentialsRedirects(s.bridge);
      await run('iptables', [...WAIT, '-t', 'nat', '-I', 'PREROUTING', '1', ...rule.slice(1)]);
    }
  }
}

/**
 * The nat rule that sends a bridge's requests to 169.254.170.2:80 to the credentials endpoint on
 * the gateway, as the ECS agent redirects them to its own port; the filter chain's rule for the
 * gateway port then lets them in.
 */
export function credentialsRedirectRule(bridge: string, gateway: string, port: number): string[] {
  return [
    'PREROUTING', '-i', bridge, '-d', `${CREDENTIALS_ENDPOINT.address}/32`, '-p', 'tcp', '-m', 'tcp', '--dport', String(CREDENTIALS_ENDPOINT.port),
    '-m', 'comment', '--comment', `${firewallChain(bridge)} credentials`, '-j', 'DNAT', '--to-destination', `${gateway}:${port}`,
  ];
}

/** Removes the bridge's credentials redirects, whatever gateway port they were made for. */
async function removeCredentialsRedirects(bridge: string): Promise<void> {
  const nat = await execFile('iptables', [...WAIT, '-t', 'nat', '-S', 'PREROUTING'], { timeoutMs: TIMEOUT_MS });
  for (const line of nat.stdout.split('\n').filter((l) => l.includes(`${firewallChain(bridge)} credentials`))) {
    const to = /--to-destination (\S+):(\d+)/.exec(line);
    if (to) await execFile('iptables', [...WAIT, '-t', 'nat', '-D', ...credentialsRedirectRule(bridge, to[1]!, Number(to[2]))], { timeoutMs: TIMEOUT_MS });
  }
}

/**
 * The forward guard (IPv4: tasks have no routable IPv6 address) and IP forwarding, which the
 * admitted hosts' traffic to the task subnet needs (the bridge plugin turns it on only at the
 * first task's setup).
 */
async function installForwardGuard(s: HostFirewallSettings): Promise<void> {
  const chain = forwardChain(s.bridge);
  await run('iptables-restore', [...WAIT, '--noflush'], restoreInput(chain, forwardRules(s)));
  const present = await execFile('iptables', [...WAIT, '-C', 'FORWARD', ...forwardJump(s.bridge)], { timeoutMs: TIMEOUT_MS });
  if (present.code !== 0) await run('iptables', [...WAIT, '-I', 'FORWARD', '1', ...forwardJump(s.bridge)]);
  await writeFile('/proc/sys/net/ipv4/ip_forward', '1\n');
}

/** The one nat rule that masquerades a bridge's task traffic leaving its subnet (tasks reach the outside). */
export function masqueradeRule(bridge: string, subnet: string): string[] {
  return ['POSTROUTING', '-s', subnet, '!', '-d', subnet, '-m', 'comment', '--comment', `${firewallChain(bridge)} outbound`, '-j', 'MASQUERADE'];
}

/** Removes the bridge's jump(s) and chain; a no-op when they are gone. */
export async function removeHostFirewall(bridge: string): Promise<void> {
  const chain = firewallChain(bridge);
  for (const tool of ipv6Enabled() ? ['iptables', 'ip6tables'] : ['iptables']) {
    // Bounded: one jump is all install makes; a few more would be someone's copies.
    for (let i = 0; i < 16; i++) {
      const r = await execFile(tool, [...WAIT, '-D', 'INPUT', ...jump(bridge)], { timeoutMs: TIMEOUT_MS });
      if (r.code !== 0) break;
    }
    const exists = await execFile(tool, [...WAIT, '-S', chain], { timeoutMs: TIMEOUT_MS });
    if (exists.code !== 0) continue;
    await run(tool, [...WAIT, '-F', chain]);
    await run(tool, [...WAIT, '-X', chain]);
  }
  for (let i = 0; i < 16; i++) {
    const r = await execFile('iptables', [...WAIT, '-D', 'FORWARD', ...forwardJump(bridge)], { timeoutMs: TIMEOUT_MS });
    if (r.code !== 0) break;
  }
  if ((await execFile('iptables', [...WAIT, '-S', forwardChain(bridge)], { timeoutMs: TIMEOUT_MS })).code === 0) {
    await run('iptables', [...WAIT, '-F', forwardChain(bridge)]);
    await run('iptables', [...WAIT, '-X', forwardChain(bridge)]);
  }
  await removeCredentialsRedirects(bridge);
  // The masquerade rule, found by its comment (whatever subnet it was made for).
  const nat = await execFile('iptables', [...WAIT, '-t', 'nat', '-S', 'POSTROUTING'], { timeoutMs: TIMEOUT_MS });
  for (const line of nat.stdout.split('\n').filter((l) => l.includes(`${chain} outbound`))) {
    const subnet = /-s (\S+)/.exec(line)?.[1];
    if (subnet) await execFile('iptables', [...WAIT, '-t', 'nat', '-D', ...masqueradeRule(bridge, subnet)], { timeoutMs: TIMEOUT_MS });
  }
}

async function run(file: string, args: string[], input?: string): Promise<void> {
  const r = await execFile(file, args, { timeoutMs: TIMEOUT_MS, ...(input !== undefined && { input }) });
  if (r.code !== 0) throw new Error(`${file} ${args.join(' ')} failed (${r.code ?? r.signal}): ${r.stderr.trim() || r.stdout.trim()}`);
}
