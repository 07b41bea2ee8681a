import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FirewallRule } from '../../agent-contract/task-firewall.js';
import { groupMembers, membersAt, taskFirewall, type GroupRule, type GroupView } from './security-rules.js';

const ADDRESSES = ['10.213.0.2', '10.213.0.3', '10.213.0.4', '10.213.0.5', '10.213.0.1'];
const GROUPS = ['sg-a', 'sg-b', 'sg-c', 'sg-d'];

/** Whether a block holds an address (the blocks generated are /32s and 0.0.0.0/0). */
const holds = (cidr: string, address: string) => cidr === '0.0.0.0/0' || cidr === `${address}/32` || cidr === address;

const inRange = (protocol: string, from: number, to: number, port: number) => protocol !== 'tcp' && protocol !== 'udp' ? true : from <= port && port <= to;

/** Whether a security group rule itself admits a flow (the meaning taskFirewall must keep). */
function ruleAdmits(r: GroupRule, members: ReadonlyMap<string, readonly string[]>, protocol: string, port: number, peer: string): boolean {
  const sameProtocol = r.ipProtocol === '-1' || r.ipProtocol === protocol;
  const peerOk = r.cidrIpv4 !== undefined ? holds(r.cidrIpv4, peer) : r.referencedGroupId !== undefined && (members.get(r.referencedGroupId) ?? []).includes(peer);
  return sameProtocol && (r.ipProtocol === '-1' || inRange(protocol, r.fromPort, r.toPort, port)) && peerOk;
}

const firewallAdmits = (rules: readonly FirewallRule[], protocol: string, port: number, peer: string) =>
  rules.some((r) => (r.protocol === 'all' || r.protocol === protocol) && (r.protocol === 'all' || inRange(protocol, r.fromPort, r.toPort, port)) && r.cidrs.some((c) => holds(c, peer)));

const rule: fc.Arbitrary<GroupRule> = fc
  .record({
    isEgress: fc.boolean(),
    ipProtocol: fc.constantFrom('tcp', 'udp', '-1'),
    from: fc.integer({ min: 0, max: 20 }),
    span: fc.integer({ min: 0, max: 10 }),
    peer: fc.oneof(fc.constantFrom(...ADDRESSES.map((a) => `${a}/32`), '0.0.0.0/0').map((c) => ({ cidrIpv4: c })), fc.constantFrom(...GROUPS).map((g) => ({ referencedGroupId: g }))),
  })
  .map(({ isEgress, ipProtocol, from, span, peer }) => ({ isEgress, ipProtocol, fromPort: ipProtocol === '-1' ? -1 : from, toPort: ipProtocol === '-1' ? -1 : from + span, ...peer }));

const world = fc.record({
  groups: fc.array(fc.record({ groupId: fc.constantFrom(...GROUPS), rules: fc.array(rule, { maxLength: 5 }) }), { maxLength: 4 }).map((gs) => [...new Map(gs.map((g) => [g.groupId, g])).values()] as GroupView[]),
  members: fc.array(fc.record({ groupIds: fc.subarray(GROUPS), address: fc.option(fc.constantFrom(...ADDRESSES), { nil: undefined }) }), { maxLength: 6 }),
  taskGroups: fc.subarray(GROUPS, { minLength: 1 }),
});

