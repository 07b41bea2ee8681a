import type { Scope } from '../lib/scope.js';
import type { InputLogEvent } from './batch-rules.js';
import { Ingest, type AppendOptions, type AppendResult, type PutEventsResult } from './ingest.js';
import { LogGroups } from './log-groups.js';
import type { LogStore } from './log-store.js';
import { LogStreams } from './log-streams.js';
import { MetricFilters } from './metric-filters/metric-filters.js';
import type { MetricSink } from './metric-filters/metric-sink.js';
import {
  Queries,
  type FilterEventsInput,
  type FilterEventsResult,
  type GetEventsInput,
  type GetEventsResult,
} from './queries.js';
import { startSweeper, sweepRetention, type SweeperOptions } from './retention.js';
import { SqliteLogStore } from './sqlite-log-store.js';

export type { InputLogEvent, RejectedLogEvents } from './batch-rules.js';
export type { AppendOptions, AppendResult, PutEventsResult } from './ingest.js';
export type { CreateGroupInput, DescribeGroupsInput } from './log-groups.js';
export type { DescribeStreamsInput } from './log-streams.js';
export type { DescribeMetricFiltersInput, PutMetricFilterInput, TestMatch } from './metric-filters/metric-filters.js';
export type { MetricDatum, MetricSink } from './metric-filters/metric-sink.js';
export type { MetricTransformationInput } from './metric-filters/transformation.js';
export type { FilterEventsInput, FilterEventsResult, FilteredEvent, GetEventsInput, GetEventsResult } from './queries.js';

/**
 * CloudWatch Logs, the domain: log groups, streams and events with AWS's rules, over a LogStore.
 * The API (`api/logs`) and the task runner's `awslogs` driver (`appendEvents`) both use it.
 */
export class LogService {
  /** Log groups: create, describe, delete, retention, deletion protection, tags. */
  readonly groups: LogGroups;
  /** Log streams: create, describe, delete. */
  readonly streams: LogStreams;
  /** Metric filters: put, describe, delete, test; applied to every batch ingested. */
  readonly metricFilters: MetricFilters;
  private readonly ingest: Ingest;
  private readonly queries: Queries;

  /** `metricSink` receives the datapoints of metric filters; without one, filters publish nothing. */
  constructor(
    private readonly store: LogStore,
    metricSink?: MetricSink,
  ) {
    this.groups = new LogGroups(store);
    this.streams = new LogStreams(store, this.groups);
    this.metricFilters = new MetricFilters(store, this.groups, metricSink);
    this.ingest = new Ingest(store, this.groups, this.streams, this.metricFilters);
    this.queries = new Queries(store, this.groups, this.streams);
  }

  /** PutLogEvents: stores the accepted events of a batch and reports the rejected ones. */
  putEvents(scope: Scope, group: string, stream: string, events: readonly InputLogEvent[]): Promise<PutEventsResult> {
    return this.ingest.put(scope, group, stream, events);
  }

  /**
   * Appends a running task's log lines: creates the stream when missing, and the group only with
   * `{ createGroup: true }` (ECS's `awslogs-create-group`). See Ingest.append for the details.
   */
  appendEvents(
    scope: Scope,
    group: string,
    stream: string,
    events: readonly InputLogEvent[],
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    return this.ingest.append(scope, group, stream, events, options);
  }

  /** GetLogEvents. */
  getEvents(scope: Scope, input: GetEventsInput): Promise<GetEventsResult> {
    return this.queries.getEvents(scope, input);
  }

  /** FilterLogEvents. */
  filterEvents(scope: Scope, input: FilterEventsInput): Promise<FilterEventsResult> {
    return this.queries.filterEvents(scope, input);
  }

  /** Deletes events older than their group's retention as of `now` (at most `maxRows`); returns how many. */
  sweepRetention(now: Date, maxRows?: number): Promise<number> {
    return sweepRetention(this.store, now, maxRows);
  }

  /** Starts the periodic retention sweep; returns the function that stops it. */
  startRetentionSweeper(intervalMs: number, options: SweeperOptions = {}): () => void {
    return startSweeper((now, maxRows) => this.sweepRetention(now, maxRows), intervalMs, options);
  }

  /** Closes the store. */
  close(): Promise<void> {
    return this.store.close();
  }
}

/** The log service on `<file>` (normally `<data-dir>/logs.db`), publishing metric filters' data to `metricSink`. */
export function openLogService(file: string, metricSink?: MetricSink): LogService {
  return new LogService(new SqliteLogStore(file), metricSink);
}
