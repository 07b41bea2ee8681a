import Database from 'better-sqlite3';
import { preparePrivateDatabaseFile } from '../store/private-file.js';
import type { CheckedDatum, Dimension } from './datum-rules.js';
import type { BucketGrid, BucketSums, MetricQuery, MetricRecord, MetricStore, PutBatch, StoredDatum } from './metric-store.js';
import type { DataRow } from './datum-rows.js';
import { isSingleValue, toDatum } from './datum-rows.js';
import { HOURLY_SCHEMA, SqliteBucketSums, type HourlyDatum } from './sqlite-bucket-sums.js';
import { STAGED_SCHEMA, StagedData } from './sqlite-staged-data.js';
import { dimensionKey, SqliteSeriesIds, type Resolved } from './sqlite-series-ids.js';

/**
 * The tables of `metrics.db`. A metric is a row keyed by region, namespace, name and its sorted
 * dimension set (as JSON); its data are rows indexed by (metric, time), so a statistics request is
 * one range scan per metric, and so is each metric's share of the expiry sweep. A datum of one
 * value (count 1, min = max = sum) keeps no `vals`: its value is its minimum.
 */
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS metrics (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    region      TEXT NOT NULL,
    namespace   TEXT NOT NULL,
    name        TEXT NOT NULL,
    dimensions  TEXT NOT NULL,
    last_put    INTEGER NOT NULL,
    UNIQUE (region, namespace, name, dimensions)
  );
  CREATE TABLE IF NOT EXISTS datapoints (
    metric_id   INTEGER NOT NULL,
    timestamp   INTEGER NOT NULL,
    unit        TEXT NOT NULL,
    resolution  INTEGER NOT NULL,
    count       REAL NOT NULL,
    sum         REAL NOT NULL,
    min         REAL NOT NULL,
    max         REAL NOT NULL,
    vals        TEXT
  );
  CREATE INDEX IF NOT EXISTS datapoints_by_metric ON datapoints (metric_id, timestamp);
  -- A time index of earlier versions: every insert paid for it, and the sweep needs it no more.
  DROP INDEX IF EXISTS datapoints_by_time;
