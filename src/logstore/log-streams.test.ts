import { describe, expect, it } from 'vitest';
import { HOUR, NOW, newService, scopeAt, thrown } from './service.fixtures.js';

async function withStreams() {
  const service = newService();
  const scope = scopeAt();
  await service.logs.groups.create(scope, { name: 'g' });
  // Streams whose last events are at different times; 'empty' has none.
  for (const [name, at] of [['web/1', NOW - 3 * HOUR], ['web/2', NOW - HOUR], ['api/1', NOW - 2 * HOUR]] as const) {
    await service.logs.streams.create(scope, 'g', name);
    await service.logs.putEvents(scope, 'g', name, [{ timestamp: at - 10, message: 'first' }, { timestamp: at, message: 'last' }]);
  }
  await service.logs.streams.create(scope, 'g', 'empty');
  return { ...service, scope };
}

describe('log streams', () => {
  it('creates streams and refuses duplicates and missing groups with AWS messages', async () => {
    const { logs, scope } = await withStreams();
    expect(await thrown(() => logs.streams.create(scope, 'g', 'web/1'))).toMatchObject({
      kind: 'AlreadyExists',
      message: 'The specified log stream already exists',
    });
    expect(await thrown(() => logs.streams.create(scope, 'nope', 's'))).toMatchObject({
      kind: 'NotFound',
      message: 'The specified log group does not exist.',
    });
    expect(await thrown(() => logs.streams.delete(scope, 'g', 'nope'))).toMatchObject({
      kind: 'NotFound',
      message: 'The specified log stream does not exist.',
    });
  });

  it('keeps event statistics per stream', async () => {
    const { logs, scope } = await withStreams();
    const [stream] = (await logs.streams.describe(scope, 'g', { prefix: 'web/2' })).items;
    expect(stream).toMatchObject({ firstEventAt: NOW - HOUR - 10, lastEventAt: NOW - HOUR, lastIngestionAt: NOW, uploads: 1 });
    const [empty] = (await logs.streams.describe(scope, 'g', { prefix: 'empty' })).items;
    expect(empty).toMatchObject({ name: 'empty', uploads: 0 });
    expect(empty!.lastEventAt).toBeUndefined();
  });

  it('orders by name or by last event time, either way up', async () => {
    const { logs, scope } = await withStreams();
    const names = async (input: Parameters<typeof logs.streams.describe>[2]) => (await logs.streams.describe(scope, 'g', input)).items.map((s) => s.name);
    expect(await names({})).toEqual(['api/1', 'empty', 'web/1', 'web/2']);
    expect(await names({ descending: true })).toEqual(['web/2', 'web/1', 'empty', 'api/1']);
    expect(await names({ orderBy: 'LastEventTime' })).toEqual(['empty', 'web/1', 'api/1', 'web/2']);
    expect(await names({ orderBy: 'LastEventTime', descending: true })).toEqual(['web/2', 'api/1', 'web/1', 'empty']);
    expect(await names({ prefix: 'web/' })).toEqual(['web/1', 'web/2']);
  });

  it('pages through every order with tokens bound to it', async () => {
    const { logs, scope } = await withStreams();
    for (const order of [{}, { descending: true }, { orderBy: 'LastEventTime' as const }, { orderBy: 'LastEventTime' as const, descending: true }]) {
      const all = (await logs.streams.describe(scope, 'g', order)).items.map((s) => s.name);
      const paged: string[] = [];
      let nextToken: string | undefined;
      for (let i = 0; i < 10; i++) {
        const page = await logs.streams.describe(scope, 'g', { ...order, limit: 1, ...(nextToken && { nextToken }) });
        paged.push(...page.items.map((s) => s.name));
        nextToken = page.nextToken;
        if (!nextToken) break;
      }
      expect(paged, JSON.stringify(order)).toEqual(all);
    }
    const token = (await logs.streams.describe(scope, 'g', { limit: 1 })).nextToken!;
    expect((await thrown(() => logs.streams.describe(scope, 'g', { orderBy: 'LastEventTime', nextToken: token }))).message).toBe(
      'Invalid nextToken value.',
    );
  });

  it('refuses a prefix with ordering by last event time', async () => {
    const { logs, scope } = await withStreams();
    expect(await thrown(() => logs.streams.describe(scope, 'g', { prefix: 'web', orderBy: 'LastEventTime' }))).toMatchObject({
      kind: 'InvalidArgument',
      message: 'Cannot order by LastEventTime with a logStreamNamePrefix.',
    });
  });

  it('matches prefixes literally, GLOB characters included', async () => {
    const { logs, scope } = await withStreams();
    await logs.streams.create(scope, 'g', 'a[1]?');
    await logs.streams.create(scope, 'g', 'a1');
    expect((await logs.streams.describe(scope, 'g', { prefix: 'a[1]' })).items.map((s) => s.name)).toEqual(['a[1]?']);
    expect((await logs.streams.describe(scope, 'g', { prefix: 'a?' })).items).toEqual([]);
  });
});
