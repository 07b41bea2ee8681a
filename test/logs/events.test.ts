import {
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DeleteRetentionPolicyCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  InvalidParameterException,
  paginateFilterLogEvents,
  PutLogEventsCommand,
  PutRetentionPolicyCommand,
  ResourceNotFoundException,
  type CloudWatchLogsClient,
  type FilterLogEventsCommandInput,
} from '@aws-sdk/client-cloudwatch-logs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useLogsFrontDoor } from './logs-fixture.js';

const fixture = useLogsFrontDoor();
let logs: CloudWatchLogsClient;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

beforeAll(() => {
  logs = fixture.client();
});

async function failure(call: Promise<unknown>): Promise<Error> {
  try {
    await call;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected the call to fail');
}

async function stream(group: string, name: string): Promise<void> {
  await logs.send(new CreateLogGroupCommand({ logGroupName: group })).catch((err: Error) => {
    if (err.name !== 'ResourceAlreadyExistsException') throw err;
  });
  await logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: name }));
}

/** Every event FilterLogEvents returns for `input`, through the SDK's paginator. */
async function filterAll(input: FilterLogEventsCommandInput, pageSize?: number) {
  const events = [];
  for await (const page of paginateFilterLogEvents({ client: logs, ...(pageSize && { pageSize }) }, input)) {
    events.push(...(page.events ?? []));
  }
  return events;
}

describe('PutLogEvents through the SDK', () => {
  it('stores a batch, ignores the sequence token and hands out a new one', async () => {
    await stream('put', 's');
    const now = Date.now();
    const first = await logs.send(
      new PutLogEventsCommand({ logGroupName: 'put', logStreamName: 's', logEvents: [{ timestamp: now, message: 'one' }] }),
    );
    expect(first.nextSequenceToken).toMatch(/^\d{56}$/);
    expect(first.rejectedLogEventsInfo).toBeUndefined();
    const second = await logs.send(
      new PutLogEventsCommand({
        logGroupName: 'put',
        logStreamName: 's',
        sequenceToken: 'not-the-right-one',
        logEvents: [{ timestamp: now, message: 'two' }],
      }),
    );
    expect(second.nextSequenceToken).not.toBe(first.nextSequenceToken);
  });

  it('stores the valid events and reports the rejected ones', async () => {
    await stream('rejects', 's');
    const now = Date.now();
    const res = await logs.send(
      new PutLogEventsCommand({
        logGroupName: 'rejects',
        logStreamName: 's',
        logEvents: [
          { timestamp: now - 20 * DAY, message: 'too old' },
          { timestamp: now - HOUR, message: 'kept' },
          { timestamp: now + 3 * HOUR, message: 'too new' },
        ],
      }),
    );
    expect(res.rejectedLogEventsInfo).toEqual({ tooOldLogEventEndIndex: 0, tooNewLogEventStartIndex: 2 });
    const { events } = await logs.send(new GetLogEventsCommand({ logGroupName: 'rejects', logStreamName: 's' }));
    expect(events?.map((e) => e.message)).toEqual(['kept']);
  });

  it('fails out-of-order and over-long batches, and missing groups and streams, with AWS messages', async () => {
    await stream('bad-batches', 's');
    const now = Date.now();
    const put = (logEvents: Array<{ timestamp: number; message: string }>, logStreamName = 's', logGroupName = 'bad-batches') =>
      logs.send(new PutLogEventsCommand({ logGroupName, logStreamName, logEvents }));
    const order = await failure(put([{ timestamp: now, message: 'b' }, { timestamp: now - 1, message: 'a' }]));
    expect(order).toBeInstanceOf(InvalidParameterException);
    expect(order.message).toBe('Log events in a single PutLogEvents request must be in chronological order.');
    const span = await failure(put([{ timestamp: now - 2 * DAY, message: 'a' }, { timestamp: now, message: 'b' }]));
    expect(span.message).toBe('The batch of log events in a single PutLogEvents request cannot span more than 24 hours.');
    const group = await failure(put([{ timestamp: now, message: 'a' }], 's', 'no-group'));
    expect(group).toBeInstanceOf(ResourceNotFoundException);
    expect(group.message).toBe('The specified log group does not exist.');
    const missing = await failure(put([{ timestamp: now, message: 'a' }], 'no-stream'));
    expect(missing.message).toBe('The specified log stream does not exist.');
    const many = await failure(put(Array.from({ length: 10_001 }, () => ({ timestamp: now, message: 'x' }))));
    expect(many).toBeInstanceOf(InvalidParameterException);
    expect(many.message).toContain("at 'logEvents' failed to satisfy constraint: Member must have length less than or equal to 10000");
    expect(await failure(put([]))).toBeInstanceOf(InvalidParameterException);
    expect(await failure(put([{ timestamp: now, message: '' }]))).toBeInstanceOf(InvalidParameterException);
  });

  it('rejects events older than the retention period as expired', async () => {
    await stream('expiring', 's');
    await logs.send(new PutRetentionPolicyCommand({ logGroupName: 'expiring', retentionInDays: 1 }));
    const now = Date.now();
    const res = await logs.send(
      new PutLogEventsCommand({
        logGroupName: 'expiring',
        logStreamName: 's',
        logEvents: [
          { timestamp: now - 2 * DAY, message: 'expired' },
          { timestamp: now, message: 'fresh' },
        ],
      }),
    );
    expect(res.rejectedLogEventsInfo).toEqual({ expiredLogEventEndIndex: 0 });
  });
});

