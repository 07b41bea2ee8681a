import { describe, expect, it } from 'vitest';
import type { CniNetworkConfigList, CniResult } from './cni-types.js';
import { masqueradeChain, masqueradeJumps } from './orphan-masquerade.js';

const network = (ipMasq: boolean): CniNetworkConfigList => ({ cniVersion: '1.0.0', name: 'mnprobe0', plugins: [{ type: 'bridge', ipMasq }] });
const result: CniResult = {
  cniVersion: '1.0.0',
  interfaces: [{ name: 'eth0', sandbox: '/var/run/netns/minato-probe1' }],
  ips: [
    { address: '10.251.77.2/24', interface: 0, gateway: '10.251.77.1' },
    { address: 'fd00::2/64', interface: 0 },
  ],
};

describe('orphan masquerade rules', () => {
  it("names the task's chain as the bridge plugin does", () => {
    // Seen on a host: the chain the bridge plugin made for network mnprobe0, container probe1.
    expect(masqueradeChain('mnprobe0', 'probe1')).toBe('CNI-8a7c229dc0f19c3ec4d261c9');
  });

  it("rebuilds the POSTROUTING rule of each IPv4 address, only for networks with outbound NAT", () => {
    expect(masqueradeJumps(network(true), 'probe1', result)).toEqual([
      ['POSTROUTING', '-s', '10.251.77.2/32', '-m', 'comment', '--comment', 'name: "mnprobe0" id: "probe1"', '-j', 'CNI-8a7c229dc0f19c3ec4d261c9'],
    ]);
    expect(masqueradeJumps(network(false), 'probe1', result)).toEqual([]);
    expect(masqueradeJumps(network(true), 'probe1', undefined)).toEqual([]);
  });
});
