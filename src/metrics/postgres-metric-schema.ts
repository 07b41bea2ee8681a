import type { Migration, MigrationLedger } from '../store/postgres-migrations.js';

/**
 * CloudWatch metrics' and alarms' tables in PostgreSQL, beside the document store's and the logs'
 * in the same database: every name starts with `metric_`, and they keep their own migration ledger
 * and lock, so each schema numbers its migrations on its own.
 */
export const METRIC_LEDGER: MigrationLedger = { table: 'metric_schema_migrations', lock: 4 };

/**
 * The schema, on the plan of SQLite's `metrics.db`. A metric (series) is a row keyed by region,
 * namespace, name and its sorted dimension set as JSON; the unique key is `identity`, the SHA-256
 * of those four, since thirty dimensions of long values exceed what a B-tree entry may hold. Two
 * processes creating one metric at once meet on it (INSERT … ON CONFLICT). Its data are rows indexed by (metric, time): a statistics
 * request is one range scan per metric, and so is each metric's share of the expiry sweep (no
 * index on time alone, which every insert would pay for). `metric_hourly` keeps each metric's
 * sums per hour and unit, updated in the PutMetricData transaction, so that long ranges at hour
 * periods read one row per hour. Names are COLLATE "C" so that listings come in byte order, as
 * SQLite's. Alarms are one row each (configuration and state as JSON text) keyed by region and
 * name; their history has an identity id that orders and pages it.
 */
export const METRIC_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'metric and alarm tables',
    sql: `
      CREATE TABLE metric_series (
        id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        region      text COLLATE "C" NOT NULL,
        namespace   text COLLATE "C" NOT NULL,
        name        text COLLATE "C" NOT NULL,
        dimensions  text COLLATE "C" NOT NULL,
        last_put    bigint NOT NULL,
        identity    bytea NOT NULL UNIQUE
      );
      CREATE INDEX metric_series_by_region ON metric_series (region, id);
      CREATE INDEX metric_series_by_name ON metric_series (region, namespace, name, id);
      CREATE TABLE metric_data (
        metric_id   bigint NOT NULL,
        timestamp   bigint NOT NULL,
        unit        text COLLATE "C" NOT NULL,
        resolution  smallint NOT NULL,
        count       double precision NOT NULL,
        sum         double precision NOT NULL,
        min         double precision NOT NULL,
        max         double precision NOT NULL,
        vals        text
      );
      CREATE INDEX metric_data_by_metric ON metric_data (metric_id, timestamp);
      CREATE TABLE metric_hourly (
        metric_id   bigint NOT NULL,
        hour        bigint NOT NULL,
        unit        text COLLATE "C" NOT NULL,
        count       double precision NOT NULL,
        sum         double precision NOT NULL,
        min         double precision NOT NULL,
        max         double precision NOT NULL,
        PRIMARY KEY (metric_id, hour, unit)
      );
      CREATE TABLE metric_alarms (
        region  text COLLATE "C" NOT NULL,
        name    text COLLATE "C" NOT NULL,
        body    text NOT NULL,
        fast    boolean NOT NULL DEFAULT false,
        PRIMARY KEY (region, name)
      );
      CREATE INDEX metric_alarms_fast ON metric_alarms (fast) WHERE fast;
      CREATE TABLE metric_alarm_history (
        id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        region    text COLLATE "C" NOT NULL,
        name      text COLLATE "C" NOT NULL,
        kind      text NOT NULL,
        timestamp bigint NOT NULL,
        type      text NOT NULL,
        summary   text NOT NULL,
        data      text NOT NULL
      );
      CREATE INDEX metric_alarm_history_by_time ON metric_alarm_history (region, timestamp)`,
  },
];
