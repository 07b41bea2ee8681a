import type Database from 'better-sqlite3';
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
  NewMetricFilter,
  NewLogGroup,
  StoredLogEvent,
  StreamQuery,
  StreamRead,
} from './log-store.js';
import { groupNotFound } from './names.js';
import { globPrefix, SqliteEvents } from './sqlite-events.js';
import { openLogsDatabase } from './sqlite-schema.js';

interface GroupRow {
  id: number;
  region: string;
  name: string;
  created_at: number;
  retention_days: number | null;
  kms_key_id: string | null;
  log_group_class: string;
  deletion_protection: number;
  tags: string;
  stored_bytes: number;
  metric_filter_count: number;
}

interface MetricFilterRow {
  group_id: number;
  group_name: string;
  name: string;
  pattern: string;
  transformation: string;
  created_at: number;
}

interface StreamRow {
  id: number;
  group_id: number;
  name: string;
  created_at: number;
  first_event_at: number | null;
  last_event_at: number | null;
  last_ingestion_at: number | null;
  uploads: number;
}

const GROUP_COLUMNS =
  'g.*, (SELECT COALESCE(SUM(s.stored_bytes), 0) FROM log_streams s WHERE s.group_id = g.id) AS stored_bytes, ' +
  '(SELECT COUNT(*) FROM metric_filters f WHERE f.group_id = g.id) AS metric_filter_count';

function toGroup(row: GroupRow): LogGroupRecord {
  return {
    id: row.id,
    region: row.region,
    name: row.name,
    createdAt: row.created_at,
    ...(row.retention_days !== null && { retentionDays: row.retention_days }),
    ...(row.kms_key_id !== null && { kmsKeyId: row.kms_key_id }),
    logGroupClass: row.log_group_class as LogGroupClass,
    deletionProtection: row.deletion_protection === 1,
    tags: JSON.parse(row.tags) as Record<string, string>,
    storedBytes: row.stored_bytes,
    metricFilterCount: row.metric_filter_count,
  };
}

function toStream(row: StreamRow): LogStreamRecord {
  return {
    id: row.id,
    groupId: row.group_id,
    name: row.name,
    createdAt: row.created_at,
    ...(row.first_event_at !== null && { firstEventAt: row.first_event_at }),
    ...(row.last_event_at !== null && { lastEventAt: row.last_event_at }),
    ...(row.last_ingestion_at !== null && { lastIngestionAt: row.last_ingestion_at }),
    uploads: row.uploads,
  };
}

/** The LogStore on one SQLite database (`<data-dir>/logs.db`, WAL), or `:memory:` for tests. */
export class SqliteLogStore implements LogStore {
  private readonly db: Database.Database;
  private readonly events: SqliteEvents;
  private readonly statements;

  constructor(readonly file: string) {
    this.db = openLogsDatabase(file);
    this.events = new SqliteEvents(this.db);
    const db = this.db;
    this.statements = {
      insertGroup: db.prepare(
        `INSERT INTO log_groups (region, name, created_at, retention_days, kms_key_id, log_group_class, deletion_protection, tags)
         VALUES (@region, @name, @createdAt, @retentionDays, @kmsKeyId, @logGroupClass, @deletionProtection, @tags)
         ON CONFLICT (region, name) DO NOTHING`,
      ),
      group: db.prepare<[string, string], GroupRow>(`SELECT ${GROUP_COLUMNS} FROM log_groups g WHERE region = ? AND name = ?`),
      groupById: db.prepare<[number], GroupRow>(`SELECT ${GROUP_COLUMNS} FROM log_groups g WHERE id = ?`),
      withRetention: db.prepare<[], GroupRow>(`SELECT ${GROUP_COLUMNS} FROM log_groups g WHERE retention_days IS NOT NULL`),
      insertStream: db.prepare(
        'INSERT INTO log_streams (group_id, name, created_at) SELECT ?, ?, ? WHERE EXISTS (SELECT 1 FROM log_groups WHERE id = ?) ON CONFLICT DO NOTHING',
      ),
      stream: db.prepare<[number, string], StreamRow>('SELECT * FROM log_streams WHERE group_id = ? AND name = ?'),
      streamById: db.prepare<[number], StreamRow>('SELECT * FROM log_streams WHERE id = ?'),
    };
  }

