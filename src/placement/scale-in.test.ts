import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { selectTasksToStop, type ScaleInTask } from './scale-in.js';

const task = (n: number, az: string, ci: string, over: Partial<ScaleInTask> = {}): ScaleInTask => ({
  taskArn: `arn:task/${String(n).padStart(3, '0')}`,
  availabilityZone: az,
  containerInstanceArn: ci,
  lastStatus: 'RUNNING',
  startedAt: 1000 + n,
  ...over,
});

describe('selectTasksToStop', () => {
  it('stops tasks that are not running yet first', () => {
    const tasks = [task(1, 'a', 'i1'), task(2, 'a', 'i1', { lastStatus: 'PENDING' }), task(3, 'b', 'i2')];
    expect(selectTasksToStop(tasks, 1)).toEqual(['arn:task/002']);
  });

  it('takes from the zone with the most tasks, then the instance with the most', () => {
    const tasks = [task(1, 'a', 'i1'), task(2, 'b', 'i2'), task(3, 'b', 'i2'), task(4, 'b', 'i3'), task(5, 'c', 'i4')];
    const order = selectTasksToStop(tasks, 3);
    expect(order[0]).toMatch(/00[23]$/); // zone b, instance i2 (two tasks)
    expect(order).toHaveLength(3);
    // After two from b, the zones are level at one each.
    expect(order.filter((t) => /00[234]$/.test(t))).toHaveLength(2);
  });

  it('prefers the newest among equals, ignores tasks already stopping, and stops at most what exists', () => {
    const tasks = [task(1, 'a', 'i1', { startedAt: 5 }), task(2, 'a', 'i2', { startedAt: 9 }), task(3, 'a', 'i3', { lastStatus: 'STOPPING' })];
    expect(selectTasksToStop(tasks, 5)).toEqual(['arn:task/002', 'arn:task/001']);
  });

  it('leaves the zones balanced within one when they start balanced', () => {
    const arb = fc.tuple(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 2, max: 4 }), fc.nat(), fc.array(fc.nat(5), { minLength: 1, maxLength: 30 }));
    fc.assert(
      fc.property(arb, ([perZone, zones, stop, hosts]) => {
        const tasks: ScaleInTask[] = [];
        for (let z = 0; z < zones; z++) for (let k = 0; k < perZone; k++) tasks.push(task(tasks.length, `z${z}`, `z${z}-i${hosts[tasks.length % hosts.length]}`));
        const count = stop % (tasks.length + 1);
        const stopped = new Set(selectTasksToStop(tasks, count));
        expect(stopped.size).toBe(count);
        const left = new Map<string, number>();
        for (const t of tasks) if (!stopped.has(t.taskArn)) left.set(t.availabilityZone!, (left.get(t.availabilityZone!) ?? 0) + 1);
        const counts = Array.from({ length: zones }, (_, z) => left.get(`z${z}`) ?? 0);
        expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
      }),
    );
  });
});
