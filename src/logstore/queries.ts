import { invalidParameter } from '../lib/errors.js';
import { decodeToken, encodeToken } from '../lib/pagination.js';
import type { Scope } from '../lib/scope.js';
import { compileFilterPattern } from './filter/filter-pattern.js';
import { EVENT_OVERHEAD_BYTES, MAX_EVENTS_PER_PAGE, MAX_PAGE_BYTES } from './limits.js';
import { retentionCutoff, type LogGroups } from './log-groups.js';
import type { EventPosition, LogStore, StoredLogEvent } from './log-store.js';
import type { LogStreams } from './log-streams.js';
import { eventId, formatStreamToken, parseStreamToken } from './tokens.js';

/** GetLogEvents' input. `endTime` is exclusive, as the API reference says. */
export interface GetEventsInput {
  groupName: string;
  streamName: string;
  startTime?: number;
  endTime?: number;
  nextToken?: string;
  limit?: number;
  startFromHead?: boolean;
}

/** A page of one stream and the tokens to read on in either direction. */
export interface GetEventsResult {
  events: StoredLogEvent[];
  nextForwardToken: string;
  nextBackwardToken: string;
}

/** FilterLogEvents' input. `endTime` is inclusive, as the API reference says. */
export interface FilterEventsInput {
  groupName: string;
  streamNames?: readonly string[];
  streamPrefix?: string;
  startTime?: number;
  endTime?: number;
  pattern?: string;
  nextToken?: string;
  limit?: number;
}

/** A matching event, with its stream and id. */
export interface FilteredEvent extends StoredLogEvent {
  streamName: string;
  eventId: string;
}

/** A page of matching events, in time order across the streams searched. */
export interface FilterEventsResult {
  events: FilteredEvent[];
  nextToken?: string;
}

const LATEST = Number.MAX_SAFE_INTEGER;

/** The position just before `p` in forward reading order (no event has id 0). */
const before = (p: EventPosition): EventPosition => ({ timestamp: p.timestamp, id: Math.max(0, p.id - 1) });

/** Keeps as many events as fit in a page: from the start when reading forward, from the end backward. */
function fitPage<T extends StoredLogEvent>(events: T[], fromEnd: boolean): T[] {
  let bytes = 0;
  const ordered = fromEnd ? [...events].reverse() : events;
  let kept = 0;
  for (const e of ordered) {
    bytes += Buffer.byteLength(e.message, 'utf8') + EVENT_OVERHEAD_BYTES;
    if (kept > 0 && bytes > MAX_PAGE_BYTES) break;
    kept++;
  }
  return fromEnd ? events.slice(events.length - kept) : events.slice(0, kept);
}

/** Reading events back: GetLogEvents and FilterLogEvents, within each group's retention. */
export class Queries {
  constructor(
    private readonly store: LogStore,
    private readonly groups: LogGroups,
    private readonly streams: LogStreams,
  ) {}

  /**
   * GetLogEvents. Without a token it reads the newest events (or the oldest with `startFromHead`);
   * a token reads on in its direction, and when nothing is left the same token comes back.
   */
  async getEvents(scope: Scope, input: GetEventsInput): Promise<GetEventsResult> {
    const group = await this.groups.require(scope, input.groupName);
    const stream = await this.streams.require(group, input.streamName);
    const token = input.nextToken === undefined ? undefined : parseStreamToken(input.nextToken);
    const direction = token?.direction ?? (input.startFromHead ? 'forward' : 'backward');
    const read = await this.store.readStream({
      streamId: stream.id,
      minTime: Math.max(input.startTime ?? 0, retentionCutoff(group, scope.now)),
      maxTime: input.endTime === undefined ? LATEST : input.endTime - 1,
      direction,
      ...(token && { from: token.position }),
      limit: input.limit ?? MAX_EVENTS_PER_PAGE,
    });
    const events = fitPage(read, direction === 'backward');
    const first = events[0];
    const last = events[events.length - 1];
    if (first && last) {
      return {
        events,
        nextForwardToken: formatStreamToken({ direction: 'forward', position: last }),
        nextBackwardToken: formatStreamToken({ direction: 'backward', position: first }),
      };
    }
    const at = token?.position ?? { timestamp: 0, id: 0 };
    return {
      events,
      nextForwardToken:
        token?.direction === 'forward' ? input.nextToken! : formatStreamToken({ direction: 'forward', position: before(at) }),
      nextBackwardToken:
        token?.direction === 'backward'
          ? input.nextToken!
          : formatStreamToken({ direction: 'backward', position: { timestamp: at.timestamp, id: at.id + 1 } }),
    };
  }

  /** FilterLogEvents: the events of a group's streams that match the pattern, in time order. */
  async filterEvents(scope: Scope, input: FilterEventsInput): Promise<FilterEventsResult> {
    if (input.streamNames !== undefined && input.streamPrefix !== undefined) {
      throw invalidParameter('You cannot specify both logStreamNames and logStreamNamePrefix.');
    }
    const pattern = compileFilterPattern(input.pattern);
    const group = await this.groups.require(scope, input.groupName);
    const listing = `FilterLogEvents/${group.id}`;
    const after = decodePosition(decodeToken(listing, input.nextToken));
    const names = new Map<number, string>();
    for (const s of await this.store.streams({
      groupId: group.id,
      ...(input.streamPrefix !== undefined && { prefix: input.streamPrefix }),
      orderBy: 'LogStreamName',
      descending: false,
      limit: LATEST,
    })) {
      if (!input.streamNames || input.streamNames.includes(s.name)) names.set(s.id, s.name);
    }
    if (names.size === 0) return { events: [] };
    const limit = input.limit ?? MAX_EVENTS_PER_PAGE;
    const events: FilteredEvent[] = [];
    let bytes = 0;
    let full = false;
    await this.store.scanGroup(
      {
        groupId: group.id,
        ...(input.streamNames !== undefined && { streamIds: [...names.keys()] }),
        ...(input.streamPrefix !== undefined && { streamPrefix: input.streamPrefix }),
        minTime: Math.max(input.startTime ?? 0, retentionCutoff(group, scope.now)),
        maxTime: input.endTime ?? LATEST,
        ...(after && { after }),
        prefilter: pattern.prefilter,
      },
      (event) => {
        if (!pattern.matches(event.message)) return true;
        events.push({ ...event, streamName: names.get(event.streamId) ?? '', eventId: eventId(event) });
        bytes += Buffer.byteLength(event.message, 'utf8') + EVENT_OVERHEAD_BYTES;
        full = events.length >= limit || bytes >= MAX_PAGE_BYTES;
        return !full;
      },
    );
    const last = events[events.length - 1];
    if (!full || !last) return { events };
    return { events, nextToken: encodeToken(listing, `${last.timestamp}/${last.id}`) };
  }
}

function decodePosition(key: string | undefined): EventPosition | undefined {
  if (key === undefined) return undefined;
  const [timestamp, id] = key.split('/').map(Number);
  if (!Number.isSafeInteger(timestamp) || !Number.isSafeInteger(id)) throw invalidParameter('Invalid nextToken value.');
  return { timestamp: timestamp!, id: id! };
}