  async createGroup(group: NewLogGroup): Promise<LogGroupRecord | undefined> {
    const result = this.statements.insertGroup.run({
      region: group.region,
      name: group.name,
      createdAt: group.createdAt,
      retentionDays: group.retentionDays ?? null,
      kmsKeyId: group.kmsKeyId ?? null,
      logGroupClass: group.logGroupClass,
      deletionProtection: group.deletionProtection ? 1 : 0,
      tags: JSON.stringify(group.tags),
    });
    if (result.changes === 0) return undefined;
    return toGroup(this.statements.groupById.get(Number(result.lastInsertRowid))!);
  }

  async group(region: string, name: string): Promise<LogGroupRecord | undefined> {
    const row = this.statements.group.get(region, name);
    return row && toGroup(row);
  }

  async groups(query: GroupQuery): Promise<LogGroupRecord[]> {
    const where = ['region = ?'];
    const params: unknown[] = [query.region];
    if (query.prefix !== undefined) {
      where.push('name GLOB ?');
      params.push(globPrefix(query.prefix));
    }
    if (query.contains !== undefined) {
      where.push('instr(name, ?) > 0');
      params.push(query.contains);
    }
    if (query.logGroupClass !== undefined) {
      where.push('log_group_class = ?');
      params.push(query.logGroupClass);
    }
    if (query.names !== undefined) {
      where.push(`name IN (${query.names.map(() => '?').join(', ') || 'NULL'})`);
      params.push(...query.names);
    }
    if (query.after !== undefined) {
      where.push('name > ?');
      params.push(query.after);
    }
    params.push(query.limit);
    const sql = `SELECT ${GROUP_COLUMNS} FROM log_groups g WHERE ${where.join(' AND ')} ORDER BY name LIMIT ?`;
    return this.db.prepare<unknown[], GroupRow>(sql).all(...params).map(toGroup);
  }

  async groupsWithRetention(): Promise<LogGroupRecord[]> {
    return this.statements.withRetention.all().map(toGroup);
  }

  async updateGroup(id: number, changes: GroupChanges): Promise<void> {
    const sets: string[] = [];
    const params: unknown[] = [];
    if (changes.retentionDays !== undefined) {
      sets.push('retention_days = ?');
      params.push(changes.retentionDays);
    }
    if (changes.deletionProtection !== undefined) {
      sets.push('deletion_protection = ?');
      params.push(changes.deletionProtection ? 1 : 0);
    }
    if (sets.length === 0) return;
    this.db.prepare(`UPDATE log_groups SET ${sets.join(', ')} WHERE id = ?`).run(...params, id);
  }

  async editTags(id: number, edit: (tags: Readonly<Record<string, string>>) => Readonly<Record<string, string>>): Promise<boolean> {
    // better-sqlite3 runs the whole transaction before anything else can: read, edit and write are one.
    return this.db.transaction(() => {
      const row = this.db.prepare<[number], { tags: string }>('SELECT tags FROM log_groups WHERE id = ?').get(id);
      if (!row) return false;
      const tags = edit(JSON.parse(row.tags) as Record<string, string>);
      this.db.prepare('UPDATE log_groups SET tags = ? WHERE id = ?').run(JSON.stringify(tags), id);
      return true;
    })();
  }

