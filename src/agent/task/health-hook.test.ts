import { afterEach, describe, expect, it, vi } from 'vitest';
import { watchHealth } from './health-hook.js';
import { fakeContext, ScriptedRuntime } from './task-run.fixtures.js';

afterEach(() => vi.useRealTimers());

describe('watchHealth', () => {
  it('reports each change of a container’s health with the task’s, then runs the follow-up', async () => {
    vi.useFakeTimers();
    const runtime = new ScriptedRuntime({ db: { probeExit: 0 } });
    const { ctx, reports } = fakeContext(
      [
        { name: 'db', image: 'busybox', healthCheck: { command: ['CMD', 'true'], interval: 1 } },
        { name: 'web', image: 'busybox', essential: false },
      ],
      '/tmp',
      runtime,
    );
    const db = ctx.containers.get('db')!;
    let followUps = 0;
    watchHealth(ctx, db, async () => void followUps++);
    expect(db.health).toBe('UNKNOWN');
    await vi.advanceTimersByTimeAsync(1100);
    db.checker!.stop();
    expect(db.health).toBe('HEALTHY');
    expect(reports).toEqual([{ healthStatus: 'HEALTHY', containers: { db: { healthStatus: 'HEALTHY' } } }]);
    expect(followUps).toBe(1);
  });
});
