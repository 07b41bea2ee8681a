import { join } from 'node:path';
import type { Logger } from 'pino';
import type { LogStore } from '../logstore/log-store.js';
import type { AlarmStore } from '../metrics/alarms/alarm-store.js';
import { PostgresAlarmStore } from '../metrics/alarms/postgres-alarm-store.js';
import { SqliteAlarmStore } from '../metrics/alarms/sqlite-alarm-store.js';
import { MetricService } from '../metrics/metric-service.js';
import { PostgresMetricStore } from '../metrics/postgres-metric-store.js';
import { SqliteMetricStore } from '../metrics/sqlite-metric-store.js';
import { PostgresLogStore } from '../logstore/postgres-log-store.js';
import { SqliteLogStore } from '../logstore/sqlite-log-store.js';
import { PostgresStore } from '../store/postgres-store.js';
import { SqliteStore } from '../store/sqlite-store.js';
import type { Store } from '../store/store.js';
import { redactedStoreUrl, storeProblem, type PlatformConfig } from './config.js';

/**
 * The document store `--store` names: PostgreSQL for a URL (several processes may share it),
 * else the embedded SQLite file `minato.db` in the data dir. CloudWatch Logs and metrics move with
 * it (see openLogStore, openMetrics); registry files and scan data stay in the data dir.
 */
export async function openStore(config: Pick<PlatformConfig, 'store'>, dataDir: string, logger: Logger): Promise<Store> {
  if (config.store === undefined) return new SqliteStore(join(dataDir, 'minato.db'));
  const problem = storeProblem(config.store);
  if (problem) throw new Error(problem);
  const store = await PostgresStore.open({
    connectionString: config.store,
    // The message and code only: the driver's error objects carry the client and its password.
    onIdleError: (err) => logger.warn({ code: (err as { code?: string }).code, message: err.message }, 'an idle PostgreSQL connection failed'),
  });
  logger.info({ store: redactedStoreUrl(config.store) }, 'document store on PostgreSQL');
  return store;
}

/**
 * CloudWatch Logs' store: its own tables in the document store's PostgreSQL database when
 * `--store` names one (so that every process sharing the database sees the same logs), else the
 * SQLite file `logs.db` in the data dir.
 */
export async function openLogStore(config: Pick<PlatformConfig, 'store'>, dataDir: string, logger: Logger): Promise<LogStore> {
  if (config.store === undefined) return new SqliteLogStore(join(dataDir, 'logs.db'));
  return PostgresLogStore.open({
    connectionString: config.store,
    onIdleError: (err) => logger.warn({ code: (err as { code?: string }).code, message: err.message }, 'an idle PostgreSQL connection of the log store failed'),
  });
}

/** The metric service and the alarms' store beside it (closed with the metric service). */
export interface OpenedMetrics {
  readonly metrics: MetricService;
  readonly alarmStore: AlarmStore;
}

/**
 * CloudWatch metrics and alarms: their own tables in the document store's PostgreSQL database
 * when `--store` names one (so that every process sharing the database sees the same metrics and
 * alarms; no `metrics.db` is created then), else the SQLite file `metrics.db` in the data dir.
 */
export async function openMetrics(config: Pick<PlatformConfig, 'store'>, dataDir: string, logger: Logger): Promise<OpenedMetrics> {
  if (config.store === undefined) {
    const store = new SqliteMetricStore(join(dataDir, 'metrics.db'));
    return { metrics: new MetricService(store), alarmStore: new SqliteAlarmStore(store.database) };
  }
  const store = await PostgresMetricStore.open({
    connectionString: config.store,
    onIdleError: (err) => logger.warn({ code: (err as { code?: string }).code, message: err.message }, 'an idle PostgreSQL connection of the metric store failed'),
  });
  return { metrics: new MetricService(store), alarmStore: new PostgresAlarmStore(store.pool) };
}
