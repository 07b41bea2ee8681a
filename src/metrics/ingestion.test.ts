import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Scope } from '../lib/scope.js';
import type { CheckedDatum } from './datum-rules.js';
import { GroupCommit } from './group-commit.js';
import type { MetricStore, PutBatch } from './metric-store.js';
import { MetricService } from './metric-service.js';
import { SqliteMetricStore } from './sqlite-metric-store.js';

const now = new Date('2026-12-06T12:00:00Z');
const scope: Scope = { accountId: '000000000000', region: 'us-east-1', principalArn: 'arn:aws:iam::000000000000:root', now };
const at = (minutesAgo: number) => now.getTime() - minutesAgo * 60_000;

const datum = (name: string, timestamp: number, value: number, host = 'a'): CheckedDatum => ({
  metricName: name,
  dimensions: [{ Name: 'Host', Value: host }],
  timestamp,
  unit: 'Count',
  storageResolution: 60,
  samples: { count: 1, sum: value, min: value, max: value, values: [[value, 1]] },
});
const batch = (data: CheckedDatum[], when = now.getTime()): PutBatch => ({ region: 'us-east-1', namespace: 'App', data, now: when });
const sumOf = async (store: MetricStore, name: string, host = 'a') => {
  const m = (await store.metric('us-east-1', 'App', name, [{ Name: 'Host', Value: host }]));
  return m && (await store.data(m.id, 0, Number.MAX_SAFE_INTEGER)).reduce((s, d) => s + d.samples.sum, 0);
};

