import type { Prefilter } from './filter/prefilter.js';
import type { MetricTransformationInput } from './metric-filters/transformation.js';

/**
 * The persistence port of CloudWatch Logs: log groups, streams and events. Events are many and
 * small, so this is not the generic document `Store`: implementations keep events in their own
 * indexed table and append them in batches. Asynchronous, since PostgreSQL is: every method is
 * one statement or one transaction, so what must be atomic (a create that may find the name
 * taken, a batch append with its statistics) is atomic inside the store, never across calls.
 */
export interface LogStore {
  /** Creates a group; returns undefined when the region already has one of that name. */
  createGroup(group: NewLogGroup): Promise<LogGroupRecord | undefined>;
  /** The group of that name in the region. */
  group(region: string, name: string): Promise<LogGroupRecord | undefined>;
  /** Groups of a region in name order, after `query.after`, at most `query.limit`. */
  groups(query: GroupQuery): Promise<LogGroupRecord[]>;
  /** Groups (of every region) that have a retention policy. */
  groupsWithRetention(): Promise<LogGroupRecord[]>;
  /** Changes the mutable settings of a group. */
  updateGroup(id: number, changes: GroupChanges): Promise<void>;
  /**
   * Replaces a group's tags with `edit(current tags)` in one transaction, so that concurrent
   * edits do not lose each other's tags; `edit` may throw to change nothing. Returns false when
   * there is no such group.
   */
  editTags(id: number, edit: (tags: Readonly<Record<string, string>>) => Readonly<Record<string, string>>): Promise<boolean>;
  /** Deletes a group with its streams and events. */
  deleteGroup(id: number): Promise<void>;

  /**
   * Creates a stream; returns undefined when the group already has one of that name, rejects
   * with ResourceNotFound when the group no longer exists (deleted since the caller read it).
   */
  createStream(groupId: number, name: string, createdAt: number): Promise<LogStreamRecord | undefined>;
  /** The stream of that name in the group. */
  stream(groupId: number, name: string): Promise<LogStreamRecord | undefined>;
  /** Streams of a group in the requested order, after `query.after`, at most `query.limit`. */
  streams(query: StreamQuery): Promise<LogStreamRecord[]>;
  /** Deletes a stream with its events. */
  deleteStream(id: number): Promise<void>;

  /**
   * Appends events (in order) to a stream in one transaction and updates its statistics; returns
   * the stream's upload count after this batch (the batch's own number, whatever ran concurrently).
   * Rejects with ResourceNotFound, storing nothing, when the stream no longer exists.
   */
  append(stream: LogStreamRecord, events: readonly NewLogEvent[], ingestedAt: number): Promise<number>;
  /** Events of one stream in (timestamp, id) order within the bounds of `read`. */
  readStream(read: StreamRead): Promise<StoredLogEvent[]>;
  /**
   * Visits the events of a group in (timestamp, id) order that pass `scan.prefilter`, until
   * `visit` returns false. The visitor is synchronous and must not use the store.
   */
  scanGroup(scan: GroupScan, visit: (event: StoredLogEvent) => boolean): Promise<void>;
  /** Deletes up to `maxRows` events of a group older than `cutoff`; returns how many. */
  deleteEventsBefore(groupId: number, cutoff: number, maxRows: number): Promise<number>;

  /**
   * Creates or replaces a group's metric filter of that name; a new name is refused (false) when
   * the group has `maxPerGroup` filters already. The count and the write are one transaction.
   */
  putMetricFilter(filter: NewMetricFilter, maxPerGroup: number): Promise<boolean>;
  /** Deletes a group's metric filter; returns whether there was one. */
  deleteMetricFilter(groupId: number, name: string): Promise<boolean>;
  /** Metric filters of a region in (group name, filter name) order. */
  metricFilters(query: MetricFilterQuery): Promise<MetricFilterRecord[]>;

  /** Releases the store. */
  close(): Promise<void>;
}

/** A metric filter to store. */
export interface NewMetricFilter {
  readonly groupId: number;
  readonly name: string;
  readonly pattern: string;
  readonly transformation: MetricTransformationInput;
  readonly createdAt: number;
}

