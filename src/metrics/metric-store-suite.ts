import { describe, expect, it } from 'vitest';
import type { CheckedDatum } from './datum-rules.js';
import type { MetricStore } from './metric-store.js';

const T = Date.UTC(2026, 11, 6, 12, 0, 0);
const MIN = 60_000;
const HOUR = 3600_000;

const datum = (name: string, timestamp: number, value: number, over: Partial<CheckedDatum> = {}): CheckedDatum => ({
  metricName: name,
  dimensions: [{ Name: 'Host', Value: 'a' }],
  timestamp,
  unit: 'Count',
  storageResolution: 60,
  samples: { count: 1, sum: value, min: value, max: value, values: [[value, 1]] },
  ...over,
});

const hostA = [{ Name: 'Host', Value: 'a' }];

/**
 * The behaviour every MetricStore must have. Run it against each implementation
 * (`describeMetricStoreSuite('sqlite', async () => new SqliteMetricStore(':memory:'))`); with
 * `openTwo`, two stores on one database (two processes) are also checked.
 */
export function describeMetricStoreSuite(name: string, open: () => Promise<MetricStore>, openTwo?: () => Promise<[MetricStore, MetricStore]>): void {
  const using = (test: (store: MetricStore) => Promise<void>) => async () => {
    const store = await open();
    try {
      await test(store);
    } finally {
      await store.close();
    }
  };

  describe(`MetricStore suite: ${name}`, () => {
    it(
      'creates a metric once per name and dimension set, keeps its latest put time and its data in time order',
      using(async (store) => {
        await store.put('us-east-1', 'App', [datum('Latency', T + 2000, 5), datum('Latency', T + 1000, 3, { unit: 'Milliseconds' })], T + 10_000);
        await store.putMany([
          { region: 'us-east-1', namespace: 'App', data: [datum('Latency', T + 3000, 7)], now: T + 5_000 },
          { region: 'us-east-1', namespace: 'App', data: [datum('Latency', T + 500, 1, { dimensions: [{ Name: 'Host', Value: 'b' }] })], now: T + 20_000 },
          { region: 'eu-west-1', namespace: 'App', data: [datum('Latency', T, 9)], now: T },
        ]);
        const m = (await store.metric('us-east-1', 'App', 'Latency', hostA))!;
        expect(m).toMatchObject({ region: 'us-east-1', namespace: 'App', metricName: 'Latency', dimensions: hostA, lastPut: T + 10_000 });
        expect(await store.metric('us-east-1', 'App', 'Latency', [])).toBeUndefined();
        expect(await store.metric('us-east-1', 'Other', 'Latency', hostA)).toBeUndefined();
        const data = await store.data(m.id, T, T + MIN);
        expect(data.map((d) => [d.timestamp, d.unit, d.samples.sum])).toEqual([
          [T + 1000, 'Milliseconds', 3],
          [T + 2000, 'Count', 5],
          [T + 3000, 'Count', 7],
        ]);
        expect((await store.data(m.id, T, T + MIN, 'Count')).map((d) => d.timestamp)).toEqual([T + 2000, T + 3000]);
        expect((await store.data(m.id, T + 2000, T + 3000)).map((d) => d.timestamp)).toEqual([T + 2000]);
        const other = (await store.metric('eu-west-1', 'App', 'Latency', hostA))!;
        expect(other.id).not.toBe(m.id);
      }),
    );

    it(
      'keeps a metric of thirty dimensions of long values apart from one that differs in a single character',
      using(async (store) => {
        // Values that do not compress: each of 1,024 characters, thirty of them (CloudWatch's limits).
        let seed = 7;
        const noise = () => Array.from({ length: 1024 }, () => String.fromCharCode(33 + ((seed = (seed * 48271) % 2147483647) % 90))).join('');
        const long = Array.from({ length: 30 }, (_, i) => ({ Name: `Dim${String(i).padStart(2, '0')}`, Value: noise() }));
        const other = long.map((d, i) => (i === 29 ? { ...d, Value: `${d.Value.slice(0, -1)}~` } : d));
        await store.put('us-east-1', 'App', [datum('M', T, 1, { dimensions: long }), datum('M', T, 2, { dimensions: other })], T);
        const a = (await store.metric('us-east-1', 'App', 'M', long))!;
        const b = (await store.metric('us-east-1', 'App', 'M', other))!;
        expect(a.dimensions).toEqual(long);
        expect(a.id).not.toBe(b.id);
        expect((await store.data(b.id, T, T + 1)).map((d) => d.samples.sum)).toEqual([2]);
      }),
    );

    it(
      'gives back sample sets, raw values and storage resolution as stored',
      using(async (store) => {
        await store.put(
          'us-east-1',
          'App',
          [
            datum('M', T, 0, { storageResolution: 1, samples: { count: 4, sum: 106, min: 1, max: 100, values: [[1, 1], [2, 1], [3, 1], [100, 1]] } }),
            datum('M', T + 1000, 0, { samples: { count: 3, sum: 30, min: 5, max: 15 } }),
            datum('M', T + 2000, 4),
          ],
          T,
        );
        const m = (await store.metric('us-east-1', 'App', 'M', hostA))!;
        expect((await store.data(m.id, T, T + MIN)).map((d) => [d.storageResolution, d.samples])).toEqual([
          [1, { count: 4, sum: 106, min: 1, max: 100, values: [[1, 1], [2, 1], [3, 1], [100, 1]] }],
          [60, { count: 3, sum: 30, min: 5, max: 15 }],
          [60, { count: 1, sum: 4, min: 4, max: 4, values: [[4, 1]] }],
        ]);
      }),
    );

    it(
      'sums buckets where the data lie, per unit or together, from hourly sums and data alike',
      using(async (store) => {
        const data: CheckedDatum[] = [];
        // Three hours of one datum a minute (value = minute of the hour), plus a high-resolution datum in Seconds.
        for (let m = 0; m < 180; m++) data.push(datum('M', T + m * MIN + 30_000, m % 60));
        data.push(datum('M', T + 61 * MIN + 1000, 1000, { unit: 'Seconds', storageResolution: 1 }));
        await store.put('us-east-1', 'App', data, T);
        const id = (await store.metric('us-east-1', 'App', 'M', hostA))!.id;
        const sum60 = (59 * 60) / 2;
        // Hour-aligned with an hour period: hourly rows, and the partial last hour from the data.
        expect(await store.bucketSums(id, { start: T, end: T + 2 * HOUR + 30 * MIN, periodMs: HOUR }, undefined, true)).toEqual([
          { bucket: 0, unit: 'Count', count: 60, sum: sum60, min: 0, max: 59 },
          { bucket: 1, unit: 'Count', count: 60, sum: sum60, min: 0, max: 59 },
          { bucket: 1, unit: 'Seconds', count: 1, sum: 1000, min: 1000, max: 1000 },
          { bucket: 2, unit: 'Count', count: 30, sum: (29 * 30) / 2, min: 0, max: 29 },
        ]);
        expect(await store.bucketSums(id, { start: T, end: T + 2 * HOUR, periodMs: 2 * HOUR }, undefined, false)).toEqual([
          { bucket: 0, unit: '', count: 121, sum: 2 * sum60 + 1000, min: 0, max: 1000 },
        ]);
        expect(await store.bucketSums(id, { start: T, end: T + 3 * HOUR, periodMs: 3 * HOUR }, 'Seconds', false)).toEqual([
          { bucket: 0, unit: 'Seconds', count: 1, sum: 1000, min: 1000, max: 1000 },
        ]);
        // Not hour-aligned: from the data; standard-resolution data counts at its minute.
        expect(await store.bucketSums(id, { start: T + 30_000, end: T + 3 * MIN, periodMs: MIN }, 'Count', true)).toEqual([
          { bucket: 0, unit: 'Count', count: 1, sum: 1, min: 1, max: 1 },
          { bucket: 1, unit: 'Count', count: 1, sum: 2, min: 2, max: 2 },
        ]);
        expect(await store.bucketSums(id, { start: T + 61 * MIN, end: T + 62 * MIN, periodMs: 10_000 }, undefined, true)).toEqual([
          { bucket: 0, unit: 'Seconds', count: 1, sum: 1000, min: 1000, max: 1000 },
          { bucket: 0, unit: 'Count', count: 1, sum: 1, min: 1, max: 1 },
        ].sort((a, b) => (a.unit < b.unit ? -1 : 1)));
      }),
    );

    it(
      'lists metrics of a region in id order by namespace, name and publication time, in pages',
      using(async (store) => {
        // Created one put after the other, so that their ids follow this order.
        await store.put('us-east-1', 'App', [datum('A', T, 1)], T);
        await store.put('us-east-1', 'App', [datum('B', T, 1)], T);
        await store.put('us-east-1', 'App', [datum('A', T, 1, { dimensions: [] })], T);
        await store.put('us-east-1', 'Old', [datum('A', T, 1)], T - 5 * HOUR);
        await store.put('eu-west-1', 'App', [datum('A', T, 1)], T);
        const names = (ms: Awaited<ReturnType<MetricStore['metrics']>>) => ms.map((m) => `${m.namespace}/${m.metricName}/${m.dimensions.length}`);
        const all = await store.metrics({ region: 'us-east-1', since: 0, limit: 10 });
        expect(names(all)).toEqual(['App/A/1', 'App/B/1', 'App/A/0', 'Old/A/1']);
        expect(all.map((m) => m.id)).toEqual([...all.map((m) => m.id)].sort((a, b) => a - b));
        expect(names(await store.metrics({ region: 'us-east-1', namespace: 'App', metricName: 'A', since: 0, limit: 10 }))).toEqual(['App/A/1', 'App/A/0']);
        expect(names(await store.metrics({ region: 'us-east-1', since: T - HOUR, limit: 10 }))).toEqual(['App/A/1', 'App/B/1', 'App/A/0']);
        const first = await store.metrics({ region: 'us-east-1', since: 0, limit: 2 });
        expect(names(await store.metrics({ region: 'us-east-1', since: 0, limit: 10, afterId: first[1]!.id }))).toEqual(['App/A/0', 'Old/A/1']);
      }),
    );

    it(
      'expires old data in bounded batches, then the metrics left without data',
      using(async (store) => {
        const old: CheckedDatum[] = [];
        for (let i = 0; i < 25; i++) old.push(datum(`M${i % 5}`, T - 3 * HOUR + i * 1000, 1));
        await store.put('us-east-1', 'App', old, T - 3 * HOUR);
        await store.put('us-east-1', 'App', [datum('M0', T, 2)], T);
        expect(await store.expire(T - HOUR, 10)).toBe(10);
        expect(await store.expire(T - HOUR, 10)).toBe(10);
        expect(await store.expire(T - HOUR, 10)).toBe(5);
        expect(await store.expire(T - HOUR, 10)).toBe(0);
        expect((await store.metrics({ region: 'us-east-1', since: 0, limit: 10 })).map((m) => m.metricName)).toEqual(['M0']);
        const m0 = (await store.metric('us-east-1', 'App', 'M0', hostA))!;
        expect((await store.data(m0.id, 0, T + HOUR)).map((d) => d.samples.sum)).toEqual([2]);
        // The hourly sums of the expired hours went with them.
        expect(await store.bucketSums(m0.id, { start: T - 3 * HOUR, end: T + HOUR, periodMs: HOUR }, undefined, false)).toEqual([
          { bucket: 3, unit: '', count: 1, sum: 2, min: 2, max: 2 },
        ]);
        // A metric swept away is created anew by its next put.
        await store.put('us-east-1', 'App', [datum('M3', T, 5)], T);
        const m3 = (await store.metric('us-east-1', 'App', 'M3', hostA))!;
        expect((await store.data(m3.id, 0, T + HOUR)).map((d) => d.samples.sum)).toEqual([5]);
      }),
    );

    if (openTwo) {
      it('lets two processes create the same metrics at once, each once, every datum kept', async () => {
        const [a, b] = await openTwo();
        try {
          const batch = (store: MetricStore, k: number) =>
            store.put('us-east-1', 'App', Array.from({ length: 50 }, (_, i) => datum(`M${i % 25}`, T + k * 1000 + i, 1, { dimensions: [{ Name: 'Host', Value: `h${i % 5}` }] })), T + k);
          await Promise.all(Array.from({ length: 8 }, (_, k) => batch(k % 2 === 0 ? a : b, k)));
          const listed = await b.metrics({ region: 'us-east-1', since: 0, limit: 1000 });
          expect(listed).toHaveLength(25);
          expect(new Set(listed.map((m) => `${m.metricName}/${m.dimensions[0]!.Value}`)).size).toBe(25);
          let count = 0;
          for (const m of listed) count += (await a.data(m.id, 0, T + HOUR)).length;
          expect(count).toBe(400);
          expect(Math.max(...listed.map((m) => m.lastPut))).toBe(T + 7);
        } finally {
          await a.close();
          await b.close();
        }
      });
    }
  });
}