  async deleteGroup(id: number): Promise<void> {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM log_events WHERE group_id = ?').run(id);
      this.db.prepare('DELETE FROM log_streams WHERE group_id = ?').run(id);
      this.db.prepare('DELETE FROM metric_filters WHERE group_id = ?').run(id);
      this.db.prepare('DELETE FROM log_groups WHERE id = ?').run(id);
    })();
  }

  async createStream(groupId: number, name: string, createdAt: number): Promise<LogStreamRecord | undefined> {
    const result = this.statements.insertStream.run(groupId, name, createdAt, groupId);
    if (result.changes === 0) {
      // The group may have been deleted since the caller read it (between two awaits).
      if (!this.statements.groupById.get(groupId)) throw groupNotFound();
      return undefined;
    }
    return toStream(this.statements.streamById.get(Number(result.lastInsertRowid))!);
  }

  async stream(groupId: number, name: string): Promise<LogStreamRecord | undefined> {
    const row = this.statements.stream.get(groupId, name);
    return row && toStream(row);
  }

  async streams(query: StreamQuery): Promise<LogStreamRecord[]> {
    const where = ['group_id = ?'];
    const params: unknown[] = [query.groupId];
    if (query.prefix !== undefined) {
      where.push('name GLOB ?');
      params.push(globPrefix(query.prefix));
    }
    const byTime = query.orderBy === 'LastEventTime';
    const dir = query.descending ? 'DESC' : 'ASC';
    const cmp = query.descending ? '<' : '>';
    // Streams without events sort as if their last event were at time 0.
    const last = 'COALESCE(last_event_at, 0)';
    if (query.after) {
      if (byTime) {
        where.push(`(${last} ${cmp} ? OR (${last} = ? AND name ${cmp} ?))`);
        params.push(query.after.lastEventAt, query.after.lastEventAt, query.after.name);
      } else {
        where.push(`name ${cmp} ?`);
        params.push(query.after.name);
      }
    }
    params.push(query.limit);
    const order = byTime ? `${last} ${dir}, name ${dir}` : `name ${dir}`;
    const sql = `SELECT * FROM log_streams WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT ?`;
    return this.db.prepare<unknown[], StreamRow>(sql).all(...params).map(toStream);
  }

  async deleteStream(id: number): Promise<void> {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM log_events WHERE stream_id = ?').run(id);
      this.db.prepare('DELETE FROM log_streams WHERE id = ?').run(id);
    })();
  }

  async append(stream: LogStreamRecord, events: readonly NewLogEvent[], ingestedAt: number): Promise<number> {
    return this.events.append(stream, events, ingestedAt);
  }

  async readStream(read: StreamRead): Promise<StoredLogEvent[]> {
    return this.events.readStream(read);
  }

  async scanGroup(scan: GroupScan, visit: (event: StoredLogEvent) => boolean): Promise<void> {
    this.events.scanGroup(scan, visit);
  }

  async deleteEventsBefore(groupId: number, cutoff: number, maxRows: number): Promise<number> {
    return this.events.deleteBefore(groupId, cutoff, maxRows);
  }

  async putMetricFilter(filter: NewMetricFilter, maxPerGroup: number): Promise<boolean> {
    return this.db.transaction(() => {
      const others = this.db
        .prepare<[number, string], { n: number }>('SELECT COUNT(*) AS n FROM metric_filters WHERE group_id = ? AND name <> ?')
        .get(filter.groupId, filter.name)!.n;
      const exists = this.db.prepare('SELECT 1 FROM metric_filters WHERE group_id = ? AND name = ?').get(filter.groupId, filter.name);
      if (!exists && others >= maxPerGroup) return false;
      this.db
        .prepare(
          `INSERT INTO metric_filters (group_id, name, pattern, transformation, created_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (group_id, name) DO UPDATE SET pattern = excluded.pattern, transformation = excluded.transformation`,
        )
        .run(filter.groupId, filter.name, filter.pattern, JSON.stringify(filter.transformation), filter.createdAt);
      return true;
    })();
  }

  async deleteMetricFilter(groupId: number, name: string): Promise<boolean> {
    return this.db.prepare('DELETE FROM metric_filters WHERE group_id = ? AND name = ?').run(groupId, name).changes > 0;
  }

  async metricFilters(query: MetricFilterQuery): Promise<MetricFilterRecord[]> {
    const where = ['g.region = ?'];
    const params: unknown[] = [query.region];
    if (query.groupId !== undefined) {
      where.push('f.group_id = ?');
      params.push(query.groupId);
    }
    if (query.prefix !== undefined) {
      where.push('f.name GLOB ?');
      params.push(globPrefix(query.prefix));
    }
    if (query.metricName !== undefined) {
      where.push("json_extract(f.transformation, '$.metricName') = ?");
      params.push(query.metricName);
    }
    if (query.metricNamespace !== undefined) {
      where.push("json_extract(f.transformation, '$.metricNamespace') = ?");
      params.push(query.metricNamespace);
    }
    if (query.after) {
      where.push('(g.name > ? OR (g.name = ? AND f.name > ?))');
      params.push(query.after.groupName, query.after.groupName, query.after.name);
    }
    params.push(query.limit);
    const sql = `SELECT f.*, g.name AS group_name FROM metric_filters f JOIN log_groups g ON g.id = f.group_id
                 WHERE ${where.join(' AND ')} ORDER BY g.name, f.name LIMIT ?`;
    return this.db
      .prepare<unknown[], MetricFilterRow>(sql)
      .all(...params)
      .map((row) => ({
        groupId: row.group_id,
        groupName: row.group_name,
        name: row.name,
        pattern: row.pattern,
        transformation: JSON.parse(row.transformation) as MetricFilterRecord['transformation'],
        createdAt: row.created_at,
      }));
  }

  /** How many events a stream holds (for tests and benchmarks). */
  countEvents(streamId: number): number {
    return this.events.countInStream(streamId);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
