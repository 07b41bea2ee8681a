import type pg from 'pg';
import { inTransaction, openMigratedPool, waitingQueryable, type Queryable } from '../store/postgres-pool.js';
import type {
  GroupChanges,
  GroupQuery,
  GroupScan,
  LogGroupClass,
  LogGroupRecord,
  LogStore,
  LogStreamRecord,
  MetricFilterQuery,
  MetricFilterRecord,
  NewLogEvent,
  NewLogGroup,
  NewMetricFilter,
  StoredLogEvent,
  StreamQuery,
  StreamRead,
} from './log-store.js';
import { groupNotFound } from './names.js';
import { LOG_LEDGER, LOG_MIGRATIONS } from './postgres-log-schema.js';
import { appendEvents, deleteEventsBefore, readStream, scanGroup } from './postgres-events.js';

/** How to reach the database. */
export interface PostgresLogStoreOptions {
  /** `postgres://user[:password]@host[:port]/database`, as `pg` reads it. */
  connectionString: string;
  /** Connections at most (default 5). */
  poolSize?: number;
  /** Told when an idle connection fails (the server restarted, the network dropped it). */
  onIdleError?: (err: Error) => void;
  /** How long callers wait for a server that went away (default 10 s; see postgres-outage.ts). */
  outageWaitMs?: number;
}

// bigint and count columns arrive as strings; every value here is within 2^53.
interface GroupRow {
  id: string;
  region: string;
  name: string;
  created_at: string;
  retention_days: number | null;
  kms_key_id: string | null;
  log_group_class: string;
  deletion_protection: boolean;
  tags: string;
  stored_bytes: string;
  metric_filter_count: string;
}

interface StreamRow {
  id: string;
  group_id: string;
  name: string;
  created_at: string;
  first_event_at: string | null;
  last_event_at: string | null;
  last_ingestion_at: string | null;
  uploads: number;
}

interface MetricFilterRow {
  group_id: string;
  group_name: string;
  name: string;
  pattern: string;
  transformation: string;
  created_at: string;
}

const GROUP_COLUMNS =
  'g.*, (SELECT COALESCE(SUM(s.stored_bytes), 0) FROM log_streams s WHERE s.group_id = g.id) AS stored_bytes, ' +
  '(SELECT COUNT(*) FROM log_metric_filters f WHERE f.group_id = g.id) AS metric_filter_count';

function toGroup(row: GroupRow): LogGroupRecord {
  return {
    id: Number(row.id),
    region: row.region,
    name: row.name,
    createdAt: Number(row.created_at),
    ...(row.retention_days !== null && { retentionDays: row.retention_days }),
    ...(row.kms_key_id !== null && { kmsKeyId: row.kms_key_id }),
    logGroupClass: row.log_group_class as LogGroupClass,
    deletionProtection: row.deletion_protection,
    tags: JSON.parse(row.tags) as Record<string, string>,
    storedBytes: Number(row.stored_bytes),
    metricFilterCount: Number(row.metric_filter_count),
  };
}

function toStream(row: StreamRow): LogStreamRecord {
  return {
    id: Number(row.id),
    groupId: Number(row.group_id),
    name: row.name,
    createdAt: Number(row.created_at),
    ...(row.first_event_at !== null && { firstEventAt: Number(row.first_event_at) }),
    ...(row.last_event_at !== null && { lastEventAt: Number(row.last_event_at) }),
    ...(row.last_ingestion_at !== null && { lastIngestionAt: Number(row.last_ingestion_at) }),
    uploads: row.uploads,
  };
}

/**
 * The LogStore on PostgreSQL, in the database of the document store (see postgres-log-schema.ts
 * for the tables). Each method is one statement or one transaction; what must not interleave
 * with another process's work (a metric filter under the per-group limit, a tag edit, a batch
 * append) locks the row it depends on inside its transaction.
 */
export class PostgresLogStore implements LogStore {
  private closed = false;
  /** Statements outside transactions: they wait out an outage for a connection. */
  private readonly db: Queryable;

  private constructor(private readonly pool: pg.Pool) {
    this.db = waitingQueryable(pool);
  }

  /** Connects and brings the logs' tables up to date. */
  static async open(options: PostgresLogStoreOptions): Promise<PostgresLogStore> {
    const pool = await openMigratedPool(options, { poolSize: 5, applicationName: 'minato-logs' }, LOG_MIGRATIONS, LOG_LEDGER);
    return new PostgresLogStore(pool);
  }

  /** Runs `fn` in a transaction on one client; rolls back when it throws. */
  private transaction<R>(fn: (client: pg.PoolClient) => Promise<R>): Promise<R> {
    return inTransaction(this.pool, fn);
  }

  private async groupById(id: number): Promise<LogGroupRecord | undefined> {
    const { rows } = await this.db.query<GroupRow>(`SELECT ${GROUP_COLUMNS} FROM log_groups g WHERE id = $1`, [id]);
    return rows[0] && toGroup(rows[0]);
  }

