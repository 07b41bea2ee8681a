import { describe, expect, it } from 'vitest';
import { openFirewallInput, parseTaskFirewall, taskFirewallInput } from './task-firewall.js';

describe('a task\'s firewall as iptables-restore input', () => {
  it('drops by default, keeps loopback, replies and the gateway, and accepts each rule\'s flows per peer', () => {
    const input = taskFirewallInput({
      ingress: [
        { protocol: 'tcp', fromPort: 8080, toPort: 8080, cidrs: ['10.213.0.3/32', '10.213.0.4/32'] },
        { protocol: 'udp', fromPort: 1000, toPort: 2000, cidrs: ['0.0.0.0/0'] },
        { protocol: 'icmp', fromPort: 8, toPort: -1, cidrs: ['10.0.0.0/8'] },
        { protocol: 'all', fromPort: -1, toPort: -1, cidrs: ['10.213.0.9/32'] },
      ],
      egress: [{ protocol: 'tcp', fromPort: 0, toPort: 65535, cidrs: ['0.0.0.0/0'] }],
    }, '10.213.0.1');
    const lines = input.split('\n');
    expect(lines.slice(0, 4)).toEqual(['*filter', ':INPUT DROP [0:0]', ':FORWARD DROP [0:0]', ':OUTPUT DROP [0:0]']);
    expect(lines).toContain('-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT');
    expect(lines).toContain('-A INPUT -s 10.213.0.3/32 -p tcp -m tcp --dport 8080 -j ACCEPT');
    expect(lines).toContain('-A INPUT -s 10.213.0.4/32 -p tcp -m tcp --dport 8080 -j ACCEPT');
    expect(lines).toContain('-A INPUT -s 0.0.0.0/0 -p udp -m udp --dport 1000:2000 -j ACCEPT');
    expect(lines).toContain('-A INPUT -s 10.0.0.0/8 -p icmp -m icmp --icmp-type 8 -j ACCEPT');
    expect(lines).toContain('-A INPUT -s 10.213.0.9/32 -j ACCEPT');
    expect(lines).toContain('-A OUTPUT -d 10.213.0.1/32 -j ACCEPT');
    expect(lines).toContain('-A OUTPUT -d 0.0.0.0/0 -p tcp -m tcp -j ACCEPT');
    expect(lines.at(-2)).toBe('COMMIT');
  });

  it('refuses what could not be a rule (it comes over the wire)', () => {
    const bad = (r: object) => () => taskFirewallInput({ ingress: [{ protocol: 'tcp', fromPort: 1, toPort: 1, cidrs: ['10.0.0.1/32'], ...r }], egress: [] }, '10.213.0.1');
    expect(bad({ protocol: 'tcp -j ACCEPT' })).toThrow(/protocol/);
    expect(bad({ cidrs: ['10.0.0.1/32 -j ACCEPT'] })).toThrow(/block/);
    expect(bad({ toPort: 70000 })).toThrow(/port range/);
  });

  it('takes a firewall from the wire only in the contract\'s shape, keeping only its fields', () => {
    const rule = { protocol: 'tcp', fromPort: 80, toPort: 80, cidrs: ['10.215.0.3/32'] };
    expect(parseTaskFirewall(JSON.parse(JSON.stringify({ ingress: [{ ...rule, extra: 1 }], egress: [], more: true })))).toEqual({ ingress: [rule], egress: [] });
    const bad = (fw: unknown) => () => parseTaskFirewall(fw);
    expect(bad(null)).toThrow(/must be an object/);
    expect(bad({ ingress: [] })).toThrow(/egress must be a list/);
    expect(bad({ ingress: ['x'], egress: [] })).toThrow(/ingress\[0\] must be an object/);
    expect(bad({ ingress: [{ ...rule, protocol: 'tcp -j ACCEPT' }], egress: [] })).toThrow(/protocol/);
    expect(bad({ ingress: [], egress: [{ ...rule, fromPort: '80' }] })).toThrow(/port range/);
    expect(bad({ ingress: [], egress: [{ ...rule, fromPort: 1.5 }] })).toThrow(/port range/);
    for (const cidrs of [[], ['10.0.0.1'], ['10.0.0.256/32'], ['10.0.0.1/33'], [7]]) expect(bad({ ingress: [{ ...rule, cidrs }], egress: [] })).toThrow(/blocks/);
  });

  it('opens the tables of a task whose groups are not enforced', () => {
    expect(openFirewallInput()).toContain(':INPUT ACCEPT [0:0]');
  });
});