describe('GetLogEvents through the SDK', () => {
  beforeAll(async () => {
    await stream('get', 's');
    const base = Date.now() - 1000;
    await logs.send(
      new PutLogEventsCommand({
        logGroupName: 'get',
        logStreamName: 's',
        logEvents: Array.from({ length: 25 }, (_, i) => ({ timestamp: base + i, message: `line ${i}` })),
      }),
    );
  });

  it('reads the tail by default and walks forward and back with tokens', async () => {
    const tail = await logs.send(new GetLogEventsCommand({ logGroupName: 'get', logStreamName: 's', limit: 10 }));
    expect(tail.events?.map((e) => e.message)).toEqual(Array.from({ length: 10 }, (_, i) => `line ${15 + i}`));
    expect(tail.events?.[0]?.ingestionTime).toEqual(expect.any(Number));
    expect(tail.nextForwardToken).toMatch(/^f\/\d{56}\/s$/);
    const back = await logs.send(
      new GetLogEventsCommand({ logGroupName: 'get', logStreamName: 's', limit: 10, nextToken: tail.nextBackwardToken }),
    );
    expect(back.events?.map((e) => e.message)).toEqual(Array.from({ length: 10 }, (_, i) => `line ${5 + i}`));
    const end = await logs.send(
      new GetLogEventsCommand({ logGroupName: 'get', logStreamName: 's', nextToken: tail.nextForwardToken, startFromHead: true }),
    );
    expect(end.events).toEqual([]);
    expect(end.nextForwardToken).toBe(tail.nextForwardToken);
  });

  it('reads the whole stream from the head, page by page, until the token repeats', async () => {
    const messages: string[] = [];
    let nextToken: string | undefined;
    for (let i = 0; i < 10; i++) {
      const page = await logs.send(
        new GetLogEventsCommand({ logGroupName: 'get', logStreamName: 's', startFromHead: true, limit: 7, nextToken }),
      );
      messages.push(...(page.events ?? []).map((e) => e.message!));
      if (page.nextForwardToken === nextToken) break;
      nextToken = page.nextForwardToken;
    }
    expect(messages).toEqual(Array.from({ length: 25 }, (_, i) => `line ${i}`));
  });

  it('takes the group by ARN, and refuses bad tokens and limits', async () => {
    const byArn = await logs.send(
      new GetLogEventsCommand({ logGroupIdentifier: 'arn:aws:logs:us-east-1:000000000000:log-group:get', logStreamName: 's', limit: 1 }),
    );
    expect(byArn.events?.map((e) => e.message)).toEqual(['line 24']);
    const token = await failure(logs.send(new GetLogEventsCommand({ logGroupName: 'get', logStreamName: 's', nextToken: 'f/1/s' })));
    expect(token).toBeInstanceOf(InvalidParameterException);
    const limit = await failure(logs.send(new GetLogEventsCommand({ logGroupName: 'get', logStreamName: 's', limit: 10_001 })));
    expect(limit).toBeInstanceOf(InvalidParameterException);
  });
});