/** A metric filter as stored, with its group's name. */
export interface MetricFilterRecord extends NewMetricFilter {
  readonly groupName: string;
}

/** Which metric filters to list. */
export interface MetricFilterQuery {
  readonly region: string;
  readonly groupId?: number;
  readonly prefix?: string;
  readonly metricName?: string;
  readonly metricNamespace?: string;
  /** The last filter of the previous page. */
  readonly after?: { readonly groupName: string; readonly name: string };
  readonly limit: number;
}

/** The classes of log groups (the API's `LogGroupClass`). */
export type LogGroupClass = 'STANDARD' | 'INFREQUENT_ACCESS' | 'DELIVERY';

/** A log group as stored. */
export interface LogGroupRecord {
  readonly id: number;
  readonly region: string;
  readonly name: string;
  readonly createdAt: number;
  readonly retentionDays?: number;
  readonly kmsKeyId?: string;
  readonly logGroupClass: LogGroupClass;
  readonly deletionProtection: boolean;
  readonly tags: Readonly<Record<string, string>>;
  /** UTF-8 bytes of the messages the group holds. */
  readonly storedBytes: number;
  /** How many metric filters the group has. */
  readonly metricFilterCount: number;
}

/** What a new log group starts with. */
export type NewLogGroup = Omit<LogGroupRecord, 'id' | 'storedBytes' | 'metricFilterCount' | 'retentionDays'> & { retentionDays?: number };

/** The settings of a group that change after creation; `retentionDays: null` removes the policy. */
export interface GroupChanges {
  retentionDays?: number | null;
  deletionProtection?: boolean;
}

/** A log stream as stored. */
export interface LogStreamRecord {
  readonly id: number;
  readonly groupId: number;
  readonly name: string;
  readonly createdAt: number;
  readonly firstEventAt?: number;
  readonly lastEventAt?: number;
  readonly lastIngestionAt?: number;
  /** How many batches were appended: the source of the stream's sequence tokens. */
  readonly uploads: number;
}

/** An event to append; `bytes` is the UTF-8 size of the message. */
export interface NewLogEvent {
  readonly timestamp: number;
  readonly message: string;
  readonly bytes: number;
}

/** A stored event; `id` orders events of equal timestamp by arrival and is never reused. */
export interface StoredLogEvent {
  readonly id: number;
  readonly streamId: number;
  readonly timestamp: number;
  readonly ingestionTime: number;
  readonly message: string;
}

/** A point between events in (timestamp, id) order. */
export interface EventPosition {
  readonly timestamp: number;
  readonly id: number;
}

/** Which groups to list. */
export interface GroupQuery {
  readonly region: string;
  readonly prefix?: string;
  /** A case-sensitive substring of the name (DescribeLogGroups' logGroupNamePattern). */
  readonly contains?: string;
  readonly logGroupClass?: LogGroupClass;
  /** Only these names. */
  readonly names?: readonly string[];
  /** The name of the last group of the previous page. */
  readonly after?: string;
  readonly limit: number;
}

/** Which streams to list, and in which order. */
export interface StreamQuery {
  readonly groupId: number;
  readonly prefix?: string;
  readonly orderBy: 'LogStreamName' | 'LastEventTime';
  readonly descending: boolean;
  /** The last stream of the previous page. */
  readonly after?: { readonly name: string; readonly lastEventAt: number };
  readonly limit: number;
}

/** A read of one stream: timestamps within [minTime, maxTime], strictly after or before a position. */
export interface StreamRead {
  readonly streamId: number;
  readonly minTime: number;
  readonly maxTime: number;
  /** Forward reads return the first `limit` events after `from`; backward reads the last before it. */
  readonly direction: 'forward' | 'backward';
  readonly from?: EventPosition;
  readonly limit: number;
}

/** A scan of a group's events: timestamps within [minTime, maxTime], strictly after `after`. */
export interface GroupScan {
  readonly groupId: number;
  /** Only these streams (ids). */
  readonly streamIds?: readonly number[];
  /** Only streams whose names start with this. */
  readonly streamPrefix?: string;
  readonly minTime: number;
  readonly maxTime: number;
  readonly after?: EventPosition;
  readonly prefilter: Prefilter;
}
