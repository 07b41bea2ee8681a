import type Database from 'better-sqlite3';
import type { CheckedDatum, Dimension } from './datum-rules.js';

/**
 * The ids of metrics (series) for PutMetricData, remembered in memory. Looking a metric up in
 * `metrics` (and stamping its `last_put`) cost one upsert per metric and request, a sixth of the
 * CPU of an ingested datum; with the ids known, a request costs one UPDATE for the stamps of all
 * its metrics, and an upsert only for a metric never seen. One process owns `metrics.db`, so the
 * memory cannot go stale except by what this process does: ids learnt or stamps moved in a
 * transaction are remembered only once it has committed ({@link Resolved.commit}), and the sweep
 * that deletes metrics calls {@link SqliteSeriesIds.forget}.
 */

/** Remembered metrics beyond this many are forgotten all at once: memory stays bounded. */
const MAX_REMEMBERED = 200_000;

interface Known {
  readonly id: number;
  /** The `last_put` the database holds (or will hold, once the transaction commits). */
  lastPut: number;
}

/** The ids of a request's data, one per datum; `commit` records what the transaction wrote. */
export interface Resolved {
  readonly ids: number[];
  commit(): void;
}

/** The dimension set as stored and compared in `metrics`: sorted pairs as JSON. */
export const dimensionKey = (dimensions: readonly Dimension[]): string => JSON.stringify(dimensions.map((d) => ({ Name: d.Name, Value: d.Value })));

/** A key of a metric within its region and namespace; lengths first, so no text can forge another's key. */
function seriesKey(d: CheckedDatum): string {
  let key = `${d.metricName.length}:${d.metricName}`;
  for (const x of d.dimensions) key += `${x.Name.length}:${x.Name}${x.Value.length}:${x.Value}`;
  return key;
}

export class SqliteSeriesIds {
  private readonly known = new Map<string, Known>();
  private readonly statements;

  constructor(db: Database.Database) {
    this.statements = {
      upsert: db.prepare<[string, string, string, string, number], { id: number; lastPut: number }>(
        `INSERT INTO metrics (region, namespace, name, dimensions, last_put) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (region, namespace, name, dimensions) DO UPDATE SET last_put = MAX(last_put, excluded.last_put)
         RETURNING id, last_put AS lastPut`,
      ),
      // All of a request's metrics in one statement: the ids as a JSON array.
      stamp: db.prepare<[number, string]>('UPDATE metrics SET last_put = MAX(last_put, ?) WHERE id IN (SELECT value FROM json_each(?))'),
    };
  }

  /**
   * The metric ids of `data` (creating metrics as needed) with their `last_put` moved to `now`;
   * runs inside the caller's transaction, which calls `commit` once it has committed.
   */
  resolve(region: string, namespace: string, data: readonly CheckedDatum[], now: number): Resolved {
    const prefix = `${region.length}:${region}${namespace.length}:${namespace}`;
    const seen = new Map<string, Known>();
    const learnt: Array<[string, Known]> = [];
    const stamped: Known[] = [];
    const ids = new Array<number>(data.length);
    for (let i = 0; i < data.length; i++) {
      const d = data[i]!;
      const key = prefix + seriesKey(d);
      let series = seen.get(key);
      if (series === undefined) {
        const known = this.known.get(key);
        if (known === undefined) {
          const row = this.statements.upsert.get(region, namespace, d.metricName, dimensionKey(d.dimensions), now)!;
          series = { id: row.id, lastPut: row.lastPut };
          learnt.push([key, series]);
        } else {
          series = known;
          if (known.lastPut < now) stamped.push(known);
        }
        seen.set(key, series);
      }
      ids[i] = series.id;
    }
    if (stamped.length > 0) this.statements.stamp.run(now, JSON.stringify(stamped.map((s) => s.id)));
    return {
      ids,
      commit: () => {
        for (const s of stamped) s.lastPut = Math.max(s.lastPut, now);
        if (this.known.size + learnt.length > MAX_REMEMBERED) this.known.clear();
        for (const [key, series] of learnt) this.known.set(key, series);
      },
    };
  }

  /** Forgets every id, after metrics were deleted. */
  forget(): void {
    this.known.clear();
  }
}
