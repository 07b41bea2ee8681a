import { DomainError, ErrorKind, invalidParameter } from '../lib/errors.js';
import { decodeToken, encodeToken, type Page } from '../lib/pagination.js';
import type { Scope } from '../lib/scope.js';
import { DESCRIBE_LIMIT } from './limits.js';
import type { LogGroupRecord, LogStore, LogStreamRecord } from './log-store.js';
import type { LogGroups } from './log-groups.js';
import { checkStreamName, streamNotFound } from './names.js';

/** DescribeLogStreams' filters, order and paging. */
export interface DescribeStreamsInput {
  prefix?: string;
  orderBy?: 'LogStreamName' | 'LastEventTime';
  descending?: boolean;
  limit?: number;
  nextToken?: string;
}

/** Log streams of the groups. */
export class LogStreams {
  constructor(
    private readonly store: LogStore,
    private readonly groups: LogGroups,
  ) {}

  /** Creates a stream; ResourceNotFound without the group, ResourceAlreadyExists for a taken name. */
  async create(scope: Scope, groupName: string, name: string): Promise<LogStreamRecord> {
    checkStreamName(name);
    const group = await this.groups.require(scope, groupName);
    const created = await this.store.createStream(group.id, name, scope.now.getTime());
    if (!created) throw new DomainError(ErrorKind.AlreadyExists, 'The specified log stream already exists', 'log-stream');
    return created;
  }

  /** The named stream of a group; ResourceNotFound when there is none. */
  async require(group: LogGroupRecord, name: string): Promise<LogStreamRecord> {
    const stream = await this.store.stream(group.id, name);
    if (!stream) throw streamNotFound();
    return stream;
  }

  /**
   * The named stream, created when missing (the `awslogs` driver's behaviour). A concurrent
   * append may create it between the read and the create; the create then finds the name taken
   * and the stream is read again.
   */
  async ensure(scope: Scope, group: LogGroupRecord, name: string): Promise<LogStreamRecord> {
    checkStreamName(name);
    const stream =
      (await this.store.stream(group.id, name)) ??
      (await this.store.createStream(group.id, name, scope.now.getTime())) ??
      (await this.store.stream(group.id, name));
    // Only a deletion racing the creation leaves nothing to return.
    if (!stream) throw streamNotFound();
    return stream;
  }

  /** Deletes a stream and its events. */
  async delete(scope: Scope, groupName: string, name: string): Promise<void> {
    const group = await this.groups.require(scope, groupName);
    await this.store.deleteStream((await this.require(group, name)).id);
  }

  /** One page of a group's streams, by name or by last event time. */
  async describe(scope: Scope, groupName: string, input: DescribeStreamsInput): Promise<Page<LogStreamRecord>> {
    const orderBy = input.orderBy ?? 'LogStreamName';
    if (orderBy === 'LastEventTime' && input.prefix !== undefined) {
      throw invalidParameter('Cannot order by LastEventTime with a logStreamNamePrefix.');
    }
    const group = await this.groups.require(scope, groupName);
    const descending = input.descending ?? false;
    const limit = input.limit ?? DESCRIBE_LIMIT;
    // The token is bound to the group and the order it was made for.
    const listing = `DescribeLogStreams/${group.id}/${orderBy}/${descending ? 'desc' : 'asc'}`;
    const after = decodeCursor(decodeToken(listing, input.nextToken));
    const rows = await this.store.streams({
      groupId: group.id,
      ...(input.prefix !== undefined && { prefix: input.prefix }),
      orderBy,
      descending,
      ...(after && { after }),
      limit: limit + 1,
    });
    if (rows.length <= limit) return { items: rows };
    const items = rows.slice(0, limit);
    const last = items[items.length - 1]!;
    return { items, nextToken: encodeToken(listing, `${last.lastEventAt ?? 0}/${last.name}`) };
  }
}

function decodeCursor(key: string | undefined): { name: string; lastEventAt: number } | undefined {
  if (key === undefined) return undefined;
  const slash = key.indexOf('/');
  const lastEventAt = Number(key.slice(0, slash));
  if (slash < 0 || !Number.isSafeInteger(lastEventAt)) throw invalidParameter('Invalid nextToken value.');
  return { lastEventAt, name: key.slice(slash + 1) };
}