  async createGroup(group: NewLogGroup): Promise<LogGroupRecord | undefined> {
    const { rows } = await this.db.query<{ id: string }>(
      `INSERT INTO log_groups (region, name, created_at, retention_days, kms_key_id, log_group_class, deletion_protection, tags)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (region, name) DO NOTHING RETURNING id`,
      [group.region, group.name, group.createdAt, group.retentionDays ?? null, group.kmsKeyId ?? null, group.logGroupClass, group.deletionProtection, JSON.stringify(group.tags)],
    );
    return rows[0] && this.groupById(Number(rows[0].id));
  }

  async group(region: string, name: string): Promise<LogGroupRecord | undefined> {
    const { rows } = await this.db.query<GroupRow>(`SELECT ${GROUP_COLUMNS} FROM log_groups g WHERE region = $1 AND name = $2`, [region, name]);
    return rows[0] && toGroup(rows[0]);
  }

  async groups(query: GroupQuery): Promise<LogGroupRecord[]> {
    const params: unknown[] = [];
    const p = (value: unknown) => `$${params.push(value)}`;
    const where = [`region = ${p(query.region)}`];
    if (query.prefix !== undefined) where.push(`starts_with(name, ${p(query.prefix)})`);
    if (query.contains !== undefined) where.push(`strpos(name, ${p(query.contains)}) > 0`);
    if (query.logGroupClass !== undefined) where.push(`log_group_class = ${p(query.logGroupClass)}`);
    if (query.names !== undefined) where.push(`name = ANY(${p(query.names)}::text[])`);
    if (query.after !== undefined) where.push(`name > ${p(query.after)}`);
    const sql = `SELECT ${GROUP_COLUMNS} FROM log_groups g WHERE ${where.join(' AND ')} ORDER BY name LIMIT ${p(query.limit)}`;
    return (await this.db.query<GroupRow>(sql, params)).rows.map(toGroup);
  }

  async groupsWithRetention(): Promise<LogGroupRecord[]> {
    return (await this.db.query<GroupRow>(`SELECT ${GROUP_COLUMNS} FROM log_groups g WHERE retention_days IS NOT NULL`)).rows.map(toGroup);
  }

  async updateGroup(id: number, changes: GroupChanges): Promise<void> {
    const params: unknown[] = [];
    const sets: string[] = [];
    if (changes.retentionDays !== undefined) sets.push(`retention_days = $${params.push(changes.retentionDays)}`);
    if (changes.deletionProtection !== undefined) sets.push(`deletion_protection = $${params.push(changes.deletionProtection)}`);
    if (sets.length === 0) return;
    await this.db.query(`UPDATE log_groups SET ${sets.join(', ')} WHERE id = $${params.push(id)}`, params);
  }

  editTags(id: number, edit: (tags: Readonly<Record<string, string>>) => Readonly<Record<string, string>>): Promise<boolean> {
    return this.transaction(async (client) => {
      const { rows } = await client.query<{ tags: string }>('SELECT tags FROM log_groups WHERE id = $1 FOR UPDATE', [id]);
      if (!rows[0]) return false;
      const tags = edit(JSON.parse(rows[0].tags) as Record<string, string>);
      await client.query('UPDATE log_groups SET tags = $1 WHERE id = $2', [JSON.stringify(tags), id]);
      return true;
    });
  }

  deleteGroup(id: number): Promise<void> {
    return this.transaction(async (client) => {
      // The group first: its streams and filters go with it (cascade), after any append to them.
      await client.query('DELETE FROM log_groups WHERE id = $1', [id]);
      await client.query('DELETE FROM log_events WHERE group_id = $1', [id]);
    });
  }

  async createStream(groupId: number, name: string, createdAt: number): Promise<LogStreamRecord | undefined> {
    try {
      const { rows } = await this.db.query<StreamRow>(
        'INSERT INTO log_streams (group_id, name, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING *',
        [groupId, name, createdAt],
      );
      return rows[0] && toStream(rows[0]);
    } catch (err) {
      // foreign_key_violation: the group is gone.
      if ((err as { code?: string }).code === '23503') throw groupNotFound();
      throw err;
    }
  }

  async stream(groupId: number, name: string): Promise<LogStreamRecord | undefined> {
    const { rows } = await this.db.query<StreamRow>('SELECT * FROM log_streams WHERE group_id = $1 AND name = $2', [groupId, name]);
    return rows[0] && toStream(rows[0]);
  }

