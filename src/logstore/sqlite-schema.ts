import Database from 'better-sqlite3';
import { preparePrivateDatabaseFile } from '../store/private-file.js';

/**
 * The tables of `logs.db`. Events live in one table with two indexes: by stream and time for
 * GetLogEvents, by group and time for FilterLogEvents over a whole group. Both end in the row id,
 * so (timestamp, id) order comes from the index without sorting. AUTOINCREMENT keeps ids from
 * being reused after deletions: event ids and tokens built from them stay unique.
 */
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS log_groups (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    region              TEXT NOT NULL,
    name                TEXT NOT NULL,
    created_at          INTEGER NOT NULL,
    retention_days      INTEGER,
    kms_key_id          TEXT,
    log_group_class     TEXT NOT NULL,
    deletion_protection INTEGER NOT NULL DEFAULT 0,
    tags                TEXT NOT NULL DEFAULT '{}',
    UNIQUE (region, name)
  );
  CREATE TABLE IF NOT EXISTS log_streams (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    group_id          INTEGER NOT NULL,
    name              TEXT NOT NULL,
    created_at        INTEGER NOT NULL,
    first_event_at    INTEGER,
    last_event_at     INTEGER,
    last_ingestion_at INTEGER,
    uploads           INTEGER NOT NULL DEFAULT 0,
    stored_bytes      INTEGER NOT NULL DEFAULT 0,
    UNIQUE (group_id, name)
  );
  CREATE TABLE IF NOT EXISTS log_events (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    group_id       INTEGER NOT NULL,
    stream_id      INTEGER NOT NULL,
    timestamp      INTEGER NOT NULL,
    ingestion_time INTEGER NOT NULL,
    message        TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS log_events_by_stream ON log_events (stream_id, timestamp);
  CREATE INDEX IF NOT EXISTS log_events_by_group ON log_events (group_id, timestamp);
  CREATE TABLE IF NOT EXISTS metric_filters (
    group_id       INTEGER NOT NULL,
    name           TEXT NOT NULL,
    pattern        TEXT NOT NULL,
    transformation TEXT NOT NULL,
    created_at     INTEGER NOT NULL,
    PRIMARY KEY (group_id, name)
  );
`;

/** Opens (creating when needed) the logs database at `file`, or an in-memory one for `:memory:`. */
export function openLogsDatabase(file: string): Database.Database {
  preparePrivateDatabaseFile(file);
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // NORMAL is durable across process crashes in WAL mode; only an OS crash may lose the last commits.
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  // Scans and index inserts of a large events table: a 64 MiB page cache (SQLite's default is
  // 2 MiB) and reads through a memory map of up to 1 GiB of the file.
  db.pragma('cache_size = -65536');
  db.pragma('mmap_size = 1073741824');
  db.exec(SCHEMA);
  return db;
}
