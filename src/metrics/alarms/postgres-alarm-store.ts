import type pg from 'pg';
import { inTransaction, waitingQueryable, type Queryable } from '../../store/postgres-pool.js';
import type { Alarm, HistoryItem } from './alarm-types.js';
import { isFast, type AlarmEdit, type AlarmStore, type HistoryItemOf, type HistoryQuery } from './alarm-store.js';

interface HistoryRow {
  id: string;
  name: string;
  kind: string;
  timestamp: string;
  type: string;
  summary: string;
  data: string;
}

type Removed = ReadonlyArray<{ region: string; name: string }>;

/**
 * The AlarmStore on PostgreSQL, on the pool of the metric store (its tables are created by the
 * metrics' migrations, postgres-metric-schema.ts), so that every process sharing the database
 * sees the same alarms. An edit locks the alarms it reads (SELECT … FOR UPDATE, in name order)
 * until it commits, so a concurrent edit of another process waits and then reads its outcome.
 */
export class PostgresAlarmStore implements AlarmStore {
  private readonly db: Queryable;

  constructor(private readonly pool: pg.Pool) {
    this.db = waitingQueryable(pool);
  }

  async get(region: string, name: string): Promise<Alarm | undefined> {
    const { rows } = await this.db.query<{ body: string }>('SELECT body FROM metric_alarms WHERE region = $1 AND name = $2', [region, name]);
    return rows[0] && (JSON.parse(rows[0].body) as Alarm);
  }

  async ofRegion(region: string): Promise<Alarm[]> {
    return this.bodies('SELECT body FROM metric_alarms WHERE region = $1 ORDER BY name', [region]);
  }

  async all(): Promise<Alarm[]> {
    return this.bodies('SELECT body FROM metric_alarms');
  }

  async subMinute(): Promise<Alarm[]> {
    return this.bodies('SELECT body FROM metric_alarms WHERE fast');
  }

  private async bodies(sql: string, params?: unknown[]): Promise<Alarm[]> {
    return (await this.db.query<{ body: string }>(sql, params)).rows.map((r) => JSON.parse(r.body) as Alarm);
  }

  async write(alarms: readonly Alarm[], history: readonly HistoryItemOf[], removed: Removed = []): Promise<void> {
    if (alarms.length + history.length + removed.length === 0) return;
    await inTransaction(this.pool, (client) => writeIn(client, alarms, history, removed));
  }

  async edit(region: string, names: readonly string[], edit: AlarmEdit): Promise<void> {
    await inTransaction(this.pool, async (client) => {
      const { rows } = await client.query<{ body: string }>(
        'SELECT body FROM metric_alarms WHERE region = $1 AND name = ANY($2::text[]) ORDER BY name FOR UPDATE',
        [region, [...new Set(names)]],
      );
      const found = new Map<string, Alarm>();
      for (const r of rows) {
        const alarm = JSON.parse(r.body) as Alarm;
        found.set(alarm.name, alarm);
      }
      const w = edit(found);
      await writeIn(client, w.alarms ?? [], w.history ?? [], w.removed ?? []);
    });
  }

  async history(q: HistoryQuery): Promise<Array<HistoryItem & { id: number }>> {
    const params: unknown[] = [];
    const p = (value: unknown) => `$${params.push(value)}`;
    const where = [`region = ${p(q.region)}`];
    if (q.name !== undefined) where.push(`name = ${p(q.name)}`);
    if (q.type !== undefined) where.push(`type = ${p(q.type)}`);
    if (q.kinds !== undefined) where.push(`kind = ANY(${p(q.kinds)}::text[])`);
    if (q.from !== undefined) where.push(`timestamp >= ${p(q.from)}`);
    if (q.to !== undefined) where.push(`timestamp <= ${p(q.to)}`);
    if (q.afterId !== undefined) where.push(`id ${q.ascending ? '>' : '<'} ${p(q.afterId)}`);
    const sql = `SELECT * FROM metric_alarm_history WHERE ${where.join(' AND ')} ORDER BY id ${q.ascending ? 'ASC' : 'DESC'} LIMIT ${p(q.limit)}`;
    return (await this.db.query<HistoryRow>(sql, params)).rows.map((r) => ({
      id: Number(r.id),
      alarmName: r.name,
      alarmType: r.kind as HistoryItem['alarmType'],
      timestamp: Number(r.timestamp),
      type: r.type as HistoryItem['type'],
      summary: r.summary,
      data: r.data,
    }));
  }

  async expireHistory(before: number): Promise<number> {
    return (await this.db.query('DELETE FROM metric_alarm_history WHERE timestamp < $1', [before])).rowCount ?? 0;
  }
}

/** Saves, removes and records, one statement each, inside the caller's transaction. */
async function writeIn(client: pg.PoolClient, alarms: readonly Alarm[], history: readonly HistoryItemOf[], removed: Removed): Promise<void> {
  if (alarms.length > 0) {
    // A round may name an alarm twice (a composite changed twice): the last body is the one kept.
    const last = new Map(alarms.map((a) => [`${a.region}\n${a.name}`, a]));
    const rows = [...last.values()].sort((a, b) => (a.region < b.region ? -1 : a.region > b.region ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    await client.query(
      `INSERT INTO metric_alarms (region, name, body, fast)
       SELECT region, name, body, fast FROM unnest($1::text[], $2::text[], $3::text[], $4::boolean[]) WITH ORDINALITY AS a(region, name, body, fast, n) ORDER BY n
       ON CONFLICT (region, name) DO UPDATE SET body = excluded.body, fast = excluded.fast`,
      [rows.map((a) => a.region), rows.map((a) => a.name), rows.map((a) => JSON.stringify(a)), rows.map((a) => isFast(a) === 1)],
    );
  }
  for (const r of removed) await client.query('DELETE FROM metric_alarms WHERE region = $1 AND name = $2', [r.region, r.name]);
  if (history.length > 0) {
    await client.query(
      `INSERT INTO metric_alarm_history (region, name, kind, timestamp, type, summary, data)
       SELECT region, name, kind, timestamp, type, summary, data
         FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::text[], $7::text[]) WITH ORDINALITY AS h(region, name, kind, timestamp, type, summary, data, n)
         ORDER BY n`,
      [history.map((h) => h.region), history.map((h) => h.alarmName), history.map((h) => h.alarmType), history.map((h) => h.timestamp), history.map((h) => h.type), history.map((h) => h.summary), history.map((h) => h.data)],
    );
  }
}