describe('FilterLogEvents through the SDK', () => {
  const lines = [
    '{"logType":"ErrorLog","status":500,"user":{"id":7}}',
    '127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /index.html HTTP/1.0" 404 2326',
    '{"logType":"InfoLog","status":200,"user":{"id":8}}',
    '[ERROR] Caught IllegalArgumentException',
    '{"logType":"ErrorLog","status":503,"user":{"id":9}}',
    '127.0.0.1 - frank [10/Oct/2000:13:55:37 -0700] "GET /a.gif HTTP/1.0" 200 12',
  ];
  let base = 0;
  beforeAll(async () => {
    base = Date.now() - 10_000;
    for (const name of ['app/1', 'app/2', 'web']) await stream('filter', name);
    for (const [i, message] of lines.entries()) {
      await logs.send(
        new PutLogEventsCommand({
          logGroupName: 'filter',
          logStreamName: i % 2 === 0 ? (i % 4 === 0 ? 'app/1' : 'app/2') : 'web',
          logEvents: [{ timestamp: base + i * 10, message }],
        }),
      );
    }
  });

  it('matches JSON, space-delimited and term patterns', async () => {
    const messages = async (filterPattern: string) =>
      (await logs.send(new FilterLogEventsCommand({ logGroupName: 'filter', filterPattern }))).events?.map((e) => e.message);
    expect(await messages('{ $.logType = "ErrorLog" }')).toEqual([lines[0], lines[4]]);
    expect(await messages('{ $.status >= 500 && $.user.id != 7 }')).toEqual([lines[4]]);
    expect(await messages('[ip, id, user, timestamp, request, status_code = 4*, bytes]')).toEqual([lines[1]]);
    expect(await messages('[..., status_code, bytes < 100]')).toEqual([lines[5]]);
    expect(await messages('ERROR -Caught')).toEqual([]);
    expect(await messages('?Caught ?frank')).toEqual([lines[1], lines[3], lines[5]]);
    expect(await messages('"GET /a.gif"')).toEqual([lines[5]]);
    expect(await messages('')).toHaveLength(6);
  });

  it('answers with stream names, ids and ingestion times, interleaved by time', async () => {
    const res = await logs.send(new FilterLogEventsCommand({ logGroupName: 'filter', interleaved: true }));
    expect(res.events?.map((e) => e.logStreamName)).toEqual(['app/1', 'web', 'app/2', 'web', 'app/1', 'web']);
    expect(res.events?.[0]).toEqual({
      logStreamName: 'app/1',
      timestamp: base,
      message: lines[0],
      ingestionTime: expect.any(Number),
      eventId: expect.stringMatching(/^\d{56}$/),
    });
    expect(res.searchedLogStreams).toEqual([]);
    expect(res.nextToken).toBeUndefined();
  });

  it('narrows by streams and time, and pages with the SDK paginator', async () => {
    const streams = async (input: Partial<FilterLogEventsCommandInput>) =>
      (await filterAll({ logGroupName: 'filter', ...input }, 2)).map((e) => e.logStreamName);
    expect(await streams({ logStreamNames: ['web'] })).toEqual(['web', 'web', 'web']);
    expect(await streams({ logStreamNamePrefix: 'app/' })).toEqual(['app/1', 'app/2', 'app/1']);
    expect(await streams({ startTime: base + 10, endTime: base + 30 })).toEqual(['web', 'app/2', 'web']);
    expect(await streams({})).toHaveLength(6);
  });

  it('refuses malformed patterns', async () => {
    for (const [filterPattern, message] of [
      ['{ $.logType = ', "If a filter pattern starts with '{' it must end with '}'"],
      ['{ $.logType ~ "x" }', 'Invalid filter pattern'],
      ['[a, b', "If a filter pattern starts with '[' it must end with ']'"],
      ['user@example.com', "Invalid character(s) in term 'user@example.com'"],
    ]) {
      const err = await failure(logs.send(new FilterLogEventsCommand({ logGroupName: 'filter', filterPattern })));
      expect(err, filterPattern).toBeInstanceOf(InvalidParameterException);
      expect(err.message).toBe(message);
    }
  });

  it('supports polling from the last timestamp, as `aws logs tail --follow` does', async () => {
    await stream('follow', 's');
    const seen = new Map<string, string>();
    let startTime = Date.now() - 60_000;
    const poll = async () => {
      const events = await filterAll({ logGroupName: 'follow', startTime });
      for (const e of events) {
        seen.set(e.eventId!, e.message!);
        startTime = Math.max(startTime, e.timestamp!);
      }
    };
    const put = (messages: string[]) =>
      logs.send(
        new PutLogEventsCommand({
          logGroupName: 'follow',
          logStreamName: 's',
          logEvents: messages.map((message) => ({ timestamp: Date.now(), message })),
        }),
      );
    await put(['a', 'b']);
    await poll();
    await poll(); // the last timestamp is read again; event ids keep it from counting twice
    await put(['c']);
    await poll();
    expect([...seen.values()]).toEqual(['a', 'b', 'c']);
  });
});

