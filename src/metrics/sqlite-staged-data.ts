import type Database from 'better-sqlite3';

/**
 * New data of `metrics.db` go first to `staged`, a table in insertion order without an index, and
 * move to `datapoints` (indexed by metric and time) in large sorted batches. A PutMetricData over
 * a hundred metrics would otherwise change a hundred leaves of that index, and its commit write
 * each of those pages to the WAL: most of the cost of a datum ingested. Appended rows fill a few
 * pages, and a batch of tens of thousands of rows, sorted, touches each leaf once.
 *
 * Staged rows are committed with their request, so an acknowledged datum survives a crash; they
 * move in the transaction of a later write, before any read of `datapoints` (see
 * {@link StagedData.merge}), and when the store opens or closes, so readers never miss them.
 */

export const STAGED_SCHEMA = `
  CREATE TABLE IF NOT EXISTS staged (
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
`;

/** Staged rows beyond this many move with the write that staged them. */
const MOVE_AT = 50_000;

export class StagedData {
  /** At least the number of staged rows: a write that rolls back leaves it too high, never too low. */
  private staged: number;
  private readonly statements;
  private readonly move: () => void;

  constructor(private readonly db: Database.Database) {
    this.staged = (db.prepare('SELECT COUNT(*) AS n FROM staged').get() as { n: number }).n;
    this.statements = {
      insert: db.prepare<StagedRow>('INSERT INTO staged (metric_id, timestamp, unit, resolution, count, sum, min, max, vals) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)'),
      // Sorted by the index's key (and by arrival among equals), so each index leaf is written once.
      copy: db.prepare(
        `INSERT INTO datapoints (metric_id, timestamp, unit, resolution, count, sum, min, max, vals)
         SELECT metric_id, timestamp, unit, resolution, count, sum, min, max, vals FROM staged ORDER BY metric_id, timestamp, rowid`,
      ),
      clear: db.prepare('DELETE FROM staged'),
    };
    this.move = db.transaction(() => {
      this.statements.copy.run();
      this.statements.clear.run();
    });
  }

  /** The statement that stages one row (run inside the caller's write transaction). */
  get insert(): Database.Statement<StagedRow> {
    return this.statements.insert;
  }

  /**
   * After the caller staged `rows`, inside its transaction: moves every staged row when there
   * are many. Returns whether it did; the caller then calls {@link moved} once it has committed.
   */
  added(rows: number): boolean {
    this.staged += rows;
    if (this.staged < MOVE_AT) return false;
    this.move();
    return true;
  }

  /** The transaction in which {@link added} moved the rows has committed. */
  moved(): void {
    this.staged = 0;
  }

  /** Moves every staged row into `datapoints`: before any read or sweep of `datapoints`. */
  merge(): void {
    if (this.staged === 0) return;
    // Within a caller's transaction the move commits with it, or not at all: the count stays.
    const nested = this.db.inTransaction;
    this.move();
    if (!nested) this.staged = 0;
  }
}

type StagedRow = [metricId: number, timestamp: number, unit: string, resolution: number, count: number, sum: number, min: number, max: number, vals: string | null];
