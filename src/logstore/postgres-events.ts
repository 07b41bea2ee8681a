import type pg from 'pg';
import type { GroupScan, LogStreamRecord, NewLogEvent, StoredLogEvent, StreamRead } from './log-store.js';
import type { Queryable } from '../store/postgres-pool.js';
import { streamNotFound } from './names.js';
import { prefilterPostgres } from './prefilter-postgres.js';

/** Rows a group scan fetches per query; a scan that stops early reads little past its page. */
const SCAN_PAGE = 2_000;

interface EventRow {
  id: string;
  stream_id: string;
  timestamp: string;
  ingestion_time: string;
  message: Buffer;
}

const COLUMNS = 'id, stream_id, timestamp, ingestion_time, message';
// bigint columns arrive as strings: the values (times in ms, ids) are within 2^53.
const toEvent = (r: EventRow): StoredLogEvent => ({
  id: Number(r.id),
  streamId: Number(r.stream_id),
  timestamp: Number(r.timestamp),
  ingestionTime: Number(r.ingestion_time),
  message: r.message.toString('utf8'),
});

/**
 * Appends a batch inside the caller's transaction. The stream's row is updated first: its row
 * lock makes appends to one stream take turns, so ids grow with arrival within a stream (a
 * reader following a token never skips an event committed behind it), and the upload count it
 * returns is this batch's own.
 */
export async function appendEvents(client: pg.PoolClient, stream: LogStreamRecord, events: readonly NewLogEvent[], at: number): Promise<number> {
  let bytes = 0;
  let min: number | null = null;
  let max: number | null = null;
  for (const e of events) {
    bytes += e.bytes;
    if (min === null || e.timestamp < min) min = e.timestamp;
    if (max === null || e.timestamp > max) max = e.timestamp;
  }
  const { rows } = await client.query<{ uploads: number }>(
    `UPDATE log_streams SET
       first_event_at = CASE WHEN $2::bigint IS NULL THEN first_event_at ELSE LEAST(COALESCE(first_event_at, $2), $2) END,
       last_event_at = CASE WHEN $3::bigint IS NULL THEN last_event_at ELSE GREATEST(COALESCE(last_event_at, $3), $3) END,
       last_ingestion_at = CASE WHEN $2::bigint IS NULL THEN last_ingestion_at ELSE $4 END,
       uploads = uploads + 1,
       stored_bytes = stored_bytes + $5
     WHERE id = $1 RETURNING uploads`,
    [stream.id, min, max, at, bytes],
  );
  // Deleted since the caller read it: nothing is stored (the transaction rolls back).
  if (!rows[0]) throw streamNotFound();
  if (events.length > 0) {
    // One statement per batch; WITH ORDINALITY and ORDER BY give ids in the batch's order.
    await client.query(
      `INSERT INTO log_events (group_id, stream_id, timestamp, ingestion_time, message)
       SELECT $1, $2, t, $3, m FROM unnest($4::bigint[], $5::bytea[]) WITH ORDINALITY AS e(t, m, n) ORDER BY n`,
      [stream.groupId, stream.id, at, events.map((e) => e.timestamp), events.map((e) => Buffer.from(e.message, 'utf8'))],
    );
  }
  return rows[0].uploads;
}

/** Events of one stream; see LogStore.readStream. */
export async function readStream(db: Queryable, read: StreamRead): Promise<StoredLogEvent[]> {
  const forward = read.direction === 'forward';
  const params: unknown[] = [read.streamId, read.minTime, read.maxTime];
  let bound = '';
  if (read.from) {
    params.push(read.from.timestamp, read.from.id);
    bound = `AND (timestamp, id) ${forward ? '>' : '<'} ($4, $5)`;
  }
  params.push(read.limit);
  const order = forward ? 'timestamp, id' : 'timestamp DESC, id DESC';
  const { rows } = await db.query<EventRow>(
    `SELECT ${COLUMNS} FROM log_events WHERE stream_id = $1 AND timestamp >= $2 AND timestamp <= $3 ${bound}
     ORDER BY ${order} LIMIT $${params.length}`,
    params,
  );
  const events = rows.map(toEvent);
  return forward ? events : events.reverse();
}

/**
 * Visits a group's events (see LogStore.scanGroup) a page at a time: each page is a query that
 * resumes after the last row of the previous one, in index order, with the prefilter applied by
 * the server.
 */
export async function scanGroup(db: Queryable, scan: GroupScan, visit: (event: StoredLogEvent) => boolean): Promise<void> {
  const params: unknown[] = [];
  const p = (value: unknown) => `$${params.push(value)}`;
  const where: string[] = [];
  if (scan.streamIds?.length === 1) where.push(`stream_id = ${p(scan.streamIds[0])}`);
  else where.push(`group_id = ${p(scan.groupId)}`);
  where.push(`timestamp >= ${p(scan.minTime)}`, `timestamp <= ${p(scan.maxTime)}`);
  if (scan.streamIds && scan.streamIds.length !== 1) where.push(`stream_id = ANY(${p(scan.streamIds)}::bigint[])`);
  if (scan.streamPrefix !== undefined) {
    where.push(`stream_id IN (SELECT id FROM log_streams WHERE group_id = ${p(scan.groupId)} AND starts_with(name, ${p(scan.streamPrefix)}))`);
  }
  const filter = prefilterPostgres(scan.prefilter, params);
  if (filter !== 'TRUE') where.push(filter);
  const fixed = params.length;
  const resume = `(timestamp, id) > ($${fixed + 1}, $${fixed + 2})`;
  const sql = (after: boolean) =>
    `SELECT ${COLUMNS} FROM log_events WHERE ${[...where, ...(after ? [resume] : [])].join(' AND ')}
     ORDER BY timestamp, id LIMIT ${SCAN_PAGE}`;
  let after = scan.after;
  for (;;) {
    const { rows } = await db.query<EventRow>(sql(after !== undefined), after ? [...params, after.timestamp, after.id] : params);
    for (const row of rows) {
      const event = toEvent(row);
      if (!visit(event)) return;
      after = event;
    }
    if (rows.length < SCAN_PAGE) return;
  }
}

/**
 * Deletes up to `maxRows` of a group's oldest events before `cutoff` and takes their bytes off
 * their streams, in one statement.
 */
export async function deleteEventsBefore(db: Queryable, groupId: number, cutoff: number, maxRows: number): Promise<number> {
  const { rows } = await db.query<{ n: string }>(
    `WITH doomed AS (
       SELECT id FROM log_events WHERE group_id = $1 AND timestamp < $2 ORDER BY timestamp, id LIMIT $3
     ), gone AS (
       DELETE FROM log_events e USING doomed d WHERE e.id = d.id RETURNING e.stream_id, octet_length(e.message) AS bytes
     ), freed AS (
       SELECT stream_id, SUM(bytes) AS bytes, COUNT(*) AS n FROM gone GROUP BY stream_id
     ), released AS (
       UPDATE log_streams s SET stored_bytes = GREATEST(0, s.stored_bytes - f.bytes) FROM freed f WHERE s.id = f.stream_id
     )
     SELECT COALESCE(SUM(n), 0) AS n FROM freed`,
    [groupId, cutoff, maxRows],
  );
  return Number(rows[0]?.n ?? 0);
}
