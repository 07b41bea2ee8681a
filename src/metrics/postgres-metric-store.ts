import { createHash } from 'node:crypto';
import type pg from 'pg';
import { inTransaction, openMigratedPool, waitingQueryable, type Queryable } from '../store/postgres-pool.js';
import type { CheckedDatum, Dimension } from './datum-rules.js';
import { isSingleValue, toDatum } from './datum-rows.js';
import type { BucketGrid, BucketSums, MetricQuery, MetricRecord, MetricStore, PutBatch, StoredDatum } from './metric-store.js';
import { METRIC_LEDGER, METRIC_MIGRATIONS } from './postgres-metric-schema.js';
import { dimensionKey } from './sqlite-series-ids.js';

/** How to reach the database. */
export interface PostgresMetricStoreOptions {
  /** `postgres://user[:password]@host[:port]/database`, as `pg` reads it. */
  connectionString: string;
  /** Connections at most (default 5). */
  poolSize?: number;
  /** Told when an idle connection fails (the server restarted, the network dropped it). */
  onIdleError?: (err: Error) => void;
  /** How long callers wait for a server that went away (default 10 s; see postgres-outage.ts). */
  outageWaitMs?: number;
}

const HOUR = 3600_000;

// bigint columns arrive as strings; every value here is within 2^53.
interface SeriesRow {
  id: string;
  region: string;
  namespace: string;
  name: string;
  dimensions: string;
  last_put: string;
}

interface DataRow {
  timestamp: string;
  unit: string;
  resolution: number;
  count: number;
  sum: number;
  min: number;
  max: number;
  vals: string | null;
}

interface SumsRow {
  bucket: string;
  unit: string;
  count: number;
  sum: number;
  min: number;
  max: number;
}

const toMetric = (row: SeriesRow): MetricRecord => ({
  id: Number(row.id),
  region: row.region,
  namespace: row.namespace,
  metricName: row.name,
  dimensions: JSON.parse(row.dimensions) as Dimension[],
  lastPut: Number(row.last_put),
});

/** A series of a put: its key columns, and the latest request time among the batches naming it. */
interface SeriesKey {
  readonly region: string;
  readonly namespace: string;
  readonly name: string;
  readonly dimensions: string;
  lastPut: number;
}

const keyOf = (region: string, namespace: string, name: string, dimensions: string): string => JSON.stringify([region, namespace, name, dimensions]);

/** The unique key of a series: the SHA-256 of its key (a B-tree entry of the key itself could be too long). */
const identityOf = (key: string): Buffer => createHash('sha256').update(key).digest();

/** Byte-order comparison of the keys, the order in which every transaction locks series rows (no deadlock between two puts). */
const compareKeys = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The MetricStore on PostgreSQL, in the database of the document store (see
 * postgres-metric-schema.ts for the tables), so that every process sharing the database sees the
 * same metrics. A put is one transaction of three statements whatever its size: the series are
 * upserted (created or their `last_put` moved) in one statement, the data inserted in one, and the
 * hourly sums upserted in one, each from arrays; rows are locked in key order, so that concurrent
 * puts of other processes wait for each other instead of deadlocking. Bucket sums are computed in
 * SQL where the data lie, from the hourly rows where the grid allows.
 */
export class PostgresMetricStore implements MetricStore {
  private closed = false;
  /** Statements outside transactions: they wait out an outage for a connection. */
  private readonly db: Queryable;

  private constructor(readonly pool: pg.Pool) {
    this.db = waitingQueryable(pool);
  }

  /** Connects and brings the metrics' and alarms' tables up to date. */
  static async open(options: PostgresMetricStoreOptions): Promise<PostgresMetricStore> {
    const pool = await openMigratedPool(options, { poolSize: 5, applicationName: 'minato-metrics' }, METRIC_MIGRATIONS, METRIC_LEDGER);
    return new PostgresMetricStore(pool);
  }

  async put(region: string, namespace: string, data: readonly CheckedDatum[], now: number): Promise<void> {
    await this.putMany([{ region, namespace, data, now }]);
  }

