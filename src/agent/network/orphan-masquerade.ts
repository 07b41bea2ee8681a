import { createHash } from 'node:crypto';
import type { CniNetworkConfigList, CniResult } from './cni-types.js';
import { execFile } from './exec.js';

/**
 * The bridge plugin's outbound NAT (ipMasq) hangs a per-task chain off nat POSTROUTING with a
 * rule matching the task's address, which it finds on the task's interface on DEL. When the
 * namespace or the interface is gone but the host's rules are not (deleted behind minato's back),
 * DEL leaves rule and chain, and a later ADD for the task (same chain name) could never delete
 * the chain again. So after DEL minato removes what is left, from the saved ADD result.
 */

/** The bridge plugin's name of a task's masquerade chain (its utils.FormatChainName). */
export const masqueradeChain = (networkName: string, containerId: string): string =>
  `CNI-${createHash('sha512').update(networkName + containerId).digest('hex').slice(0, 24)}`;

/** The POSTROUTING rules (iptables arguments) the bridge plugin made for a task, from its saved ADD result. */
export function masqueradeJumps(network: CniNetworkConfigList, containerId: string, result: CniResult | undefined): string[][] {
  const masq = network.plugins.some((p) => p.type === 'bridge' && p.ipMasq === true);
  if (!masq || !result) return [];
  const chain = masqueradeChain(network.name, containerId);
  const comment = `name: "${network.name}" id: "${containerId}"`;
  return (result.ips ?? [])
    .filter((ip) => !ip.address.includes(':'))
    .map((ip) => ['POSTROUTING', '-s', `${ip.address.split('/')[0]}/32`, '-m', 'comment', '--comment', comment, '-j', chain]);
}

/** Deletes those rules and the task's chain; what DEL already removed is fine to miss. */
export async function dropMasquerade(network: CniNetworkConfigList, containerId: string, result: CniResult | undefined): Promise<void> {
  const jumps = masqueradeJumps(network, containerId, result);
  if (jumps.length === 0) return;
  const iptables = (args: string[]) => execFile('iptables', ['-w', '10', '-t', 'nat', ...args], { timeoutMs: 20_000 });
  for (const rule of jumps) await iptables(['-D', ...rule]);
  const chain = masqueradeChain(network.name, containerId);
  if ((await iptables(['-F', chain])).code === 0) await iptables(['-X', chain]);
}
