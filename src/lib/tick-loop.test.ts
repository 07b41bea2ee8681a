import { AsyncLocalStorage } from 'node:async_hooks';
import { describe, expect, it } from 'vitest';
import { TickLoop } from './tick-loop.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('TickLoop', () => {
  it('ticks at once, runs one more tick after a nudge during a tick, never two at a time, and reports errors', async () => {
    let active = 0;
    let most = 0;
    let ticks = 0;
    const errors: unknown[] = [];
    let release: () => void = () => undefined;
    const loop = new TickLoop(
      async () => {
        ticks++;
        active++;
        most = Math.max(most, active);
        if (ticks === 1) await new Promise<void>((r) => (release = r));
        active--;
        if (ticks === 2) throw new Error('second tick fails');
      },
      60_000,
      (err) => errors.push(err),
    );
    loop.start();
    await sleep(10);
    expect(ticks).toBe(1);
    loop.nudge();
    loop.nudge();
    await sleep(10);
    expect(ticks).toBe(1);
    release();
    await sleep(20);
    // The two nudges during the first tick made one more tick, not two; the long interval none.
    expect(ticks).toBe(2);
    expect(most).toBe(1);
    expect(errors).toHaveLength(1);
    await loop.stop();
    loop.nudge();
    await sleep(10);
    expect(ticks).toBe(2);
  });

  it('runs every tick in the context it was started in, also when nudged from another', async () => {
    const who = new AsyncLocalStorage<string>();
    const seen: Array<string | undefined> = [];
    const loop = new TickLoop(async () => void seen.push(who.getStore()), 60_000);
    who.run('starter', () => loop.start());
    await sleep(10);
    who.run('request', () => loop.nudge());
    await sleep(10);
    loop.nudge();
    await sleep(10);
    await loop.stop();
    expect(seen).toEqual(['starter', 'starter', 'starter']);
  });
});
