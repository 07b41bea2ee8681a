import type Database from 'better-sqlite3';
import type { GroupScan, LogStreamRecord, NewLogEvent, StoredLogEvent, StreamRead } from './log-store.js';
import { streamNotFound } from './names.js';
import { prefilterSql } from './prefilter-sql.js';

type Db = Database.Database;
/** A selected event row: id, stream id, timestamp, ingestion time, message (raw mode). */
type EventRow = [number, number, number, number, string];

const COLUMNS = 'id, stream_id, timestamp, ingestion_time, message';
const toEvent = (r: EventRow): StoredLogEvent => ({
  id: r[0],
  streamId: r[1],
  timestamp: r[2],
  ingestionTime: r[3],
  message: r[4],
});

/** Escapes GLOB's special characters so that `prefix*` matches names starting with `prefix`. */
export const globPrefix = (prefix: string): string => `${prefix.replace(/[*?[]/g, (c) => `[${c}]`)}*`;

/** The event half of the SQLite log store: batched appends, stream reads, group scans, deletion. */
export class SqliteEvents {
  private readonly insert;
  private readonly touch;
  private readonly count;
  private readonly uploads;
  private readonly appendAll;
  private readonly reads = new Map<string, Database.Statement>();

  constructor(private readonly db: Db) {
    this.insert = db.prepare<[number, number, number, number, string]>(
      'INSERT INTO log_events (group_id, stream_id, timestamp, ingestion_time, message) VALUES (?, ?, ?, ?, ?)',
    );
    this.touch = db.prepare<{ id: number; min: number | null; max: number | null; at: number; bytes: number }>(
      `UPDATE log_streams SET
         first_event_at = CASE WHEN @min IS NULL THEN first_event_at ELSE MIN(COALESCE(first_event_at, @min), @min) END,
         last_event_at = CASE WHEN @max IS NULL THEN last_event_at ELSE MAX(COALESCE(last_event_at, @max), @max) END,
         last_ingestion_at = CASE WHEN @min IS NULL THEN last_ingestion_at ELSE @at END,
         uploads = uploads + 1,
         stored_bytes = stored_bytes + @bytes
       WHERE id = @id`,
    );
    this.uploads = db.prepare<[number], { uploads: number }>('SELECT uploads FROM log_streams WHERE id = ?');
    this.count = db.prepare<[number], { n: number }>('SELECT COUNT(*) AS n FROM log_events WHERE stream_id = ?');
    this.appendAll = db.transaction((stream: LogStreamRecord, events: readonly NewLogEvent[], at: number): number => {
      // The stream may have been deleted since the caller read it: store nothing then.
      if (this.uploads.get(stream.id) === undefined) throw streamNotFound();
      let bytes = 0;
      let min: number | null = null;
      let max: number | null = null;
      for (const e of events) {
        this.insert.run(stream.groupId, stream.id, e.timestamp, at, e.message);
        bytes += e.bytes;
        if (min === null || e.timestamp < min) min = e.timestamp;
        if (max === null || e.timestamp > max) max = e.timestamp;
      }
      this.touch.run({ id: stream.id, min, max, at, bytes });
      return this.uploads.get(stream.id)!.uploads;
    });
  }

  /** Appends a batch in one transaction; returns the stream's upload count after it. */
  append(stream: LogStreamRecord, events: readonly NewLogEvent[], ingestedAt: number): number {
    return this.appendAll(stream, events, ingestedAt);
  }

  /** How many events a stream holds. */
  countInStream(streamId: number): number {
    return this.count.get(streamId)!.n;
  }

