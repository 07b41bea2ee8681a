import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
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

  it('gives no order twice once the agent has acted on it (property)', () => {
    const status = fc.constantFrom('PROVISIONING', 'PENDING', 'RUNNING', 'STOPPING');
    const taskArb = fc.record({ taskArn: fc.constantFrom('t1', 't2', 't3', 't4'), lastStatus: status, desiredStatus: fc.constantFrom('RUNNING', 'STOPPED') });
    fc.assert(
      fc.property(fc.uniqueArray(taskArb, { selector: (t) => t.taskArn }), fc.subarray(['t1', 't2', 't3', 't4', 't5']), (tasks, known) => {
        const first = ordersFor(tasks, view(known));
        // The agent acts: launched tasks become known, stopped ones stopping, forgotten ones dropped.
        const after = view(
          [...known.filter((k) => !first.forget.includes(k)), ...first.launch],
          first.stop.map((s) => s.taskArn),
        );
        const second = ordersFor(tasks, after);
        expect(second.launch).toEqual([]);
        expect(second.stop).toEqual([]);
        expect(second.forget).toEqual([]);
      }),
    );
  });
});
