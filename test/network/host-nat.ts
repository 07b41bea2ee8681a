/**
 * What the portmap plugin leaves on the host beyond each task's own rules: the shared chains
 * CNI-HOSTPORT-{DNAT,SETMARK,MASQ} with their jumps from the nat base chains, and (with the nftables
 * backend of iptables) the `ip nat` and `ip6 nat` tables themselves. A test file that made them
 * removes them again, but only when nothing else may use them, so that a minato (or another test
 * file) running on the same host keeps its ports.
 */
import { execChecked, execFile } from '../../src/agent/network/exec.js';

const SHARED = ['CNI-HOSTPORT-DNAT', 'CNI-HOSTPORT-SETMARK', 'CNI-HOSTPORT-MASQ'] as const;
const JUMPS: ReadonlyArray<readonly string[]> = [
  ['PREROUTING', '-m', 'addrtype', '--dst-type', 'LOCAL', '-j', 'CNI-HOSTPORT-DNAT'],
  ['OUTPUT', '-m', 'addrtype', '--dst-type', 'LOCAL', '-j', 'CNI-HOSTPORT-DNAT'],
  ['POSTROUTING', '-m', 'comment', '--comment', 'CNI portfwd requiring masquerade', '-j', 'CNI-HOSTPORT-MASQ'],
];
const TABLES = ['ip nat', 'ip6 nat'] as const;

/** What existed before the tests. */
export interface NatSnapshot {
  sharedChains: boolean;
  tables: Set<string>;
  ipForward: string;
}

async function natRules(): Promise<string[]> {
  return (await execChecked('iptables', ['-t', 'nat', '-S'])).split('\n').filter(Boolean);
}

async function nftTables(): Promise<Set<string>> {
  const out = await execChecked('nft', ['list', 'tables']);
  return new Set(out.split('\n').map((l) => l.replace(/^table /, '').trim()).filter(Boolean));
}

/** Records the host's nat state before a test file changes it. */
export async function natSnapshot(): Promise<NatSnapshot> {
  const rules = await natRules();
  return {
    sharedChains: rules.includes('-N CNI-HOSTPORT-DNAT'),
    tables: await nftTables(),
    ipForward: (await execChecked('cat', ['/proc/sys/net/ipv4/ip_forward'])).trim(),
  };
}

/**
 * Removes the shared chains and tables the tests made and restores ip_forward, when nothing else
 * uses them: no other task network namespace (of a running minato or other tests) and no per-task
 * chain is left.
 */
export async function restoreNat(before: NatSnapshot): Promise<void> {
  // This suite's own tasks (`minato-t<6 hex>-…`, see support.ts) publish no port outside host-ports.test.ts.
  const namespaces = (await execChecked('ip', ['netns', 'list'])).split('\n');
  if (namespaces.some((l) => l.startsWith('minato-') && !/^minato-t[0-9a-f]{6}-/.test(l))) return;
  if (!before.sharedChains) {
    const rules = await natRules();
    if (!rules.some((r) => r.startsWith('-N CNI-DN-'))) {
      for (const jump of JUMPS) {
        await execFile('iptables', ['-t', 'nat', '-D', ...jump], { timeoutMs: 10_000 });
      }
      for (const chain of SHARED) {
        if (!rules.includes(`-N ${chain}`)) continue;
        await execChecked('iptables', ['-t', 'nat', '-F', chain]);
        await execChecked('iptables', ['-t', 'nat', '-X', chain]);
      }
    }
  }
  for (const table of TABLES) {
    if (before.tables.has(table) || !(await nftTables()).has(table)) continue;
    const listing = await execChecked('nft', ['-j', 'list', 'table', ...table.split(' ')]);
    const items = (JSON.parse(listing) as { nftables: Array<Record<string, unknown>> }).nftables;
    if (!items.some((i) => 'rule' in i)) await execChecked('nft', ['delete', 'table', ...table.split(' ')]);
  }
  // The bridge plugin turns forwarding on for its gateway; nothing the tests do needs it afterwards.
  if (before.ipForward === '0') await execChecked('sysctl', ['-q', '-w', 'net.ipv4.ip_forward=0']);
}
