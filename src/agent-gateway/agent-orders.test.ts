import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { firewallDigest, type TaskFirewall } from '../agent-contract/task-firewall.js';
import { LOST_REASON, ORPHAN_REASON, ordersFor, type InstanceTask } from './agent-orders.js';

const task = (taskArn: string, lastStatus: string, desiredStatus = 'RUNNING', extra: Partial<InstanceTask> = {}): InstanceTask => ({
  taskArn,
  lastStatus,
  desiredStatus,
  ...extra,
});
const view = (known: string[] = [], stopping: string[] = [], stopped: string[] = []) => ({ known, stopping, stopped });

describe('ordersFor', () => {
  it('launches provisioning tasks the agent does not know, once', () => {
    expect(ordersFor([task('a', 'PROVISIONING')], view()).launch).toEqual(['a']);
    expect(ordersFor([task('a', 'PROVISIONING')], view(['a'])).launch).toEqual([]);
  });

  it('marks tasks the agent lost as STOPPED, and never-started stopped tasks with their own reason', () => {
    const r = ordersFor(
      [task('run', 'RUNNING'), task('gone', 'PROVISIONING', 'STOPPED', { stopCode: 'UserInitiated', stoppedReason: 'bye' })],
      view(),
    );
    expect(r.launch).toEqual([]);
    expect(r.markStopped).toEqual([
      { taskArn: 'run', reason: LOST_REASON },
      { taskArn: 'gone', reason: { stopCode: 'UserInitiated', stoppedReason: 'bye' } },
    ]);
  });

  it('orders a stop for desired STOPPED tasks unless the agent is stopping them already', () => {
    const tasks = [task('a', 'RUNNING', 'STOPPED', { stopCode: 'UserInitiated', stoppedReason: 'why' })];
    expect(ordersFor(tasks, view(['a'])).stop).toEqual([{ taskArn: 'a', reason: { stopCode: 'UserInitiated', stoppedReason: 'why' } }]);
    expect(ordersFor(tasks, view(['a'], ['a'])).stop).toEqual([]);
  });

  it('stops tasks the control plane no longer runs, and forgets finished ones it recorded', () => {
    const r = ordersFor([task('b', 'RUNNING', 'RUNNING'), task('c', 'RUNNING')], view(['orphan', 'done', 'b', 'c'], [], ['done', 'c']));
    expect(r.stop).toEqual([{ taskArn: 'orphan', reason: ORPHAN_REASON }]);
    // 'c' is stopped on the agent but its STOPPED report has not been applied yet: kept.
    expect(r.forget).toEqual(['done']);
  });

  it('sends a running task\'s firewall until the agent states it holds that one, and none to an agent that enforces none', () => {
    const fw: TaskFirewall = { ingress: [{ protocol: 'tcp', fromPort: 80, toPort: 80, cidrs: ['10.215.0.3/32'] }], egress: [] };
    const tasks = [task('a', 'RUNNING', 'RUNNING', { firewall: fw }), task('b', 'RUNNING', 'STOPPED', { firewall: fw }), task('c', 'RUNNING')];
    expect(ordersFor(tasks, { ...view(['a', 'b', 'c']), firewalls: {} }).firewalls).toEqual([{ taskArn: 'a', firewall: fw }]);
    expect(ordersFor(tasks, { ...view(['a', 'b', 'c']), firewalls: { a: 'older' } }).firewalls).toEqual([{ taskArn: 'a', firewall: fw }]);
    expect(ordersFor(tasks, { ...view(['a', 'b', 'c']), firewalls: { a: firewallDigest(fw) } }).firewalls).toEqual([]);
    // Being stopped, or not yet known (its launch carries it): no order.
    expect(ordersFor(tasks, { ...view(['a', 'b'], ['a']), firewalls: {} }).firewalls).toEqual([]);
    expect(ordersFor([task('n', 'PROVISIONING', 'RUNNING', { firewall: fw })], { ...view(), firewalls: {} }).firewalls).toEqual([]);
    // An agent that states no firewalls (an older one) is given none.
    expect(ordersFor(tasks, view(['a', 'b', 'c'])).firewalls).toEqual([]);
  });

  it('the digest of a firewall survives a JSON round trip and tells firewalls apart', () => {
    const rule = fc.record({ protocol: fc.constantFrom('tcp', 'udp', 'all'), fromPort: fc.integer({ min: -1, max: 9 }), toPort: fc.integer({ min: -1, max: 9 }), cidrs: fc.array(fc.constantFrom('10.0.0.1/32', '10.0.0.2/32'), { minLength: 1, maxLength: 2 }) });
    const firewall = fc.record({ ingress: fc.array(rule, { maxLength: 3 }), egress: fc.array(rule, { maxLength: 3 }) });
    fc.assert(
      fc.property(firewall, firewall, (a, b) => {
        const reordered = JSON.parse(JSON.stringify({ egress: a.egress.map((r) => ({ cidrs: r.cidrs, toPort: r.toPort, fromPort: r.fromPort, protocol: r.protocol })), ingress: a.ingress })) as TaskFirewall;
        expect(firewallDigest(reordered)).toBe(firewallDigest(a));
        if (JSON.stringify(a) !== JSON.stringify(b)) expect(firewallDigest(a)).not.toBe(firewallDigest(b));
      }),
    );
  });

  it('gives no order twice once the agent has acted on it (property)', () => {
    const status = fc.constantFrom('PROVISIONING', 'PENDING', 'RUNNING', 'STOPPING');
    const firewall = fc.option(fc.constantFrom<TaskFirewall>({ ingress: [], egress: [] }, { ingress: [{ protocol: 'all', fromPort: -1, toPort: -1, cidrs: ['10.0.0.1/32'] }], egress: [] }), { nil: undefined });
    const taskArb = fc.record({ taskArn: fc.constantFrom('t1', 't2', 't3', 't4'), lastStatus: status, desiredStatus: fc.constantFrom('RUNNING', 'STOPPED'), firewall }).map(({ firewall: fw, ...t }) => ({ ...t, ...(fw && { firewall: fw }) }));
    const held = fc.dictionary(fc.constantFrom('t1', 't2', 't3', 't4', 't5'), fc.constantFrom('stale', firewallDigest({ ingress: [], egress: [] })));
    fc.assert(
      fc.property(fc.uniqueArray(taskArb, { selector: (t) => t.taskArn }), fc.subarray(['t1', 't2', 't3', 't4', 't5']), held, (tasks, known, firewalls) => {
        const first = ordersFor(tasks, { ...view(known), firewalls });
        // The agent acts: launched tasks become known (with their spec's firewall), stopped ones
        // stopping, forgotten ones dropped, firewalls applied.
        const applied = { ...firewalls };
        for (const arn of first.launch) {
          const fw = tasks.find((t) => t.taskArn === arn)!.firewall;
          if (fw) applied[arn] = firewallDigest(fw);
        }
        for (const o of first.firewalls) applied[o.taskArn] = firewallDigest(o.firewall);
        const after = {
          ...view(
            [...known.filter((k) => !first.forget.includes(k)), ...first.launch],
            first.stop.map((s) => s.taskArn),
          ),
          firewalls: applied,
        };
        const second = ordersFor(tasks, after);
        expect(second.launch).toEqual([]);
        expect(second.stop).toEqual([]);
        expect(second.forget).toEqual([]);
        expect(second.firewalls).toEqual([]);
      }),
    );
  });
});
