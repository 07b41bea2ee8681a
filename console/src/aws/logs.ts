import { collectPages, LOGS, type AwsClient } from './client.js';

export interface LogGroup {
  logGroupName: string;
  creationTime?: number;
  retentionInDays?: number;
  storedBytes?: number;
}

export interface LogStream {
  logStreamName: string;
  creationTime?: number;
  firstEventTimestamp?: number;
  lastEventTimestamp?: number;
  storedBytes?: number;
}

export interface LogEvent {
  eventId?: string;
  logStreamName?: string;
  timestamp: number;
  message: string;
  ingestionTime?: number;
}

export async function listLogGroups(aws: AwsClient): Promise<LogGroup[]> {
  return collectPages(
    (nextToken) => aws.json<{ logGroups?: LogGroup[]; nextToken?: string }>(LOGS, 'DescribeLogGroups', { nextToken, limit: 50 }),
    (p) => p.logGroups,
  );
}

/** The group's streams, the most recently written first (at most `limit`). */
export async function listLogStreams(aws: AwsClient, logGroupName: string, limit = 200): Promise<LogStream[]> {
  return collectPages(
    (nextToken) =>
      aws.json<{ logStreams?: LogStream[]; nextToken?: string }>(LOGS, 'DescribeLogStreams', { logGroupName, orderBy: 'LastEventTime', descending: true, nextToken, limit: 50 }),
    (p) => p.logStreams,
    limit,
  );
}

export interface FilterQuery {
  logGroupName: string;
  logStreamNames?: string[];
  filterPattern?: string;
  startTime?: number;
  endTime?: number;
}

/** One page of `aws logs filter-log-events`. */
export async function filterLogEvents(aws: AwsClient, query: FilterQuery, nextToken?: string, limit = 1000): Promise<{ events: LogEvent[]; nextToken?: string }> {
  const out = await aws.json<{ events?: LogEvent[]; nextToken?: string }>(LOGS, 'FilterLogEvents', {
    logGroupName: query.logGroupName,
    ...(query.logStreamNames?.length && { logStreamNames: query.logStreamNames }),
    ...(query.filterPattern && { filterPattern: query.filterPattern }),
    ...(query.startTime !== undefined && { startTime: query.startTime }),
    ...(query.endTime !== undefined && { endTime: query.endTime }),
    limit,
    ...(nextToken && { nextToken }),
  });
  return { events: out.events ?? [], ...(out.nextToken && { nextToken: out.nextToken }) };
}

/** Every matching event, page after page, up to `max`. */
export async function allLogEvents(aws: AwsClient, query: FilterQuery, max: number): Promise<{ events: LogEvent[]; truncated: boolean }> {
  const events: LogEvent[] = [];
  let token: string | undefined;
  do {
    const page = await filterLogEvents(aws, query, token);
    events.push(...page.events);
    token = page.nextToken;
  } while (token && events.length < max);
  return { events: events.slice(0, max), truncated: token !== undefined || events.length > max };
}