  /** Events of one stream; see LogStore.readStream. */
  readStream(read: StreamRead): StoredLogEvent[] {
    const forward = read.direction === 'forward';
    const from = read.from;
    const key = `${read.direction}/${from ? 'from' : 'all'}`;
    let statement = this.reads.get(key);
    if (!statement) {
      const bound = !from ? '' : forward ? 'AND (timestamp > ? OR (timestamp = ? AND id > ?))' : 'AND (timestamp < ? OR (timestamp = ? AND id < ?))';
      const order = forward ? 'timestamp, id' : 'timestamp DESC, id DESC';
      statement = this.db
        .prepare(`SELECT ${COLUMNS} FROM log_events WHERE stream_id = ? AND timestamp >= ? AND timestamp <= ? ${bound} ORDER BY ${order} LIMIT ?`)
        .raw();
      this.reads.set(key, statement);
    }
    let min = read.minTime;
    let max = read.maxTime;
    const params: number[] = [read.streamId];
    if (from && forward) min = Math.max(min, from.timestamp);
    if (from && !forward) max = Math.min(max, from.timestamp);
    params.push(min, max);
    if (from) params.push(from.timestamp, from.timestamp, from.id);
    params.push(read.limit);
    const events = (statement.all(...params) as EventRow[]).map(toEvent);
    return forward ? events : events.reverse();
  }

  /** Visits a group's events; see LogStore.scanGroup. The visitor must not use the database. */
  scanGroup(scan: GroupScan, visit: (event: StoredLogEvent) => boolean): void {
    const where: string[] = [];
    const params: unknown[] = [];
    const single = scan.streamIds?.length === 1;
    if (single) {
      where.push('stream_id = ?');
      params.push(scan.streamIds![0]);
    } else {
      where.push('group_id = ?');
      params.push(scan.groupId);
    }
    const min = scan.after ? Math.max(scan.minTime, scan.after.timestamp) : scan.minTime;
    where.push('timestamp >= ?', 'timestamp <= ?');
    params.push(min, scan.maxTime);
    if (scan.after) {
      where.push('(timestamp > ? OR (timestamp = ? AND id > ?))');
      params.push(scan.after.timestamp, scan.after.timestamp, scan.after.id);
    }
    // `+stream_id` keeps SQLite on the group index, whose order is the order of the answer.
    if (scan.streamIds && !single) {
      where.push(`+stream_id IN (${scan.streamIds.map(() => '?').join(', ')})`);
      params.push(...scan.streamIds);
    }
    if (scan.streamPrefix !== undefined) {
      where.push('+stream_id IN (SELECT id FROM log_streams WHERE group_id = ? AND name GLOB ?)');
      params.push(scan.groupId, globPrefix(scan.streamPrefix));
    }
    const filter = prefilterSql(scan.prefilter);
    if (filter.sql !== '1') {
      where.push(filter.sql);
      params.push(...filter.params);
    }
    const statement = this.db
      .prepare(`SELECT ${COLUMNS} FROM log_events WHERE ${where.join(' AND ')} ORDER BY timestamp, id`)
      .raw();
    for (const row of statement.iterate(...params) as IterableIterator<EventRow>) {
      if (!visit(toEvent(row))) break;
    }
  }

  /** Deletes up to `maxRows` of a group's oldest events before `cutoff`, keeping byte counts right. */
  deleteBefore(groupId: number, cutoff: number, maxRows: number): number {
    const chunk = 'SELECT id, stream_id, message FROM log_events WHERE group_id = ? AND timestamp < ? ORDER BY timestamp, id LIMIT ?';
    return this.db.transaction(() => {
      const freed = this.db
        .prepare<[number, number, number], { stream_id: number; bytes: number }>(
          `SELECT stream_id, SUM(length(CAST(message AS BLOB))) AS bytes FROM (${chunk}) GROUP BY stream_id`,
        )
        .all(groupId, cutoff, maxRows);
      const deleted = this.db
        .prepare(`DELETE FROM log_events WHERE id IN (SELECT id FROM (${chunk}))`)
        .run(groupId, cutoff, maxRows).changes;
      const release = this.db.prepare('UPDATE log_streams SET stored_bytes = MAX(0, stored_bytes - ?) WHERE id = ?');
      for (const f of freed) release.run(f.bytes, f.stream_id);
      return deleted;
    })();
  }
}