describe('retention through the SDK', () => {
  it('hides events older than the retention period, and the sweep deletes them', async () => {
    await stream('aging', 's');
    const now = Date.now();
    await logs.send(
      new PutLogEventsCommand({
        logGroupName: 'aging',
        logStreamName: 's',
        logEvents: [{ timestamp: now - 10 * DAY, message: 'ten days old' }],
      }),
    );
    await logs.send(
      new PutLogEventsCommand({ logGroupName: 'aging', logStreamName: 's', logEvents: [{ timestamp: now - HOUR, message: 'recent' }] }),
    );
    const visible = async () => {
      const filtered = (await logs.send(new FilterLogEventsCommand({ logGroupName: 'aging' }))).events!.map((e) => e.message);
      const got = (await logs.send(new GetLogEventsCommand({ logGroupName: 'aging', logStreamName: 's' }))).events!.map((e) => e.message);
      expect(got).toEqual(filtered);
      return filtered;
    };
    expect(await visible()).toEqual(['ten days old', 'recent']);
    await logs.send(new PutRetentionPolicyCommand({ logGroupName: 'aging', retentionInDays: 7 }));
    expect(await visible()).toEqual(['recent']);
    // Only hidden so far: without the policy the event is back.
    await logs.send(new DeleteRetentionPolicyCommand({ logGroupName: 'aging' }));
    expect(await visible()).toEqual(['ten days old', 'recent']);
    await logs.send(new PutRetentionPolicyCommand({ logGroupName: 'aging', retentionInDays: 7 }));
    // The sweep runs with an injected clock: two days from now nothing of this group has expired
    // but the ten-day-old event; fifty days from now the recent one would be gone too.
    expect(await fixture.logs().sweepRetention(new Date(now + 2 * DAY))).toBeGreaterThanOrEqual(1);
    await logs.send(new DeleteRetentionPolicyCommand({ logGroupName: 'aging' }));
    expect(await visible()).toEqual(['recent']);
  });
});

describe('the awslogs driver path', () => {
  it('makes appended lines visible through the API', async () => {
    const scope = { accountId: '000000000000', region: 'us-east-1', principalArn: 'arn:aws:iam::000000000000:root', now: new Date() };
    const result = await fixture.logs().appendEvents(
      scope,
      '/ecs/driver',
      'web/web/task-1',
      [
        { timestamp: Date.now(), message: 'started' },
        { timestamp: Date.now(), message: 'listening on :80' },
      ],
      { createGroup: true },
    );
    expect(result).toEqual({ stored: 2, dropped: 0 });
    const res = await logs.send(new FilterLogEventsCommand({ logGroupName: '/ecs/driver', filterPattern: 'listening' }));
    expect(res.events?.map((e) => [e.logStreamName, e.message])).toEqual([['web/web/task-1', 'listening on :80']]);
  });
});
