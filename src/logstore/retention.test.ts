import { afterEach, describe, expect, it, vi } from 'vitest';
import { DAY, HOUR, NOW, newService, scopeAt } from './service.fixtures.js';

async function withAgedEvents() {
  const service = newService();
  const scope = scopeAt();
  await service.logs.groups.create(scope, { name: 'kept' });
  await service.logs.groups.create(scope, { name: 'short' });
  for (const group of ['kept', 'short']) {
    // 12 events from 12 days ago up to yesterday, one per day, in their own batches.
    for (let d = 12; d >= 1; d--) {
      await service.logs.appendEvents(scope, group, 's', [{ timestamp: NOW - d * DAY, message: `${group}-${d}d-${'x'.repeat(d)}` }]);
    }
  }
  await service.logs.groups.putRetention(scope, 'short', 7);
  const count = async (group: string) => service.store.countEvents((await service.store.stream((await service.logs.groups.require(scope, group)).id, 's'))!.id);
  return { ...service, scope, count };
}

describe('the retention sweep', () => {
  afterEach(() => vi.useRealTimers());

  it('deletes events older than the retention of their group, and only those', async () => {
    const { logs, scope, count } = await withAgedEvents();
    const bytesBefore = (await logs.groups.require(scope, 'short')).storedBytes;
    expect(await logs.sweepRetention(new Date(NOW))).toBe(5); // 12…8 days old
    expect(await count('short')).toBe(7);
    expect(await count('kept')).toBe(12);
    // Stored bytes drop by the deleted messages: "short-Nd-" plus N x's for N = 8…12.
    const freed = [8, 9, 10, 11, 12].reduce((sum, d) => sum + `short-${d}d-`.length + d, 0);
    expect((await logs.groups.require(scope, 'short')).storedBytes).toBe(bytesBefore - freed);
    // Later, more have expired; the events stay gone after the policy is removed.
    expect(await logs.sweepRetention(new Date(NOW + 3 * DAY))).toBe(3);
    await logs.groups.deleteRetention(scope, 'short');
    expect(await logs.sweepRetention(new Date(NOW + 30 * DAY))).toBe(0);
    expect((await logs.filterEvents(scope, { groupName: 'short' })).events).toHaveLength(4);
  });

  it('stops at its row budget and carries on where it stopped', async () => {
    const { logs, count } = await withAgedEvents();
    expect(await logs.sweepRetention(new Date(NOW), 2)).toBe(2);
    expect(await count('short')).toBe(10);
    expect(await logs.sweepRetention(new Date(NOW))).toBe(3);
  });

  it('runs on a timer with the given clock until stopped', async () => {
    const { logs, count } = await withAgedEvents();
    vi.useFakeTimers();
    let now = NOW - 30 * DAY; // nothing has expired yet at this time
    const stop = logs.startRetentionSweeper(60_000, { clock: () => new Date(now), rowsPerTurn: 2 });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(await count('short')).toBe(12);
    now = NOW;
    await vi.advanceTimersByTimeAsync(60_000);
    // Turns of 2 rows continue on later turns of the event loop until the sweep is done.
    for (let i = 0; i < 5; i++) await vi.advanceTimersByTimeAsync(1);
    expect(await count('short')).toBe(7);
    stop();
    now = NOW + 10 * DAY;
    await vi.advanceTimersByTimeAsync(5 * 60_000);
    expect(await count('short')).toBe(7);
  });

  it('reports errors and keeps running', async () => {
    const { logs } = await withAgedEvents();
    vi.useFakeTimers();
    const errors: unknown[] = [];
    let calls = 0;
    const stop = logs.startRetentionSweeper(1_000, {
      clock: () => {
        calls++;
        if (calls === 1) throw new Error('clock failed');
        return new Date(NOW + HOUR);
      },
      onError: (err) => errors.push(err),
    });
    await vi.advanceTimersByTimeAsync(2_000);
    stop();
    expect(errors).toHaveLength(1);
    expect(calls).toBe(2);
  });
});