  async putMany(batches: readonly PutBatch[]): Promise<void> {
    const keys = new Map<string, SeriesKey>();
    const keyOfDatum: string[][] = [];
    for (const { region, namespace, data, now } of batches) {
      const ofBatch: string[] = [];
      for (const d of data) {
        const dimensions = dimensionKey(d.dimensions);
        const key = keyOf(region, namespace, d.metricName, dimensions);
        const known = keys.get(key);
        if (!known) keys.set(key, { region, namespace, name: d.metricName, dimensions, lastPut: now });
        else if (known.lastPut < now) known.lastPut = now;
        ofBatch.push(key);
      }
      keyOfDatum.push(ofBatch);
    }
    if (keys.size === 0) return;
    const ordered = [...keys.entries()].sort((a, b) => compareKeys(a[0], b[0])).map(([, k]) => k);
    await inTransaction(this.pool, async (client) => {
      // One upsert for every series: created, or stamped; ON CONFLICT lets two processes create one at once.
      const { rows } = await client.query<{ id: string; region: string; namespace: string; name: string; dimensions: string }>(
        `INSERT INTO metric_series (region, namespace, name, dimensions, last_put, identity)
         SELECT region, namespace, name, dimensions, last_put, identity
           FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::bytea[]) WITH ORDINALITY AS k(region, namespace, name, dimensions, last_put, identity, n)
           ORDER BY n
         ON CONFLICT (identity) DO UPDATE SET last_put = GREATEST(metric_series.last_put, excluded.last_put)
         RETURNING id, region, namespace, name, dimensions`,
        [
          ordered.map((k) => k.region),
          ordered.map((k) => k.namespace),
          ordered.map((k) => k.name),
          ordered.map((k) => k.dimensions),
          ordered.map((k) => k.lastPut),
          ordered.map((k) => identityOf(keyOf(k.region, k.namespace, k.name, k.dimensions))),
        ],
      );
      const ids = new Map(rows.map((r) => [keyOf(r.region, r.namespace, r.name, r.dimensions), Number(r.id)]));
      const cols = { id: [] as number[], ts: [] as number[], unit: [] as string[], res: [] as number[], count: [] as number[], sum: [] as number[], min: [] as number[], max: [] as number[], vals: [] as Array<string | null> };
      const hourly = new Map<string, [number, number, string, number, number, number, number]>();
      batches.forEach(({ data }, b) => {
        data.forEach((d, i) => {
          const id = ids.get(keyOfDatum[b]![i]!)!;
          const s = d.samples;
          cols.id.push(id);
          cols.ts.push(d.timestamp);
          cols.unit.push(d.unit);
          cols.res.push(d.storageResolution);
          cols.count.push(s.count);
          cols.sum.push(s.sum);
          cols.min.push(s.min);
          cols.max.push(s.max);
          cols.vals.push(s.values === undefined || isSingleValue(s) ? null : JSON.stringify(s.values));
          const hour = d.timestamp - (d.timestamp % HOUR);
          const key = `${id}\n${hour}\n${d.unit}`;
          const row = hourly.get(key);
          if (!row) hourly.set(key, [id, hour, d.unit, s.count, s.sum, s.min, s.max]);
          else {
            row[3] += s.count;
            row[4] += s.sum;
            if (s.min < row[5]) row[5] = s.min;
            if (s.max > row[6]) row[6] = s.max;
          }
        });
      });
      await client.query(
        `INSERT INTO metric_data (metric_id, timestamp, unit, resolution, count, sum, min, max, vals)
         SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::smallint[], $5::float8[], $6::float8[], $7::float8[], $8::float8[], $9::text[])`,
        [cols.id, cols.ts, cols.unit, cols.res, cols.count, cols.sum, cols.min, cols.max, cols.vals],
      );
      // In key order, as the series: two puts lock shared hourly rows in the same order.
      const sums = [...hourly.values()].sort((a, b) => a[0] - b[0] || a[1] - b[1] || compareKeys(a[2], b[2]));
      await client.query(
        `INSERT INTO metric_hourly (metric_id, hour, unit, count, sum, min, max)
         SELECT metric_id, hour, unit, count, sum, min, max
           FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::float8[], $5::float8[], $6::float8[], $7::float8[]) WITH ORDINALITY AS h(metric_id, hour, unit, count, sum, min, max, n)
           ORDER BY n
         ON CONFLICT (metric_id, hour, unit) DO UPDATE SET count = metric_hourly.count + excluded.count, sum = metric_hourly.sum + excluded.sum,
           min = LEAST(metric_hourly.min, excluded.min), max = GREATEST(metric_hourly.max, excluded.max)`,
        [sums.map((r) => r[0]), sums.map((r) => r[1]), sums.map((r) => r[2]), sums.map((r) => r[3]), sums.map((r) => r[4]), sums.map((r) => r[5]), sums.map((r) => r[6])],
      );
    });
  }

  async metric(region: string, namespace: string, metricName: string, dimensions: readonly Dimension[]): Promise<MetricRecord | undefined> {
    const { rows } = await this.db.query<SeriesRow>(
      'SELECT id, region, namespace, name, dimensions, last_put FROM metric_series WHERE identity = $1',
      [identityOf(keyOf(region, namespace, metricName, dimensionKey(dimensions)))],
    );
    return rows[0] && toMetric(rows[0]);
  }

