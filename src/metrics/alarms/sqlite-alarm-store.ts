import type Database from 'better-sqlite3';
import type { Alarm, HistoryItem } from './alarm-types.js';
import { isFast, type AlarmEdit, type AlarmStore, type HistoryItemOf, type HistoryQuery } from './alarm-store.js';

/**
 * Alarms and their history in the metric service's SQLite database (`metrics.db`). An alarm is one row
 * (its configuration and state as JSON) keyed by region and name; its state is written in the
 * same row, so an evaluation's outcome and the history item that tells it commit together and
 * survive a restart. History outlives a deleted alarm, as CloudWatch keeps it.
 */
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS alarms (
    region  TEXT NOT NULL,
    name    TEXT NOT NULL,
    body    TEXT NOT NULL,
    -- 1 for metric alarms whose period is under a minute: the 10-second rounds read only these.
    fast    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (region, name)
  );
  CREATE INDEX IF NOT EXISTS alarms_fast ON alarms (fast) WHERE fast = 1;
  CREATE TABLE IF NOT EXISTS alarm_history (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    region    TEXT NOT NULL,
    name      TEXT NOT NULL,
    kind      TEXT NOT NULL,
    timestamp INTEGER NOT NULL,
    type      TEXT NOT NULL,
    summary   TEXT NOT NULL,
    data      TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS alarm_history_by_time ON alarm_history (region, timestamp);
`;

/** The AlarmStore on the metric store's SQLite database (synchronous work inside each call). */
export class SqliteAlarmStore implements AlarmStore {
  private readonly statements;

  constructor(private readonly db: Database.Database) {
    db.exec(SCHEMA);
    this.statements = {
      get: db.prepare<[string, string], { body: string }>('SELECT body FROM alarms WHERE region = ? AND name = ?'),
      ofRegion: db.prepare<[string], { body: string }>('SELECT body FROM alarms WHERE region = ? ORDER BY name'),
      all: db.prepare<[], { body: string }>('SELECT body FROM alarms'),
      fast: db.prepare<[], { body: string }>('SELECT body FROM alarms WHERE fast = 1'),
      upsert: db.prepare<[string, string, string, number]>(
        'INSERT INTO alarms (region, name, body, fast) VALUES (?, ?, ?, ?) ON CONFLICT (region, name) DO UPDATE SET body = excluded.body, fast = excluded.fast',
      ),
      remove: db.prepare<[string, string]>('DELETE FROM alarms WHERE region = ? AND name = ?'),
      addHistory: db.prepare<[string, string, string, number, string, string, string]>(
        'INSERT INTO alarm_history (region, name, kind, timestamp, type, summary, data) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      expire: db.prepare<[number]>('DELETE FROM alarm_history WHERE timestamp < ?'),
    };
  }

  async get(region: string, name: string): Promise<Alarm | undefined> {
    return this.getNow(region, name);
  }

  private getNow(region: string, name: string): Alarm | undefined {
    const row = this.statements.get.get(region, name);
    return row && (JSON.parse(row.body) as Alarm);
  }

  /** The region's alarms in name order. */
  async ofRegion(region: string): Promise<Alarm[]> {
    return this.statements.ofRegion.all(region).map((r) => JSON.parse(r.body) as Alarm);
  }

  /** Every alarm of every region (the evaluator's round). */
  async all(): Promise<Alarm[]> {
    return this.statements.all.all().map((r) => JSON.parse(r.body) as Alarm);
  }

  /** The metric alarms whose period is under a minute. */
  async subMinute(): Promise<Alarm[]> {
    return this.statements.fast.all().map((r) => JSON.parse(r.body) as Alarm);
  }

  async write(alarms: readonly Alarm[], history: readonly HistoryItemOf[], removed: ReadonlyArray<{ region: string; name: string }> = []): Promise<void> {
    this.db.transaction(() => this.writeNow(alarms, history, removed))();
  }

  async edit(region: string, names: readonly string[], edit: AlarmEdit): Promise<void> {
    this.db.transaction(() => {
      const found = new Map<string, Alarm>();
      for (const name of names) {
        const alarm = this.getNow(region, name);
        if (alarm) found.set(name, alarm);
      }
      const w = edit(found);
      this.writeNow(w.alarms ?? [], w.history ?? [], w.removed ?? []);
    })();
  }

  private writeNow(alarms: readonly Alarm[], history: readonly HistoryItemOf[], removed: ReadonlyArray<{ region: string; name: string }>): void {
    for (const a of alarms) this.statements.upsert.run(a.region, a.name, JSON.stringify(a), isFast(a));
    for (const r of removed) this.statements.remove.run(r.region, r.name);
    for (const h of history) this.statements.addHistory.run(h.region, h.alarmName, h.alarmType, h.timestamp, h.type, h.summary, h.data);
  }

  async history(q: HistoryQuery): Promise<Array<HistoryItem & { id: number }>> {
    const where = ['region = ?'];
    const params: unknown[] = [q.region];
    const add = (clause: string, ...values: unknown[]) => {
      where.push(clause);
      params.push(...values);
    };
    if (q.name !== undefined) add('name = ?', q.name);
    if (q.type !== undefined) add('type = ?', q.type);
    if (q.kinds !== undefined) add(`kind IN (${q.kinds.map(() => '?').join(', ')})`, ...q.kinds);
    if (q.from !== undefined) add('timestamp >= ?', q.from);
    if (q.to !== undefined) add('timestamp <= ?', q.to);
    if (q.afterId !== undefined) add(q.ascending ? 'id > ?' : 'id < ?', q.afterId);
    params.push(q.limit);
    const order = q.ascending ? 'ASC' : 'DESC';
    return this.db
      .prepare<unknown[], { id: number; name: string; kind: string; timestamp: number; type: string; summary: string; data: string }>(
        `SELECT * FROM alarm_history WHERE ${where.join(' AND ')} ORDER BY id ${order} LIMIT ?`,
      )
      .all(...params)
      .map((r) => ({ id: r.id, alarmName: r.name, alarmType: r.kind as HistoryItem['alarmType'], timestamp: r.timestamp, type: r.type as HistoryItem['type'], summary: r.summary, data: r.data }));
  }

  /** Deletes history older than `before` (epoch ms). */
  async expireHistory(before: number): Promise<number> {
    return this.statements.expire.run(before).changes;
  }
}