describe('a task\'s firewall from its security groups', () => {
  it('admits exactly the flows some rule of the task\'s groups admits, in each direction', () => {
    fc.assert(
      fc.property(world, fc.constantFrom('tcp', 'udp'), fc.integer({ min: 0, max: 32 }), fc.constantFrom(...ADDRESSES, '192.0.2.1'), ({ groups, members, taskGroups }, protocol, port, peer) => {
        const m = groupMembers(members.map((x) => ({ groupIds: x.groupIds, ...(x.address !== undefined && { address: x.address }) })));
        const fw = taskFirewall(taskGroups, groups, m);
        for (const egress of [false, true]) {
          const expected = groups.filter((g) => taskGroups.includes(g.groupId)).some((g) => g.rules.some((r) => r.isEgress === egress && ruleAdmits(r, m, protocol, port, peer)));
          expect(firewallAdmits(egress ? fw.egress : fw.ingress, protocol, port, peer)).toBe(expected);
        }
      }),
    );
  });

  it('does not depend on the order of groups, rules or members, and has no empty rule', () => {
    fc.assert(
      fc.property(world, fc.integer(), ({ groups, members, taskGroups }, seed) => {
        const shuffle = <T>(xs: readonly T[]) => [...xs].map((x, i) => [((i + 1) * (seed | 1)) % 97, x] as const).sort((a, b) => a[0] - b[0]).map(([, x]) => x);
        const plain = members.map((x) => ({ groupIds: x.groupIds, ...(x.address !== undefined && { address: x.address }) }));
        const fw = taskFirewall(taskGroups, groups, groupMembers(plain));
        const again = taskFirewall(shuffle(taskGroups), shuffle(groups.map((g) => ({ ...g, rules: shuffle(g.rules) }))), groupMembers(shuffle(plain)));
        expect(again).toEqual(fw);
        expect([...fw.ingress, ...fw.egress].every((r) => r.cidrs.length > 0)).toBe(true);
      }),
    );
  });

  it('the default group admits its own members, and lets everything out', () => {
    const group: GroupView = { groupId: 'sg-d', rules: [
      { isEgress: false, ipProtocol: '-1', fromPort: -1, toPort: -1, referencedGroupId: 'sg-d' },
      { isEgress: true, ipProtocol: '-1', fromPort: -1, toPort: -1, cidrIpv4: '0.0.0.0/0' },
      { isEgress: false, ipProtocol: 'icmpv6', fromPort: -1, toPort: -1, cidrIpv4: '0.0.0.0/0' },
    ] };
    const fw = taskFirewall(['sg-d'], [group], groupMembers([{ groupIds: ['sg-d'], address: '10.213.0.9' }, { groupIds: ['sg-d'], address: '10.213.0.3' }, { groupIds: ['sg-x'], address: '10.213.0.4' }]));
    expect(fw).toEqual({
      ingress: [{ protocol: 'all', fromPort: -1, toPort: -1, cidrs: ['10.213.0.3/32', '10.213.0.9/32'] }],
      egress: [{ protocol: 'all', fromPort: -1, toPort: -1, cidrs: ['0.0.0.0/0'] }],
    });
    // A group without members admits nobody; a group that is gone contributes nothing.
    expect(taskFirewall(['sg-d', 'sg-gone'], [group], new Map()).ingress).toEqual([]);
  });

  it('admits group members of other hosts as destinations only: as sources they arrive masqueraded as their host', () => {
    const HOSTS = [undefined, 'ci-1', 'ci-2'];
    const placed = fc.array(fc.record({ groupIds: fc.subarray(GROUPS), address: fc.constantFrom(...ADDRESSES.slice(0, 4)), host: fc.constantFrom(...HOSTS) }), { maxLength: 6 });
    fc.assert(
      fc.property(world, placed, fc.constantFrom(...HOSTS), fc.constantFrom(...ADDRESSES), ({ groups, taskGroups }, tasks, here, peer) => {
        const members = tasks.map((t) => ({ groupIds: t.groupIds, address: t.address, ...(t.host !== undefined && { containerInstanceArn: t.host }) }));
        const lb = { groupIds: ['sg-a'], address: '10.213.0.1' };
        const seen = membersAt(here, members, [lb]);
        const fw = taskFirewall(taskGroups, groups, seen.destinations, seen.sources);
        const local = groupMembers([...members.filter((m) => m.containerInstanceArn === here), lb]);
        const everywhere = groupMembers([...members, lb]);
        for (const egress of [false, true]) {
          const m = egress ? everywhere : local;
          const expected = groups.filter((g) => taskGroups.includes(g.groupId)).some((g) => g.rules.some((r) => r.isEgress === egress && ruleAdmits(r, m, 'tcp', 5, peer)));
          expect(firewallAdmits(egress ? fw.egress : fw.ingress, 'tcp', 5, peer)).toBe(expected);
        }
      }),
    );
    // Concretely: a member on the same host gets in, the same group's member elsewhere does not, and is still reached.
    const group: GroupView = { groupId: 'sg-a', rules: [
      { isEgress: false, ipProtocol: 'tcp', fromPort: 80, toPort: 80, referencedGroupId: 'sg-b' },
      { isEgress: true, ipProtocol: 'tcp', fromPort: 80, toPort: 80, referencedGroupId: 'sg-b' },
    ] };
    const seen = membersAt('ci-1', [{ groupIds: ['sg-b'], address: '10.215.0.5', containerInstanceArn: 'ci-1' }, { groupIds: ['sg-b'], address: '10.213.0.7' }], []);
    expect(taskFirewall(['sg-a'], [group], seen.destinations, seen.sources)).toEqual({
      ingress: [{ protocol: 'tcp', fromPort: 80, toPort: 80, cidrs: ['10.215.0.5/32'] }],
      egress: [{ protocol: 'tcp', fromPort: 80, toPort: 80, cidrs: ['10.213.0.7/32', '10.215.0.5/32'] }],
    });
  });
});
