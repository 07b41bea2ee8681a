import { describe, expect, it } from 'vitest';
import { SlotPriority, StartSlots } from './start-slots.js';

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};
const tick = () => new Promise((r) => setImmediate(r));

describe('StartSlots', () => {
  it('runs at most `limit` steps at once and starts waiting ones as slots free', async () => {
    const slots = new StartSlots(2);
    const gates = [deferred(), deferred(), deferred()];
    const started: number[] = [];
    const runs = gates.map((g, i) => slots.run(SlotPriority.NewTask, async () => (started.push(i), await g.promise, i)));
    await tick();
    expect(started).toEqual([0, 1]);
    expect([slots.running, slots.waiting]).toEqual([2, 1]);
    gates[1]!.resolve();
    await tick();
    expect(started).toEqual([0, 1, 2]);
    gates[0]!.resolve();
    gates[2]!.resolve();
    expect(await Promise.all(runs)).toEqual([0, 1, 2]);
    expect([slots.running, slots.waiting]).toEqual([0, 0]);
  });

  it('serves continuing tasks before new ones, each in arrival order', async () => {
    const slots = new StartSlots(1);
    const first = deferred();
    const order: string[] = [];
    const hold = slots.run(SlotPriority.NewTask, () => first.promise);
    const runs = [
      slots.run(SlotPriority.NewTask, async () => void order.push('new-1')),
      slots.run(SlotPriority.Continuing, async () => void order.push('cont-1')),
      slots.run(SlotPriority.NewTask, async () => void order.push('new-2')),
      slots.run(SlotPriority.Continuing, async () => void order.push('cont-2')),
    ];
    first.resolve();
    await Promise.all([hold, ...runs]);
    expect(order).toEqual(['cont-1', 'cont-2', 'new-1', 'new-2']);
  });

  it('releases the slot of a step that fails', async () => {
    const slots = new StartSlots(1);
    await expect(slots.run(SlotPriority.NewTask, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await slots.run(SlotPriority.NewTask, async () => 'next')).toBe('next');
    expect(slots.running).toBe(0);
  });

  it('refuses a limit below one', () => {
    expect(() => new StartSlots(0)).toThrow(RangeError);
  });
});
