import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SandboxPool, type SandboxMaker } from './sandbox-pool.js';

const tick = () => new Promise((r) => setImmediate(r));
const settle = async () => {
  for (let i = 0; i < 20; i++) await tick();
};

/** A maker that records what exists; `failNext` makes the next makes fail. */
class FakeMaker implements SandboxMaker {
  readonly live = new Set<string>();
  made = 0;
  released: string[] = [];
  failNext = 0;
  concurrent = 0;
  maxConcurrent = 0;

  async make(): Promise<string> {
    this.concurrent++;
    this.maxConcurrent = Math.max(this.maxConcurrent, this.concurrent);
    await tick();
    this.concurrent--;
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('plugin failed');
    }
    const id = `sb-${++this.made}`;
    this.live.add(id);
    return id;
  }

  async release(id: string): Promise<void> {
    await tick();
    this.live.delete(id);
    this.released.push(id);
  }
}

const noSleep = async () => undefined;

describe('SandboxPool', () => {
  it('fills to its size one sandbox at a time, and nothing before start', async () => {
    const maker = new FakeMaker();
    const pool = new SandboxPool(maker, { size: 3, onError: () => undefined, sleep: noSleep });
    await settle();
    expect(maker.made).toBe(0);
    pool.start();
    await settle();
    expect(pool.available).toBe(3);
    expect(maker.maxConcurrent).toBe(1);
    await pool.close();
  });

  it('hands out ready sandboxes and replaces each one taken', async () => {
    const maker = new FakeMaker();
    const pool = new SandboxPool(maker, { size: 2, onError: () => undefined, sleep: noSleep });
    pool.start();
    await settle();
    const a = pool.take();
    const b = pool.take();
    expect([a, b]).toEqual(['sb-1', 'sb-2']);
    // Empty until the refill catches up: the caller makes its own network meanwhile.
    expect(pool.take()).toBeUndefined();
    await settle();
    expect(pool.available).toBe(2);
    await pool.close();
    // Taken ones belong to their tasks: close releases only what is still in the pool.
    expect(maker.released.sort()).toEqual(['sb-3', 'sb-4']);
    expect([...maker.live].sort()).toEqual(['sb-1', 'sb-2']);
  });

  it('retries after failures, backing off, and reports them', async () => {
    const maker = new FakeMaker();
    maker.failNext = 3;
    const waits: number[] = [];
    const errors: string[] = [];
    const pool = new SandboxPool(maker, {
      size: 1,
      onError: (_err, what) => errors.push(what),
      sleep: async (ms) => void waits.push(ms),
      backoffMs: 100,
      maxBackoffMs: 250,
    });
    pool.start();
    await settle();
    expect(errors).toEqual(['make', 'make', 'make']);
    expect(waits).toEqual([100, 200, 250]);
    expect(pool.available).toBe(1);
    await pool.close();
    expect(maker.live.size).toBe(0);
  });

  it('releases a sandbox that was being made when it closed, and makes no more', async () => {
    const maker = new FakeMaker();
    const pool = new SandboxPool(maker, { size: 2, onError: () => undefined, sleep: noSleep });
    pool.start();
    await pool.close();
    await settle();
    expect(maker.made).toBeGreaterThan(0);
    expect(maker.live.size).toBe(0);
    expect(pool.take()).toBeUndefined();
    await settle();
    expect(maker.live.size).toBe(0);
  });

  it('leaves nothing but what was taken, whatever the interleaving of takes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 4 }), fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 12 }), async (size, steps) => {
        const maker = new FakeMaker();
        const pool = new SandboxPool(maker, { size, onError: () => undefined, sleep: noSleep });
        pool.start();
        const taken = new Set<string>();
        for (const ticks of steps) {
          for (let i = 0; i < ticks; i++) await tick();
          const id = pool.take();
          if (id) {
            expect(taken.has(id)).toBe(false);
            taken.add(id);
          }
          expect(pool.available).toBeLessThanOrEqual(size);
        }
        await pool.close();
        expect([...maker.live].sort()).toEqual([...taken].sort());
        expect(maker.maxConcurrent).toBeLessThanOrEqual(1);
      }),
    );
  });
});
