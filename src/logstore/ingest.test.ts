import { describe, expect, it } from 'vitest';
import { DAY, HOUR, NOW, newService, scopeAt, thrown } from './service.fixtures.js';

async function withStream(retentionDays?: number) {
  const service = newService();
  const scope = scopeAt();
  await service.logs.groups.create(scope, { name: 'g' });
  if (retentionDays !== undefined) await service.logs.groups.putRetention(scope, 'g', retentionDays);
  await service.logs.streams.create(scope, 'g', 's');
  // Every stored message, following forward tokens (a page holds about 1 MB).
  const stored = async () => {
    const messages: string[] = [];
    let nextToken: string | undefined;
    for (let page = 0; page < 10; page++) {
      const result = await service.logs.getEvents(scope, { groupName: 'g', streamName: 's', startFromHead: true, ...(nextToken && { nextToken }) });
      messages.push(...result.events.map((e) => e.message));
      if (result.nextForwardToken === nextToken) break;
      nextToken = result.nextForwardToken;
    }
    return messages;
  };
  return { ...service, scope, stored };
}

describe('PutLogEvents', () => {
  it('stores events and returns a new sequence token each time, ignoring the one sent', async () => {
    const { logs, scope, stored } = await withStream();
    const first = await logs.putEvents(scope, 'g', 's', [{ timestamp: NOW, message: 'a' }]);
    const second = await logs.putEvents(scope, 'g', 's', [{ timestamp: NOW, message: 'b' }]);
    expect(first.nextSequenceToken).toMatch(/^\d{56}$/);
    expect(second.nextSequenceToken).not.toBe(first.nextSequenceToken);
    expect(first.rejected).toBeUndefined();
    expect(await stored()).toEqual(['a', 'b']);
  });

  it('stores the valid events of a batch and reports the rejected ones by index', async () => {
    const { logs, scope, stored } = await withStream();
    const result = await logs.putEvents(scope, 'g', 's', [
      { timestamp: NOW - 15 * DAY, message: 'too old' },
      { timestamp: NOW - 20 * HOUR, message: 'kept 1' },
      { timestamp: NOW + HOUR, message: 'kept 2' },
      { timestamp: NOW + 3 * HOUR, message: 'too new' },
    ]);
    expect(result.rejected).toEqual({ tooOldLogEventEndIndex: 0, tooNewLogEventStartIndex: 3 });
    expect(await stored()).toEqual(['kept 1', 'kept 2']);
  });

  it('rejects events older than the retention period as expired', async () => {
    const { logs, scope, stored } = await withStream(1);
    const result = await logs.putEvents(scope, 'g', 's', [
      { timestamp: NOW - 2 * DAY, message: 'expired' },
      { timestamp: NOW - HOUR, message: 'kept' },
    ]);
    expect(result.rejected).toEqual({ expiredLogEventEndIndex: 0 });
    expect(await stored()).toEqual(['kept']);
  });

  it('fails the whole batch when the accepted events span more than 24 hours', async () => {
    const { logs, scope, stored } = await withStream();
    const err = await thrown(() =>
      logs.putEvents(scope, 'g', 's', [
        { timestamp: NOW - 2 * DAY, message: 'a' },
        { timestamp: NOW, message: 'b' },
      ]),
    );
    expect(err.message).toBe('The batch of log events in a single PutLogEvents request cannot span more than 24 hours.');
    expect(await stored()).toEqual([]);
    // Rejected events do not count towards the span.
    const ok = await logs.putEvents(scope, 'g', 's', [
      { timestamp: NOW - 20 * DAY, message: 'old' },
      { timestamp: NOW, message: 'b' },
    ]);
    expect(ok.rejected).toEqual({ tooOldLogEventEndIndex: 0 });
  });

  it('names the missing group or stream', async () => {
    const { logs, scope } = await withStream();
    const events = [{ timestamp: NOW, message: 'x' }];
    expect((await thrown(() => logs.putEvents(scope, 'nope', 's', events))).message).toBe('The specified log group does not exist.');
    expect((await thrown(() => logs.putEvents(scope, 'g', 'nope', events))).message).toBe('The specified log stream does not exist.');
  });
});

describe('appendEvents (the awslogs driver)', () => {
  it('creates the stream, and the group only when asked', async () => {
    const { logs } = newService();
    const scope = scopeAt();
    expect(await thrown(() => logs.appendEvents(scope, 'app', 'task/1', [{ timestamp: NOW, message: 'x' }]))).toMatchObject({
      kind: 'NotFound',
      message: 'The specified log group does not exist.',
    });
    expect(await logs.appendEvents(scope, 'app', 'task/1', [{ timestamp: NOW, message: 'x' }], { createGroup: true })).toEqual({
      stored: 1,
      dropped: 0,
    });
    expect((await logs.appendEvents(scope, 'app', 'task/1', [{ timestamp: NOW, message: 'y' }], { createGroup: true })).stored).toBe(1);
    expect((await logs.streams.describe(scope, 'app', {})).items.map((s) => s.name)).toEqual(['task/1']);
  });

  it('sorts lines stably, drops empty and unacceptable ones, and splits long ones', async () => {
    const { logs, scope, stored } = await withStream();
    const long = 'x'.repeat(1_048_550) + 'tail';
    const result = await logs.appendEvents(scope, 'g', 's', [
      { timestamp: NOW, message: 'third' },
      { timestamp: NOW - 1, message: 'first' },
      { timestamp: NOW, message: '' },
      { timestamp: NOW - 1, message: 'second' },
      { timestamp: NOW - 30 * DAY, message: 'ancient' },
      { timestamp: NOW + 1, message: long },
    ]);
    expect(result).toEqual({ stored: 5, dropped: 2 });
    expect((await stored()).map((m) => (m.length > 20 ? `${m.slice(0, 2)}…${m.length}` : m))).toEqual([
      'first',
      'second',
      'third',
      'xx…1048550',
      'tail',
    ]);
  });

  it('checks names as the API does', async () => {
    const { logs } = newService();
    expect((await thrown(() => logs.appendEvents(scopeAt(), 'bad name', 's', [], { createGroup: true }))).message).toContain(
      "Value 'bad name' at 'logGroupName' failed to satisfy constraint",
    );
    expect((await thrown(() => logs.appendEvents(scopeAt(), 'ok', 'a:b', [], { createGroup: true }))).message).toContain(
      "at 'logStreamName' failed to satisfy constraint: Member must satisfy regular expression pattern: [^:*]*",
    );
  });
});