`;

interface MetricRow {
  id: number;
  region: string;
  namespace: string;
  name: string;
  dimensions: string;
  last_put: number;
}


const toMetric = (row: MetricRow): MetricRecord => ({
  id: row.id,
  region: row.region,
  namespace: row.namespace,
  metricName: row.name,
  dimensions: JSON.parse(row.dimensions) as Dimension[],
  lastPut: row.last_put,
});

/** The MetricStore on one SQLite database (`<data-dir>/metrics.db`, WAL), or `:memory:` for tests. */
export class SqliteMetricStore implements MetricStore {
  private readonly db: Database.Database;
  private readonly statements;
  private readonly sums: SqliteBucketSums;
  private readonly series: SqliteSeriesIds;
  private readonly write: (batches: readonly PutBatch[]) => { resolved: Resolved[]; moved: boolean };
  private readonly staged: StagedData;

  constructor(readonly file: string) {
    preparePrivateDatabaseFile(file);
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    // NORMAL is durable across process crashes in WAL mode; only an OS crash may lose the last commits.
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    // Checkpoints every ~40 MB of WAL instead of 4 MB: ingestion writes many small rows, and each
    // checkpoint costs a sync and a pass over the pages (a quarter of the CPU of a PutMetricData).
    this.db.pragma('wal_autocheckpoint = 10000');
    this.db.exec(SCHEMA);
    const hourlyExisted = this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'hourly'").get() !== undefined;
    this.db.exec(HOURLY_SCHEMA);
    this.sums = new SqliteBucketSums(this.db);
    // A database of an earlier version gets its hourly rows once.
    if (!hourlyExisted) this.sums.backfill();
    this.db.exec(STAGED_SCHEMA);
    this.staged = new StagedData(this.db);
    // Rows a crash left staged move now, so that the data and their hourly rows agree from the start.
    this.staged.merge();
    this.series = new SqliteSeriesIds(this.db);
    this.write = this.db.transaction((batches: readonly PutBatch[]) => this.writeBatches(batches));
    const db = this.db;
    this.statements = {
      metric: db.prepare<[string, string, string, string], MetricRow>(
        'SELECT * FROM metrics WHERE region = ? AND namespace = ? AND name = ? AND dimensions = ?',
      ),
      data: db.prepare<[number, number, number], DataRow>(
        'SELECT * FROM datapoints WHERE metric_id = ? AND timestamp >= ? AND timestamp < ? ORDER BY timestamp',
      ),
      dataOfUnit: db.prepare<[number, number, number, string], DataRow>(
        'SELECT * FROM datapoints WHERE metric_id = ? AND timestamp >= ? AND timestamp < ? AND unit = ? ORDER BY timestamp',
      ),
      // One range of the (metric, time) index per metric: no index on time alone to keep up on every insert.
      expireData: db.prepare<[number, number]>(
        'DELETE FROM datapoints WHERE rowid IN (SELECT d.rowid FROM metrics m JOIN datapoints d ON d.metric_id = m.id AND d.timestamp < ? LIMIT ?)',
      ),
      expireMetrics: db.prepare<[number]>(
        'DELETE FROM metrics WHERE last_put < ? AND NOT EXISTS (SELECT 1 FROM datapoints d WHERE d.metric_id = metrics.id)',
      ),
    };
  }

  async put(region: string, namespace: string, data: readonly CheckedDatum[], now: number): Promise<void> {
    this.putNow([{ region, namespace, data, now }]);
  }

  async putMany(batches: readonly PutBatch[]): Promise<void> {
    this.putNow(batches);
  }

  /** The batches in one transaction, committed when this returns (better-sqlite3 is synchronous). */
  private putNow(batches: readonly PutBatch[]): void {
    const { resolved, moved } = this.write(batches);
    for (const r of resolved) r.commit();
    if (moved) this.staged.moved();
  }

  /** The batches' rows, in one transaction; what the series ids learnt is recorded after it commits. */
  private writeBatches(batches: readonly PutBatch[]): { resolved: Resolved[]; moved: boolean } {
    const resolved: Resolved[] = [];
    const hourly: HourlyDatum[] = [];
    const staged = this.staged;
    const insert = staged.insert;
    for (const { region, namespace, data, now } of batches) {
      const series = this.series.resolve(region, namespace, data, now);
      resolved.push(series);
      for (let i = 0; i < data.length; i++) {
        const d = data[i]!;
        const id = series.ids[i]!;
        const s = d.samples;
        const vals = s.values === undefined || isSingleValue(s) ? null : JSON.stringify(s.values);
        insert.run(id, d.timestamp, d.unit, d.storageResolution, s.count, s.sum, s.min, s.max, vals);
        hourly.push({ metricId: id, timestamp: d.timestamp, unit: d.unit, count: s.count, sum: s.sum, min: s.min, max: s.max });
      }
    }
    this.sums.add(hourly);
    return { resolved, moved: staged.added(hourly.length) };
  }

  async metric(region: string, namespace: string, metricName: string, dimensions: readonly Dimension[]): Promise<MetricRecord | undefined> {
    const row = this.statements.metric.get(region, namespace, metricName, dimensionKey(dimensions));
    return row && toMetric(row);
  }

  async data(metricId: number, from: number, to: number, unit?: string): Promise<StoredDatum[]> {
    this.staged.merge();
    const rows = unit === undefined ? this.statements.data.all(metricId, from, to) : this.statements.dataOfUnit.all(metricId, from, to, unit);
    return rows.map(toDatum);
  }

  async bucketSums(metricId: number, grid: BucketGrid, unit: string | undefined, splitUnits: boolean): Promise<BucketSums[]> {
    this.staged.merge();
    return this.sums.sums(metricId, grid, unit, splitUnits);
  }

  async metrics(query: MetricQuery): Promise<MetricRecord[]> {
    const where = ['region = ?', 'last_put >= ?'];
    const params: unknown[] = [query.region, query.since];
    if (query.namespace !== undefined) {
      where.push('namespace = ?');
      params.push(query.namespace);
    }
    if (query.metricName !== undefined) {
      where.push('name = ?');
      params.push(query.metricName);
    }
    if (query.afterId !== undefined) {
      where.push('id > ?');
      params.push(query.afterId);
    }
    params.push(query.limit);
    return this.db.prepare<unknown[], MetricRow>(`SELECT * FROM metrics WHERE ${where.join(' AND ')} ORDER BY id LIMIT ?`).all(...params).map(toMetric);
  }

  async expire(before: number, maxRows: number): Promise<number> {
    this.staged.merge();
    const deleted = this.statements.expireData.run(before, maxRows).changes;
    if (deleted < maxRows) this.sums.expire(before);
    // Deleted metrics must not be written to by a remembered id.
    if (deleted < maxRows && this.statements.expireMetrics.run(before).changes > 0) this.series.forget();
    return deleted;
  }

  /** The database, shared with the alarms (alarms/alarm-store.ts). */
  get database(): Database.Database {
    return this.db;
  }

  async close(): Promise<void> {
    // A database left without staged rows reads the same to a version that knows no staging.
    this.staged.merge();
    this.db.close();
  }
}
