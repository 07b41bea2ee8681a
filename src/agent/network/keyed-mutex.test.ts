import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { KeyedMutex } from './keyed-mutex.js';

describe('KeyedMutex', () => {
  it('runs calls of one key one at a time, in order, and other keys alongside', async () => {
    const m = new KeyedMutex();
    const events: string[] = [];
    const job = (name: string, ms: number) => async () => {
      events.push(`start ${name}`);
      await sleep(ms);
      events.push(`end ${name}`);
      return name;
    };
    const all = Promise.all([m.run('a', job('a1', 20)), m.run('a', job('a2', 1)), m.run('b', job('b1', 1))]);
    expect(await all).toEqual(['a1', 'a2', 'b1']);
    expect(events.indexOf('end a1')).toBeLessThan(events.indexOf('start a2'));
    expect(events.indexOf('start b1')).toBeLessThan(events.indexOf('end a1'));
  });

  it('goes on after a failure, which reaches only its caller', async () => {
    const m = new KeyedMutex();
    const failed = m.run('k', () => Promise.reject(new Error('boom')));
    const next = m.run('k', () => Promise.resolve('next'));
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe('next');
  });
});
