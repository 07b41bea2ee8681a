import { describe, expect, it } from 'vitest';
import { firewallChain, forwardChain, forwardRules, ipv4Rules, ipv6Rules, restoreInput } from './host-firewall.js';

describe('host firewall rules', () => {
  it('names one chain per bridge, within iptables length limit', () => {
    expect(firewallChain('minato0')).toBe('MINATO-minato0');
    expect(firewallChain('a'.repeat(15)).length).toBeLessThanOrEqual(28);
  });

  it('lets replies, DNS, the gateway ports on the gateway and the named ports in, and refuses the rest last', () => {
    const rules = ipv4Rules({ bridge: 'minato0', gateway: '10.213.0.1', tcpPorts: [4566, 4566, 8443], gatewayTcpPorts: [51679] });
    expect(rules[0]).toContain('--ctstate ESTABLISHED,RELATED -j ACCEPT');
    expect(rules).toContain('-p udp -m udp --dport 53 -j ACCEPT');
    expect(rules).toContain('-p tcp -m tcp --dport 53 -j ACCEPT');
    expect(rules).toContain('-d 10.213.0.1/32 -p tcp -m tcp --dport 51679 -j ACCEPT');
    expect(rules.join('\n')).not.toContain('-m socket');
    // A port named twice is one rule.
    expect(rules.filter((r) => r.includes('--dport 4566'))).toHaveLength(1);
    expect(rules).toContain('-p tcp -m tcp --dport 8443 -j ACCEPT');
    expect(rules.slice(-2)).toEqual(['-p tcp -j REJECT --reject-with tcp-reset', '-j REJECT --reject-with icmp-port-unreachable']);
  });

  it('lets the admitted hosts, replies and published ports be forwarded to tasks, and refuses the rest from outside', () => {
    expect(forwardChain('a'.repeat(15)).length).toBeLessThanOrEqual(28);
    const rules = forwardRules({ bridge: 'mt1', admitFrom: ['10.216.0.1', '10.216.0.1'] });
    // Task to task on the bridge is not the guard's concern.
    expect(rules[0]).toBe('-i mt1 -j RETURN');
    expect(rules).toContain('-m conntrack --ctstate DNAT -j ACCEPT');
    expect(rules.filter((r) => r.startsWith('-s '))).toEqual(['-s 10.216.0.1/32 -j ACCEPT']);
    expect(rules.slice(-2)).toEqual(['-p tcp -j REJECT --reject-with tcp-reset', '-j REJECT --reject-with icmp-port-unreachable']);
  });

  it('lets only neighbour discovery and replies in over IPv6', () => {
    const rules = ipv6Rules();
    expect(rules.filter((r) => r.endsWith('-j ACCEPT'))).toHaveLength(3);
    expect(rules.at(-1)).toBe('-j REJECT --reject-with icmp6-port-unreachable');
  });

  it('replaces the chain in one iptables-restore transaction', () => {
    expect(restoreInput('MINATO-b', ['-j ACCEPT', '-j REJECT'])).toBe('*filter\n:MINATO-b - [0:0]\n-A MINATO-b -j ACCEPT\n-A MINATO-b -j REJECT\nCOMMIT\n');
  });
});
