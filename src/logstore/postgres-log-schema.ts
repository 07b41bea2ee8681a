import type { Migration, MigrationLedger } from '../store/postgres-migrations.js';

/**
 * The logs' tables in PostgreSQL, beside the document store's in the same database: every name
 * starts with `log_`, and the logs keep their own migration ledger and lock, so each schema
 * numbers its migrations on its own.
 */
export const LOG_LEDGER: MigrationLedger = { table: 'log_schema_migrations', lock: 3 };

/**
 * The schema, on the same plan as SQLite's `logs.db`. Names are COLLATE "C" so that listings
 * come in byte order, as SQLite's. Messages are bytea holding the UTF-8 text: text refuses NUL,
 * which container output may hold, and a byte search (`position`) is the case-sensitive
 * substring test CloudWatch's terms need. Events have two indexes, by stream and by group, each
 * ending in (timestamp, id): GetLogEvents and FilterLogEvents read in index order with a row
 * comparison for the token's position. Identity columns never reuse ids, so event ids and
 * tokens built from them stay unique after deletions. Streams and metric filters belong to their
 * group by foreign key: a stream cannot be created in a group being deleted. Events have none
 * (a check per inserted row); deletions remove the stream or group row first, which waits for an
 * append holding that row, and then the events, which by then include the append's.
 */
export const LOG_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'log tables',
    sql: `
      CREATE TABLE log_groups (
        id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        region              text COLLATE "C" NOT NULL,
        name                text COLLATE "C" NOT NULL,
        created_at          bigint NOT NULL,
        retention_days      integer,
        kms_key_id          text,
        log_group_class     text NOT NULL,
        deletion_protection boolean NOT NULL DEFAULT false,
        tags                text NOT NULL DEFAULT '{}',
        UNIQUE (region, name)
      );
      CREATE TABLE log_streams (
        id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        group_id          bigint NOT NULL REFERENCES log_groups (id) ON DELETE CASCADE,
        name              text COLLATE "C" NOT NULL,
        created_at        bigint NOT NULL,
        first_event_at    bigint,
        last_event_at     bigint,
        last_ingestion_at bigint,
        uploads           integer NOT NULL DEFAULT 0,
        stored_bytes      bigint NOT NULL DEFAULT 0,
        UNIQUE (group_id, name)
      );
      CREATE TABLE log_events (
        id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        group_id       bigint NOT NULL,
        stream_id      bigint NOT NULL,
        timestamp      bigint NOT NULL,
        ingestion_time bigint NOT NULL,
        message        bytea NOT NULL
      );
      CREATE INDEX log_events_by_stream ON log_events (stream_id, timestamp, id);
      CREATE INDEX log_events_by_group ON log_events (group_id, timestamp, id);
      CREATE TABLE log_metric_filters (
        group_id       bigint NOT NULL REFERENCES log_groups (id) ON DELETE CASCADE,
        name           text COLLATE "C" NOT NULL,
        pattern        text NOT NULL,
        transformation text NOT NULL,
        created_at     bigint NOT NULL,
        PRIMARY KEY (group_id, name)
      )`,
  },
];
