import type Database from 'better-sqlite3';
import type { BucketGrid, BucketSums } from './metric-store.js';

/**
 * Bucket sums of `metrics.db` for statistics other than percentiles. Data are summed in SQL, never
 * read datum by datum, and each metric also keeps one row per hour and unit (`hourly`, updated in
 * the PutMetricData transaction): a query on an hour-aligned grid with an hour-multiple period
 * reads those rows, so a week of one-minute data is 168 rows instead of 10,080. Sums, counts,
 * minima and maxima compose, so an hourly row answers any coarser bucket exactly (up to the order
 * of floating-point additions). The part of the range past the last whole hour is summed from the
 * data. Standard-resolution data counts at the start of its minute, which lies in the same hour.
 */

const HOUR = 3600_000;

export const HOURLY_SCHEMA = `
  CREATE TABLE IF NOT EXISTS hourly (
    metric_id   INTEGER NOT NULL,
    hour        INTEGER NOT NULL,
    unit        TEXT NOT NULL,
    count       REAL NOT NULL,
    sum         REAL NOT NULL,
    min         REAL NOT NULL,
    max         REAL NOT NULL,
    PRIMARY KEY (metric_id, hour, unit)
  ) WITHOUT ROWID;
`;

/** One datum's share of an hourly row. */
export interface HourlyDatum {
  readonly metricId: number;
  readonly timestamp: number;
  readonly unit: string;
  readonly count: number;
  readonly sum: number;
  readonly min: number;
  readonly max: number;
}

interface Params {
  id: number;
  origin: number;
  start: number;
  end: number;
  period: number;
  unit: string | null;
}

/** Sums of data: buckets counted from @origin, data from @start (at its minute for standard resolution) to @end. */
function dataSql(splitUnits: boolean): string {
  const at = 'CASE WHEN resolution = 60 THEN timestamp - timestamp % 60000 ELSE timestamp END';
  const unit = splitUnits ? 'unit' : "'' AS unit";
  return `SELECT CAST((${at} - @origin) / @period AS INTEGER) AS bucket, ${unit}, SUM(count) AS count, SUM(sum) AS sum, MIN(min) AS min, MAX(max) AS max
          FROM datapoints
          WHERE metric_id = @id AND timestamp >= @start AND timestamp < @end AND ${at} >= @start AND (@unit IS NULL OR unit = @unit)
          GROUP BY bucket${splitUnits ? ', unit' : ''}`;
}

/** Sums of hourly rows from @start to @end (whole hours), buckets counted from @origin. */
function hourlySql(splitUnits: boolean): string {
  const unit = splitUnits ? 'unit' : "'' AS unit";
  return `SELECT CAST((hour - @origin) / @period AS INTEGER) AS bucket, ${unit}, SUM(count) AS count, SUM(sum) AS sum, MIN(min) AS min, MAX(max) AS max
          FROM hourly
          WHERE metric_id = @id AND hour >= @start AND hour < @end AND (@unit IS NULL OR unit = @unit)
          GROUP BY bucket${splitUnits ? ', unit' : ''}`;
}

export class SqliteBucketSums {
  private readonly statements;

  constructor(private readonly db: Database.Database) {
    this.statements = {
      data: db.prepare<Params, BucketSums>(dataSql(false)),
      dataByUnit: db.prepare<Params, BucketSums>(dataSql(true)),
      hourly: db.prepare<Params, BucketSums>(hourlySql(false)),
      hourlyByUnit: db.prepare<Params, BucketSums>(hourlySql(true)),
      add: db.prepare<[number, number, string, number, number, number, number]>(
        `INSERT INTO hourly (metric_id, hour, unit, count, sum, min, max) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (metric_id, hour, unit) DO UPDATE SET count = count + excluded.count, sum = sum + excluded.sum,
           min = MIN(min, excluded.min), max = MAX(max, excluded.max)`,
      ),
      // One range of the primary key per metric, as the data's sweep.
      expire: db.prepare<[number]>('DELETE FROM hourly WHERE metric_id IN (SELECT id FROM metrics) AND hour <= ?'),
    };
  }

  /**
   * Fills the hourly rows from the data once, for a database written before they existed (the
   * caller runs it when it has just created the table).
   */
  backfill(): void {
    this.db.exec(`INSERT INTO hourly (metric_id, hour, unit, count, sum, min, max)
      SELECT metric_id, timestamp - timestamp % ${HOUR}, unit, SUM(count), SUM(sum), MIN(min), MAX(max) FROM datapoints GROUP BY 1, 2, 3`);
  }

  /** Adds data to their hourly rows (inside the caller's transaction), one upsert per metric, hour and unit. */
  add(data: readonly HourlyDatum[]): void {
    const rows = new Map<string, [number, number, string, number, number, number, number]>();
    for (const d of data) {
      const hour = d.timestamp - (d.timestamp % HOUR);
      const key = `${d.metricId}\n${hour}\n${d.unit}`;
      const row = rows.get(key);
      if (!row) rows.set(key, [d.metricId, hour, d.unit, d.count, d.sum, d.min, d.max]);
      else {
        row[3] += d.count;
        row[4] += d.sum;
        if (d.min < row[5]) row[5] = d.min;
        if (d.max > row[6]) row[6] = d.max;
      }
    }
    for (const row of rows.values()) this.statements.add.run(...row);
  }

  /** Deletes the hourly rows whose whole hour lies before `before`. */
  expire(before: number): void {
    this.statements.expire.run(before - HOUR);
  }

  /** The buckets of a metric on a grid (per unit with `splitUnits`), in bucket and unit order. */
  sums(metricId: number, grid: BucketGrid, unit: string | undefined, splitUnits: boolean): BucketSums[] {
    const params = { id: metricId, origin: grid.start, period: grid.periodMs, unit: unit ?? null };
    const data = splitUnits ? this.statements.dataByUnit : this.statements.data;
    let rows: BucketSums[];
    if (grid.start % HOUR === 0 && grid.periodMs % HOUR === 0) {
      const cut = Math.max(grid.start, grid.end - (grid.end % HOUR));
      const hourly = (splitUnits ? this.statements.hourlyByUnit : this.statements.hourly).all({ ...params, start: grid.start, end: cut });
      rows = cut < grid.end ? merge([...hourly, ...data.all({ ...params, start: cut, end: grid.end })]) : hourly;
    } else {
      rows = data.all({ ...params, start: grid.start, end: grid.end });
    }
    rows.sort((a, b) => a.bucket - b.bucket || (a.unit < b.unit ? -1 : a.unit > b.unit ? 1 : 0));
    return splitUnits ? rows : rows.map((r) => ({ ...r, unit: unit ?? '' }));
  }
}

/** Rows of the same bucket and unit combined. */
function merge(rows: readonly BucketSums[]): BucketSums[] {
  const out = new Map<string, BucketSums>();
  for (const r of rows) {
    const key = `${r.bucket}\n${r.unit}`;
    const had = out.get(key);
    out.set(key, had ? { bucket: r.bucket, unit: r.unit, count: had.count + r.count, sum: had.sum + r.sum, min: Math.min(had.min, r.min), max: Math.max(had.max, r.max) } : r);
  }
  return [...out.values()];
}