const dirs: string[] = [];
const dbFile = () => {
  const dir = mkdtempSync(join(tmpdir(), 'minato-ingest-'));
  dirs.push(dir);
  return join(dir, 'metrics.db');
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('ingestion into the SQLite store', () => {
  it('keeps data staged by a process that never closed the database (a crash)', async () => {
    const file = dbFile();
    const crashed = new SqliteMetricStore(file);
    await crashed.putMany([batch([datum('M', at(3), 1), datum('M', at(2), 2)]), batch([datum('M', at(1), 4, 'b')])]);
    // No close: the staged rows are only in the committed WAL, as after kill -9.
    const reopened = new SqliteMetricStore(file);
    try {
      expect(await sumOf(reopened, 'M')).toBe(3);
      expect(await sumOf(reopened, 'M', 'b')).toBe(4);
      expect(reopened.database.prepare('SELECT COUNT(*) AS n FROM staged').get()).toEqual({ n: 0 });
    } finally {
      await reopened.close();
      await crashed.close();
    }
  });

  it('reads staged and moved data alike, in time order, and moves large batches on its own', async () => {
    const store = new SqliteMetricStore(dbFile());
    try {
      // 60,000 data over 100 metrics: more than one move's worth, some moved by the writes themselves.
      for (let r = 0; r < 60; r++) {
        await store.put('us-east-1', 'App', Array.from({ length: 1000 }, (_, i) => datum('M', at(100 - ((r + i) % 90)), 1, `h${i % 100}`)), now.getTime());
      }
      const staged = (store.database.prepare('SELECT COUNT(*) AS n FROM staged').get() as { n: number }).n;
      expect(staged).toBeGreaterThan(0);
      expect(staged).toBeLessThan(60_000);
      const m = (await store.metric('us-east-1', 'App', 'M', [{ Name: 'Host', Value: 'h7' }]))!;
      const data = (await store.data(m.id, 0, Number.MAX_SAFE_INTEGER));
      expect(data).toHaveLength(600);
      expect(data.map((d) => d.timestamp)).toEqual([...data.map((d) => d.timestamp)].sort((a, b) => a - b));
    } finally {
      await store.close();
    }
  });

  it('remembers no metric id of a transaction that rolled back', async () => {
    const store = new SqliteMetricStore(':memory:');
    try {
      // NaN is stored as NULL, which the NOT NULL columns refuse: the whole group rolls back.
      const broken = { ...datum('Other', at(1), 0), samples: { count: Number.NaN, sum: 0, min: 0, max: 0 } };
      await expect(store.putMany([batch([datum('New', at(2), 5)]), batch([broken])])).rejects.toThrow();
      expect((await store.metric('us-east-1', 'App', 'New', [{ Name: 'Host', Value: 'a' }]))).toBeUndefined();
      await store.put('us-east-1', 'App', [datum('New', at(2), 5)], now.getTime());
      expect(await sumOf(store, 'New')).toBe(5);
    } finally {
      await store.close();
    }
  });

  it('forgets metric ids when the sweep deletes metrics, and stamps last_put of remembered ones', async () => {
    const store = new SqliteMetricStore(':memory:');
    try {
      await store.put('us-east-1', 'App', [datum('M', at(30), 1)], at(30));
      await store.put('us-east-1', 'App', [datum('M', at(20), 1)], at(20));
      expect((await store.metric('us-east-1', 'App', 'M', [{ Name: 'Host', Value: 'a' }]))!.lastPut).toBe(at(20));
      await store.expire(now.getTime(), 1000);
      expect((await store.metric('us-east-1', 'App', 'M', [{ Name: 'Host', Value: 'a' }]))).toBeUndefined();
      await store.put('us-east-1', 'App', [datum('M', at(1), 7)], now.getTime());
      expect(await sumOf(store, 'M')).toBe(7);
    } finally {
      await store.close();
    }
  });
});

describe('group commit', () => {
  /** A store that records its transactions and refuses batches of namespace `Bad`. */
  const recording = () => {
    const groups: string[][] = [];
    const store = {
      async putMany(batches: readonly PutBatch[]) {
        if (batches.some((b) => b.namespace === 'Bad')) throw new Error('refused');
        groups.push(batches.map((b) => b.namespace));
      },
    } as unknown as MetricStore;
    return { groups, commit: new GroupCommit(store) };
  };

  it('writes the requests of one turn of the event loop in one transaction, and answers after it', async () => {
    const { groups, commit } = recording();
    const answered: string[] = [];
    const puts = ['A', 'B', 'C'].map((ns) => commit.put({ ...batch([]), namespace: ns }).then(() => answered.push(ns)));
    expect(groups).toEqual([]);
    await Promise.all(puts);
    await commit.put({ ...batch([]), namespace: 'D' });
    expect(groups).toEqual([['A', 'B', 'C'], ['D']]);
    expect(answered).toEqual(['A', 'B', 'C']);
  });

  it('answers a request only once its transaction has committed, on a store that commits later', async () => {
    const commits: Array<() => void> = [];
    const store = { putMany: () => new Promise<void>((resolve) => commits.push(resolve)) } as unknown as MetricStore;
    const commit = new GroupCommit(store);
    let answered = false;
    const put = commit.put(batch([])).then(() => (answered = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(commits).toHaveLength(1);
    // The next turn's requests form their own group while the first is still committing.
    const next = commit.put(batch([]));
    await new Promise((resolve) => setImmediate(resolve));
    expect([commits.length, answered]).toEqual([2, false]);
    commits[0]!();
    await put;
    expect(answered).toBe(true);
    const drained = commit.drain();
    commits[1]!();
    await Promise.all([next, drained]);
  });

  it('fails only the request that fails, when a group does', async () => {
    const { groups, commit } = recording();
    const results = await Promise.allSettled(['A', 'Bad', 'C'].map((ns) => commit.put({ ...batch([]), namespace: ns })));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(groups).toEqual([['A'], ['C']]);
  });

  it('serves PutMetricData of concurrent callers, every datum stored once', async () => {
    const metrics = new MetricService(new SqliteMetricStore(':memory:'));
    try {
      await Promise.all(
        Array.from({ length: 5 }, (_, r) =>
          metrics.putGrouped(scope, { Namespace: 'App', MetricData: Array.from({ length: 10 }, (_, i) => ({ MetricName: 'M', Timestamp: at(r * 10 + i + 1) / 1000, Value: 1 })) }),
        ),
      );
      const [point] = (await metrics.statistics(scope, { Namespace: 'App', MetricName: 'M', StartTime: at(60) / 1000, EndTime: now.getTime() / 1000, Period: 3600, Statistics: ['SampleCount'] }));
      expect(point?.SampleCount).toBe(50);
      await expect(metrics.putGrouped(scope, { Namespace: 'App', MetricData: [{ MetricName: 'M', Value: 'x' }] })).rejects.toThrow(/invalid/);
    } finally {
      await metrics.close();
    }
  });
});