  async data(metricId: number, from: number, to: number, unit?: string): Promise<StoredDatum[]> {
    const { rows } = await this.db.query<DataRow>(
      `SELECT timestamp, unit, resolution, count, sum, min, max, vals FROM metric_data
        WHERE metric_id = $1 AND timestamp >= $2 AND timestamp < $3 AND ($4::text IS NULL OR unit = $4) ORDER BY timestamp`,
      [metricId, from, to, unit ?? null],
    );
    return rows.map((r) => toDatum({ ...r, timestamp: Number(r.timestamp) }));
  }

  /**
   * As SQLite's (sqlite-bucket-sums.ts): on an hour-aligned grid with an hour-multiple period, the
   * whole hours come from `metric_hourly` and the rest from the data; else all from the data. One
   * statement either way, grouped in SQL.
   */
  async bucketSums(metricId: number, grid: BucketGrid, unit: string | undefined, splitUnits: boolean): Promise<BucketSums[]> {
    const at = 'CASE WHEN resolution = 60 THEN timestamp - timestamp % 60000 ELSE timestamp END';
    const hourAligned = grid.start % HOUR === 0 && grid.periodMs % HOUR === 0;
    const cut = hourAligned ? Math.max(grid.start, grid.end - (grid.end % HOUR)) : grid.start;
    const params: unknown[] = [metricId, grid.start, grid.periodMs, unit ?? null, cut, grid.end];
    // $1 metric, $2 origin, $3 period, $4 unit, $5 where the data start (the hourly rows end), $6 end.
    const parts = [
      `SELECT (${at} - $2::bigint) / $3::bigint AS bucket, unit, count, sum, min, max FROM metric_data
        WHERE metric_id = $1 AND timestamp >= $5::bigint AND timestamp < $6::bigint AND ${at} >= $5::bigint AND ($4::text IS NULL OR unit = $4::text)`,
    ];
    if (hourAligned) {
      parts.push(`SELECT (hour - $2::bigint) / $3::bigint AS bucket, unit, count, sum, min, max FROM metric_hourly
        WHERE metric_id = $1 AND hour >= $2::bigint AND hour < $5::bigint AND ($4::text IS NULL OR unit = $4::text)`);
    }
    const unitColumn = splitUnits ? 'unit' : "''::text";
    const { rows } = await this.db.query<SumsRow>(
      `SELECT bucket, ${unitColumn} AS unit, SUM(count) AS count, SUM(sum) AS sum, MIN(min) AS min, MAX(max) AS max
         FROM (${parts.join(' UNION ALL ')}) AS d
        GROUP BY bucket${splitUnits ? ', unit' : ''} ORDER BY bucket${splitUnits ? ', unit' : ''}`,
      params,
    );
    return rows.map((r) => ({ bucket: Number(r.bucket), unit: splitUnits ? r.unit : (unit ?? ''), count: r.count, sum: r.sum, min: r.min, max: r.max }));
  }

  async metrics(query: MetricQuery): Promise<MetricRecord[]> {
    const params: unknown[] = [];
    const p = (value: unknown) => `$${params.push(value)}`;
    const where = [`region = ${p(query.region)}`, `last_put >= ${p(query.since)}`];
    if (query.namespace !== undefined) where.push(`namespace = ${p(query.namespace)}`);
    if (query.metricName !== undefined) where.push(`name = ${p(query.metricName)}`);
    if (query.afterId !== undefined) where.push(`id > ${p(query.afterId)}`);
    const sql = `SELECT id, region, namespace, name, dimensions, last_put FROM metric_series WHERE ${where.join(' AND ')} ORDER BY id LIMIT ${p(query.limit)}`;
    return (await this.db.query<SeriesRow>(sql, params)).rows.map(toMetric);
  }

  /**
   * One bounded batch of the sweep: the data rows are found one index range per metric (no index
   * on time alone), at most `maxRows` of them deleted. A sweep that finishes also drops the whole
   * hours before `before` and the metrics left without data and not published to since. A put of
   * another process that stamps a metric meanwhile holds its row: the delete waits for it and
   * then sees the new `last_put`, so a metric being written to is never deleted.
   */
  async expire(before: number, maxRows: number): Promise<number> {
    const { rowCount } = await this.db.query(
      `DELETE FROM metric_data WHERE ctid = ANY (ARRAY(
         SELECT d.ctid FROM metric_series m
           CROSS JOIN LATERAL (SELECT ctid FROM metric_data WHERE metric_id = m.id AND timestamp < $1 LIMIT $2) AS d
          LIMIT $2))`,
      [before, maxRows],
    );
    const deleted = rowCount ?? 0;
    if (deleted < maxRows) {
      await this.db.query(
        'DELETE FROM metric_hourly h USING metric_series m WHERE h.metric_id = m.id AND h.hour <= $1',
        [before - HOUR],
      );
      await this.db.query(
        'DELETE FROM metric_series m WHERE last_put < $1 AND NOT EXISTS (SELECT 1 FROM metric_data d WHERE d.metric_id = m.id)',
        [before],
      );
    }
    return deleted;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}
