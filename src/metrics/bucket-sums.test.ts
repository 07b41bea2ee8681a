import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Scope } from '../lib/scope.js';
import { postgresMissing, startPostgresServer, type PostgresServer } from '../store/postgres-server.fixtures.js';
import { MetricService, openMetricService } from './metric-service.js';
import { PostgresMetricStore } from './postgres-metric-store.js';
import { timeGrid } from './periods.js';
import type { SqliteMetricStore } from './sqlite-metric-store.js';

const now = new Date('2026-12-06T12:00:00Z');
const scope: Scope = { accountId: '000000000000', region: 'us-east-1', principalArn: 'arn:aws:iam::000000000000:root', now };
const base = Date.parse('2026-12-06T10:00:00Z');
const SPAN = 2 * 3600_000;

/** A datum within the two hours before `now`: one value, a value list or a statistic set, of one of two units and resolutions. */
const datum = fc.record({
  offsetMs: fc.integer({ min: 0, max: SPAN - 1 }),
  form: fc.constantFrom('value', 'values', 'set'),
  value: fc.integer({ min: -1000, max: 1000 }),
  spread: fc.integer({ min: 0, max: 50 }),
  unit: fc.constantFrom('Milliseconds', 'Count'),
  resolution: fc.constantFrom(1, 60),
});

/**
 * The property: bucket sums equal the aggregates of the data read one by one. `service` gives the
 * service to use and the namespace of a run (a fresh store, or a fresh namespace of a shared one).
 */
function sumsEqualData(service: () => Promise<{ metrics: MetricService; namespace: string; done(): Promise<void> }>, numRuns: number) {
  return async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(datum, { minLength: 1, maxLength: 40 }),
        fc.constantFrom(1, 10, 30, 60, 300, 3600, 7200),
        // Hour-aligned grids (read from the hourly rows) as often as others.
        fc.oneof(fc.constant(0), fc.constant(3600), fc.integer({ min: 0, max: 7199 })),
        fc.oneof(fc.constant(SPAN / 1000), fc.integer({ min: 1, max: SPAN / 1000 })),
        fc.constantFrom(undefined, 'Count'),
        fc.boolean(),
        async (data, period, startOffsetS, endOffsetS, unit, splitUnits) => {
          if (endOffsetS <= startOffsetS) return;
          const { metrics, namespace, done } = await service();
          try {
            await metrics.put(scope, {
              Namespace: namespace,
              MetricData: data.map((d) => ({
                MetricName: 'M',
                Timestamp: (base + d.offsetMs) / 1000,
                Unit: d.unit,
                StorageResolution: d.resolution,
                ...(d.form === 'value'
                  ? { Value: d.value }
                  : d.form === 'values'
                    ? { Values: [d.value, d.value + d.spread], Counts: [2, 1] }
                    : { StatisticValues: { SampleCount: 3, Sum: 3 * d.value + d.spread, Minimum: d.value, Maximum: d.value + d.spread } }),
              })),
            });
            const grid = timeGrid(base + startOffsetS * 1000, base + endOffsetS * 1000, period, now);
            const metric = await metrics.metric(scope, namespace, 'M');
            const read = await metrics.buckets(metric, grid, period, now, unit, { splitUnits, values: true });
            const summed = await metrics.buckets(metric, grid, period, now, unit, { splitUnits, values: false });
            expect(summed.map((b) => [b.start, b.unit])).toEqual(read.map((b) => [b.start, b.unit]));
            summed.forEach((b, i) => {
              const a = read[i]!.aggregate;
              expect([b.aggregate.sampleCount, b.aggregate.min, b.aggregate.max]).toEqual([a.sampleCount, a.min, a.max]);
              // Integers: sums are exact either way.
              expect(b.aggregate.sum).toBe(a.sum);
            });
          } finally {
            await done();
          }
        },
      ),
      { numRuns },
    );
  };
}

describe('bucket sums computed by the store', () => {
  it(
    'equal the aggregates of the data read one by one, for every period, start and unit filter',
    sumsEqualData(async () => {
      const metrics = openMetricService(':memory:');
      return { metrics, namespace: 'P', done: () => metrics.close() };
    }, 300),
  );

  const missing = postgresMissing();
  describe.skipIf(missing !== undefined)(missing ?? 'on PostgreSQL', () => {
    let server: PostgresServer;
    let metrics: MetricService;
    let run = 0;
    beforeAll(async () => {
      server = await startPostgresServer();
      metrics = new MetricService(await PostgresMetricStore.open({ connectionString: await server.createDatabase(), poolSize: 2 }));
    });
    afterAll(async () => {
      await metrics?.close();
      await server?.stop();
    });

    it(
      'equal the aggregates of the data read one by one there too',
      sumsEqualData(async () => ({ metrics, namespace: `P${run++}`, done: async () => {} }), 100),
    );
  });

  it('are kept per hour for a database written before, and expire with the data', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'minato-sums-')), 'metrics.db');
    try {
      let metrics = openMetricService(file);
      await metrics.put(scope, { Namespace: 'P', MetricData: [1, 2, 3].map((v, i) => ({ MetricName: 'M', Timestamp: (base + i * 1800_000) / 1000, Value: v })) });
      // As an earlier version left it: data, and no hourly rows.
      (metrics.store as SqliteMetricStore).database.exec('DROP TABLE hourly');
      await metrics.close();
      metrics = openMetricService(file);
      const request = { Namespace: 'P', MetricName: 'M', StartTime: base / 1000, EndTime: (base + SPAN) / 1000, Period: 3600, Statistics: ['Sum', 'SampleCount'] };
      expect((await metrics.statistics(scope, request))).toEqual([
        { Timestamp: base / 1000, Unit: 'None', Sum: 3, SampleCount: 2 },
        { Timestamp: (base + 3600_000) / 1000, Unit: 'None', Sum: 3, SampleCount: 1 },
      ]);
      const rows = () => (metrics.store as SqliteMetricStore).database.prepare('SELECT COUNT(*) AS n FROM hourly').get() as { n: number };
      expect(rows().n).toBe(2);
      await metrics.store.expire(base + 3600_000, 1000);
      expect(rows().n).toBe(1);
      await metrics.close();
    } finally {
      rmSync(dirname(file), { recursive: true, force: true });
    }
  });

  it('keep a datum of one value readable for percentiles without storing its values', async () => {
    const metrics = openMetricService(':memory:');
    try {
      await metrics.put(scope, { Namespace: 'P', MetricData: [7, 3, 9].map((v, i) => ({ MetricName: 'M', Timestamp: (base + i * 1000) / 1000, Value: v })) });
      const request = { Namespace: 'P', MetricName: 'M', StartTime: base / 1000, EndTime: (base + 60_000) / 1000, Period: 60 };
      expect((await metrics.statistics(scope, { ...request, ExtendedStatistics: ['p50', 'p100'] }))).toEqual([{ Timestamp: base / 1000, Unit: 'None', ExtendedStatistics: { p50: 7, p100: 9 } }]);
      expect((await metrics.statistics(scope, { ...request, Statistics: ['Average', 'SampleCount'] }))).toEqual([{ Timestamp: base / 1000, Unit: 'None', Average: 19 / 3, SampleCount: 3 }]);
    } finally {
      await metrics.close();
    }
  });
});
