import { DomainError, ErrorKind } from '../lib/errors.js';
import type { Scope } from '../lib/scope.js';
import {
  checkBatch,
  checkSpan,
  classify,
  messageBytes,
  splitMessage,
  type InputLogEvent,
  type RejectedLogEvents,
} from './batch-rules.js';
import { EVENT_OVERHEAD_BYTES, MAX_EVENT_BYTES } from './limits.js';
import type { LogGroups } from './log-groups.js';
import type { LogGroupRecord, LogStore, NewLogEvent } from './log-store.js';
import type { LogStreams } from './log-streams.js';
import type { MetricFilters } from './metric-filters/metric-filters.js';
import { checkGroupName, groupNotFound } from './names.js';
import { sequenceToken } from './tokens.js';

/** What PutLogEvents answers. */
export interface PutEventsResult {
  nextSequenceToken: string;
  rejected?: RejectedLogEvents;
}

/** Options of the in-process append. */
export interface AppendOptions {
  /** Create the log group when it does not exist (ECS's `awslogs-create-group`). */
  createGroup?: boolean;
}

/** What an in-process append did. */
export interface AppendResult {
  /** Events stored (a message longer than an event allows is stored as several). */
  stored: number;
  /** Events dropped: empty, or too old, too new or expired for the group. */
  dropped: number;
}

/** The largest message of one event. */
const MAX_MESSAGE_BYTES = MAX_EVENT_BYTES - EVENT_OVERHEAD_BYTES;

/** Ingestion: the PutLogEvents API and the in-process path the task runner's log driver uses. */
export class Ingest {
  constructor(
    private readonly store: LogStore,
    private readonly groups: LogGroups,
    private readonly streams: LogStreams,
    private readonly metricFilters: MetricFilters,
  ) {}

  /** PutLogEvents: checks the batch, stores what is accepted, reports what is rejected. */
  async put(scope: Scope, groupName: string, streamName: string, events: readonly InputLogEvent[]): Promise<PutEventsResult> {
    const bytes = messageBytes(events);
    checkBatch(events, bytes);
    const group = await this.groups.require(scope, groupName);
    const stream = await this.streams.require(group, streamName);
    const { start, end, rejected } = classify(events, scope.now.getTime(), group.retentionDays);
    checkSpan(events, start, end);
    const accepted: NewLogEvent[] = [];
    for (let i = start; i < end; i++) accepted.push({ ...events[i]!, bytes: bytes[i]! });
    // The token numbers this batch as the store counted it, not as the stream read above did.
    const uploads = await this.store.append(stream, accepted, scope.now.getTime());
    await this.metricFilters.observe(scope, group, accepted);
    return { nextSequenceToken: sequenceToken(stream.id, uploads), ...(rejected && { rejected }) };
  }

  /**
   * Appends events of a running task: the stream is created when missing, the group only when
   * `options.createGroup` says so. Lenient where a log driver cannot be strict: events are sorted
   * by timestamp, empty messages and events AWS would reject are dropped, and long messages are
   * split; there is no batch size limit.
   */
  async append(
    scope: Scope,
    groupName: string,
    streamName: string,
    events: readonly InputLogEvent[],
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    checkGroupName(groupName);
    const group = (await this.groups.find(scope, groupName)) ?? (await this.createGroup(scope, groupName, options));
    const stream = await this.streams.ensure(scope, group, streamName);
    const pieces: InputLogEvent[] = [];
    for (const e of events) {
      if (e.message === '') continue;
      for (const message of splitMessage(e.message, MAX_MESSAGE_BYTES)) pieces.push({ timestamp: e.timestamp, message });
    }
    // A stable sort keeps lines of equal timestamps in the order they were written.
    pieces.sort((a, b) => a.timestamp - b.timestamp);
    const { start, end } = classify(pieces, scope.now.getTime(), group.retentionDays);
    const accepted: NewLogEvent[] = [];
    for (let i = start; i < end; i++) {
      const e = pieces[i]!;
      accepted.push({ timestamp: e.timestamp, message: e.message, bytes: Buffer.byteLength(e.message, 'utf8') });
    }
    if (accepted.length > 0) {
      await this.store.append(stream, accepted, scope.now.getTime());
      await this.metricFilters.observe(scope, group, accepted);
    }
    const emptyCount = events.filter((e) => e.message === '').length;
    return { stored: accepted.length, dropped: emptyCount + (pieces.length - accepted.length) };
  }

  /**
   * Creates the group of an append when the options allow it. Another append (or
   * CreateLogGroup) may create it first: the name is then taken, and that group is the one.
   */
  private async createGroup(scope: Scope, groupName: string, options: AppendOptions): Promise<LogGroupRecord> {
    if (!options.createGroup) throw groupNotFound();
    try {
      return await this.groups.create(scope, { name: groupName });
    } catch (err) {
      const group = err instanceof DomainError && err.kind === ErrorKind.AlreadyExists ? await this.groups.find(scope, groupName) : undefined;
      if (!group) throw err;
      return group;
    }
  }
}
