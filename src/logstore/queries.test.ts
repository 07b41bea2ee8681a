import { describe, expect, it } from 'vitest';
import { DAY, NOW, newService, scopeAt, thrown } from './service.fixtures.js';
import { parseStreamToken } from './tokens.js';

/** A group `g` with stream `s` holding events m0…m9 at NOW-10…NOW-1 (ms). */
async function withEvents(count = 10) {
  const service = newService();
  const scope = scopeAt();
  await service.logs.groups.create(scope, { name: 'g' });
  await service.logs.streams.create(scope, 'g', 's');
  await service.logs.putEvents(
    scope,
    'g',
    's',
    Array.from({ length: count }, (_, i) => ({ timestamp: NOW - count + i, message: `m${i}` })),
  );
  return { ...service, scope };
}

const messages = (r: { events: Array<{ message: string }> }) => r.events.map((e) => e.message);

describe('GetLogEvents', () => {
  it('reads the newest events by default and the oldest from the head', async () => {
    const { logs, scope } = await withEvents();
    expect(messages(await logs.getEvents(scope, { groupName: 'g', streamName: 's', limit: 3 }))).toEqual(['m7', 'm8', 'm9']);
    expect(messages(await logs.getEvents(scope, { groupName: 'g', streamName: 's', limit: 3, startFromHead: true }))).toEqual([
      'm0',
      'm1',
      'm2',
    ]);
  });

  it('reads forward and backward with f/ and b/ tokens', async () => {
    const { logs, scope } = await withEvents();
    const base = { groupName: 'g', streamName: 's', limit: 4 };
    const head = await logs.getEvents(scope, { ...base, startFromHead: true });
    expect(head.nextForwardToken).toMatch(/^f\/\d{56}\/s$/);
    expect(head.nextBackwardToken).toMatch(/^b\/\d{56}\/s$/);
    const next = await logs.getEvents(scope, { ...base, nextToken: head.nextForwardToken });
    expect(messages(next)).toEqual(['m4', 'm5', 'm6', 'm7']);
    const back = await logs.getEvents(scope, { ...base, nextToken: next.nextBackwardToken });
    expect(messages(back)).toEqual(['m0', 'm1', 'm2', 'm3']);
    const tail = await logs.getEvents(scope, { ...base, nextToken: next.nextForwardToken });
    expect(messages(tail)).toEqual(['m8', 'm9']);
  });

  it('returns the same token at either end, and picks up events that arrive later', async () => {
    const { logs, scope } = await withEvents(3);
    const base = { groupName: 'g', streamName: 's' };
    const all = await logs.getEvents(scope, { ...base, startFromHead: true });
    const end = await logs.getEvents(scope, { ...base, nextToken: all.nextForwardToken });
    expect(end.events).toEqual([]);
    expect(end.nextForwardToken).toBe(all.nextForwardToken);
    const start = await logs.getEvents(scope, { ...base, nextToken: all.nextBackwardToken });
    expect(start.events).toEqual([]);
    expect(start.nextBackwardToken).toBe(all.nextBackwardToken);
    // From the far end, reading back again gives the events just read.
    expect(messages(await logs.getEvents(scope, { ...base, nextToken: end.nextBackwardToken }))).toEqual(['m0', 'm1', 'm2']);
    expect(messages(await logs.getEvents(scope, { ...base, nextToken: start.nextForwardToken }))).toEqual(['m0', 'm1', 'm2']);

    await logs.putEvents(scope, 'g', 's', [{ timestamp: NOW, message: 'late' }]);
    expect(messages(await logs.getEvents(scope, { ...base, nextToken: end.nextForwardToken }))).toEqual(['late']);
  });

  it('keeps events of equal timestamps apart in tokens', async () => {
    const { logs, scope } = await withEvents(0);
    await logs.putEvents(scope, 'g', 's', ['a', 'b', 'c'].map((message) => ({ timestamp: NOW, message })));
    const base = { groupName: 'g', streamName: 's', limit: 1, startFromHead: true };
    const seen: string[] = [];
    let nextToken: string | undefined;
    for (let i = 0; i < 5; i++) {
      const page = await logs.getEvents(scope, { ...base, ...(nextToken && { nextToken }) });
      seen.push(...messages(page));
      if (page.nextForwardToken === nextToken) break;
      nextToken = page.nextForwardToken;
    }
    expect(seen).toEqual(['a', 'b', 'c']);
  });

  it('includes startTime and excludes endTime', async () => {
    const { logs, scope } = await withEvents();
    const r = await logs.getEvents(scope, { groupName: 'g', streamName: 's', startTime: NOW - 8, endTime: NOW - 5, startFromHead: true });
    expect(messages(r)).toEqual(['m2', 'm3', 'm4']);
  });

  it('hides events older than the retention period', async () => {
    const { logs, scope } = await withEvents(0);
    await logs.putEvents(scope, 'g', 's', [{ timestamp: NOW - 3 * DAY, message: 'old' }]);
    await logs.putEvents(scope, 'g', 's', [{ timestamp: NOW - DAY / 2, message: 'new' }]);
    await logs.groups.putRetention(scope, 'g', 1);
    expect(messages(await logs.getEvents(scope, { groupName: 'g', streamName: 's' }))).toEqual(['new']);
    await logs.groups.deleteRetention(scope, 'g');
    expect(messages(await logs.getEvents(scope, { groupName: 'g', streamName: 's' }))).toEqual(['old', 'new']);
  });

  it('refuses tokens it did not make', async () => {
    const { logs, scope } = await withEvents();
    expect((await thrown(() => logs.getEvents(scope, { groupName: 'g', streamName: 's', nextToken: 'f/123/s' }))).kind).toBe('InvalidArgument');
    expect(parseStreamToken(`b/${'0'.repeat(19)}7${'0'.repeat(35)}9/s`)).toEqual({
      direction: 'backward',
      position: { timestamp: 7, id: 9 },
    });
  });
});