  async streams(query: StreamQuery): Promise<LogStreamRecord[]> {
    const params: unknown[] = [];
    const p = (value: unknown) => `$${params.push(value)}`;
    const where = [`group_id = ${p(query.groupId)}`];
    if (query.prefix !== undefined) where.push(`starts_with(name, ${p(query.prefix)})`);
    const byTime = query.orderBy === 'LastEventTime';
    const dir = query.descending ? 'DESC' : 'ASC';
    const cmp = query.descending ? '<' : '>';
    // Streams without events sort as if their last event were at time 0.
    const last = 'COALESCE(last_event_at, 0)';
    if (query.after) {
      if (byTime) where.push(`(${last}, name) ${cmp} (${p(query.after.lastEventAt)}::bigint, ${p(query.after.name)}::text)`);
      else where.push(`name ${cmp} ${p(query.after.name)}`);
    }
    const order = byTime ? `${last} ${dir}, name ${dir}` : `name ${dir}`;
    const sql = `SELECT * FROM log_streams WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT ${p(query.limit)}`;
    return (await this.db.query<StreamRow>(sql, params)).rows.map(toStream);
  }

  deleteStream(id: number): Promise<void> {
    return this.transaction(async (client) => {
      // The stream first: an append holding its row commits before, and its events go too.
      await client.query('DELETE FROM log_streams WHERE id = $1', [id]);
      await client.query('DELETE FROM log_events WHERE stream_id = $1', [id]);
    });
  }

  append(stream: LogStreamRecord, events: readonly NewLogEvent[], ingestedAt: number): Promise<number> {
    return this.transaction((client) => appendEvents(client, stream, events, ingestedAt));
  }

  readStream(read: StreamRead): Promise<StoredLogEvent[]> {
    return readStream(this.db, read);
  }

  scanGroup(scan: GroupScan, visit: (event: StoredLogEvent) => boolean): Promise<void> {
    return scanGroup(this.db, scan, visit);
  }

  deleteEventsBefore(groupId: number, cutoff: number, maxRows: number): Promise<number> {
    return deleteEventsBefore(this.db, groupId, cutoff, maxRows);
  }

  putMetricFilter(filter: NewMetricFilter, maxPerGroup: number): Promise<boolean> {
    return this.transaction(async (client) => {
      // The group's row lock makes puts to one group take turns, so the count stays true until the write.
      const group = await client.query('SELECT 1 FROM log_groups WHERE id = $1 FOR UPDATE', [filter.groupId]);
      if (group.rowCount === 0) return false;
      const { rows } = await client.query<{ others: string; exists: boolean }>(
        `SELECT COUNT(*) FILTER (WHERE name <> $2) AS others, bool_or(name = $2) IS TRUE AS exists
         FROM log_metric_filters WHERE group_id = $1`,
        [filter.groupId, filter.name],
      );
      if (!rows[0]!.exists && Number(rows[0]!.others) >= maxPerGroup) return false;
      await client.query(
        `INSERT INTO log_metric_filters (group_id, name, pattern, transformation, created_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (group_id, name) DO UPDATE SET pattern = excluded.pattern, transformation = excluded.transformation`,
        [filter.groupId, filter.name, filter.pattern, JSON.stringify(filter.transformation), filter.createdAt],
      );
      return true;
    });
  }

  async deleteMetricFilter(groupId: number, name: string): Promise<boolean> {
    const result = await this.db.query('DELETE FROM log_metric_filters WHERE group_id = $1 AND name = $2', [groupId, name]);
    return (result.rowCount ?? 0) > 0;
  }

  async metricFilters(query: MetricFilterQuery): Promise<MetricFilterRecord[]> {
    const params: unknown[] = [];
    const p = (value: unknown) => `$${params.push(value)}`;
    const where = [`g.region = ${p(query.region)}`];
    if (query.groupId !== undefined) where.push(`f.group_id = ${p(query.groupId)}`);
    if (query.prefix !== undefined) where.push(`starts_with(f.name, ${p(query.prefix)})`);
    if (query.metricName !== undefined) where.push(`f.transformation::jsonb ->> 'metricName' = ${p(query.metricName)}`);
    if (query.metricNamespace !== undefined) where.push(`f.transformation::jsonb ->> 'metricNamespace' = ${p(query.metricNamespace)}`);
    if (query.after) where.push(`(g.name, f.name) > (${p(query.after.groupName)}::text COLLATE "C", ${p(query.after.name)}::text COLLATE "C")`);
    const sql = `SELECT f.*, g.name AS group_name FROM log_metric_filters f JOIN log_groups g ON g.id = f.group_id
                 WHERE ${where.join(' AND ')} ORDER BY g.name, f.name LIMIT ${p(query.limit)}`;
    return (await this.db.query<MetricFilterRow>(sql, params)).rows.map((row) => ({
      groupId: Number(row.group_id),
      groupName: row.group_name,
      name: row.name,
      pattern: row.pattern,
      transformation: JSON.parse(row.transformation) as MetricFilterRecord['transformation'],
      createdAt: Number(row.created_at),
    }));
  }

  /** How many events a stream holds (for tests and benchmarks). */
  async countEvents(streamId: number): Promise<number> {
    const { rows } = await this.db.query<{ n: string }>('SELECT COUNT(*) AS n FROM log_events WHERE stream_id = $1', [streamId]);
    return Number(rows[0]!.n);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}