describe('FilterLogEvents', () => {
  async function withStreams() {
    const service = newService();
    const scope = scopeAt();
    await service.logs.groups.create(scope, { name: 'g' });
    for (const s of ['web/1', 'web/2', 'api']) await service.logs.streams.create(scope, 'g', s);
    // Interleaved in time across streams.
    const plan: Array<[string, number, string]> = [
      ['web/1', NOW - 60, '{"level":"ERROR","status":500}'],
      ['api', NOW - 50, 'GET /health 200'],
      ['web/2', NOW - 40, '{"level":"INFO","status":200}'],
      ['web/1', NOW - 30, 'ERROR plain text'],
      ['api', NOW - 20, '{"level":"ERROR","status":503}'],
      ['web/2', NOW - 10, '{"level":"ERROR","status":502}'],
    ];
    for (const [stream, timestamp, message] of plan) await service.logs.putEvents(scope, 'g', stream, [{ timestamp, message }]);
    return { ...service, scope };
  }

  it('returns matching events of every stream in time order, with stream names and ids', async () => {
    const { logs, scope } = await withStreams();
    const r = await logs.filterEvents(scope, { groupName: 'g', pattern: '{ $.level = "ERROR" }' });
    expect(r.events.map((e) => [e.streamName, e.message])).toEqual([
      ['web/1', '{"level":"ERROR","status":500}'],
      ['api', '{"level":"ERROR","status":503}'],
      ['web/2', '{"level":"ERROR","status":502}'],
    ]);
    expect(new Set(r.events.map((e) => e.eventId)).size).toBe(3);
    expect(r.nextToken).toBeUndefined();
    expect((await logs.filterEvents(scope, { groupName: 'g', pattern: 'ERROR' })).events).toHaveLength(4);
    expect((await logs.filterEvents(scope, { groupName: 'g', pattern: '[method, path, code = 2*]' })).events.map((e) => e.message)).toEqual([
      'GET /health 200',
    ]);
  });

  it('limits to named streams or a prefix, and to [startTime, endTime] inclusive', async () => {
    const { logs, scope } = await withStreams();
    const streams = async (input: object) => (await logs.filterEvents(scope, { groupName: 'g', ...input })).events.map((e) => e.streamName);
    expect(await streams({ streamNames: ['api', 'missing'] })).toEqual(['api', 'api']);
    expect(await streams({ streamNames: ['web/2', 'api'] })).toEqual(['api', 'web/2', 'api', 'web/2']);
    expect(await streams({ streamPrefix: 'web/' })).toEqual(['web/1', 'web/2', 'web/1', 'web/2']);
    expect(await streams({ startTime: NOW - 50, endTime: NOW - 30 })).toEqual(['api', 'web/2', 'web/1']);
    expect((await thrown(() => logs.filterEvents(scope, { groupName: 'g', streamNames: ['a'], streamPrefix: 'a' }))).kind).toBe(
      'InvalidArgument',
    );
  });

  it('pages with nextToken at the limit', async () => {
    const { logs, scope } = await withStreams();
    const seen: string[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    for (; pages < 10; pages++) {
      const r = await logs.filterEvents(scope, { groupName: 'g', limit: 2, ...(nextToken && { nextToken }) });
      seen.push(...r.events.map((e) => e.message));
      nextToken = r.nextToken;
      if (!nextToken) break;
    }
    expect(seen).toHaveLength(6);
    expect(new Set(seen).size).toBe(6);
    expect(pages).toBe(3);
  });

  it('refuses malformed patterns and tokens of another group', async () => {
    const { logs, scope } = await withStreams();
    expect((await thrown(() => logs.filterEvents(scope, { groupName: 'g', pattern: '{ $.a = ' }))).message).toBe(
      "If a filter pattern starts with '{' it must end with '}'",
    );
    await logs.groups.create(scope, { name: 'other' });
    const token = (await logs.filterEvents(scope, { groupName: 'g', limit: 1 })).nextToken!;
    expect((await thrown(() => logs.filterEvents(scope, { groupName: 'other', nextToken: token }))).message).toBe('Invalid nextToken value.');
  });
});
