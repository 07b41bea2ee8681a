import { describe, expect, it } from 'vitest';
import { ANY, type Prefilter } from './filter/prefilter.js';
import type { GroupScan, LogStore, LogStreamRecord, NewLogGroup } from './log-store.js';

const T = Date.UTC(2024, 4, 1, 12, 0, 0);

const newGroup = (name: string, over: Partial<NewLogGroup> = {}): NewLogGroup => ({
  region: 'us-east-1',
  name,
  createdAt: T,
  logGroupClass: 'STANDARD',
  deletionProtection: false,
  tags: {},
  ...over,
});

const event = (timestamp: number, message: string) => ({ timestamp, message, bytes: Buffer.byteLength(message, 'utf8') });

const transformation = { metricName: 'Errors', metricNamespace: 'App', metricValue: '1' };

async function groupWithStreams(store: LogStore, ...names: string[]) {
  const group = (await store.createGroup(newGroup('g')))!;
  const streams: LogStreamRecord[] = [];
  for (const name of names) streams.push((await store.createStream(group.id, name, T))!);
  return { group, streams };
}

async function scanned(store: LogStore, scan: Omit<GroupScan, 'minTime' | 'maxTime' | 'prefilter'> & Partial<GroupScan>, stopAfter = Infinity) {
  const seen: string[] = [];
  await store.scanGroup({ minTime: 0, maxTime: Number.MAX_SAFE_INTEGER, prefilter: ANY, ...scan }, (e) => {
    seen.push(e.message);
    return seen.length < stopAfter;
  });
  return seen;
}

/**
 * The behaviour every LogStore must have. Run it against each implementation
 * (`describeLogStoreSuite('sqlite', async () => new SqliteLogStore(':memory:'))`).
 */
export function describeLogStoreSuite(name: string, open: () => Promise<LogStore>): void {
  const using = (test: (store: LogStore) => Promise<void>) => async () => {
    const store = await open();
    try {
      await test(store);
    } finally {
      await store.close();
    }
  };

  describe(`LogStore suite: ${name}`, () => {
    it(
      'creates groups once per region and lists them in byte order with filters and paging',
      using(async (store) => {
        expect(await store.createGroup(newGroup('b/x', { tags: { k: 'v' }, retentionDays: 7 }))).toMatchObject({
          name: 'b/x',
          tags: { k: 'v' },
          retentionDays: 7,
          storedBytes: 0,
          metricFilterCount: 0,
        });
        expect(await store.createGroup(newGroup('b/x'))).toBeUndefined();
        expect(await store.createGroup(newGroup('b/x', { region: 'eu-west-1' }))).toBeDefined();
        for (const n of ['a', 'B', 'b_y', 'b%', 'c']) await store.createGroup(newGroup(n, n === 'c' ? { logGroupClass: 'INFREQUENT_ACCESS' } : {}));
        const names = async (q: object) => (await store.groups({ region: 'us-east-1', limit: 100, ...q })).map((g) => g.name);
        expect(await names({})).toEqual(['B', 'a', 'b%', 'b/x', 'b_y', 'c']);
        expect(await names({ prefix: 'b_' })).toEqual(['b_y']);
        expect(await names({ prefix: 'b%' })).toEqual(['b%']);
        expect(await names({ contains: '/' })).toEqual(['b/x']);
        expect(await names({ logGroupClass: 'INFREQUENT_ACCESS' })).toEqual(['c']);
        expect(await names({ names: ['c', 'a', 'zz'] })).toEqual(['a', 'c']);
        expect(await names({ names: [] })).toEqual([]);
        expect(await names({ after: 'b%', limit: 2 })).toEqual(['b/x', 'b_y']);
        expect((await store.groupsWithRetention()).map((g) => g.name)).toEqual(['b/x']);
      }),
    );

    it(
      'updates settings, edits tags atomically, and deletes a group with everything in it',
      using(async (store) => {
        const { group, streams } = await groupWithStreams(store, 's');
        await store.updateGroup(group.id, { retentionDays: 30, deletionProtection: true });
        expect(await store.group('us-east-1', 'g')).toMatchObject({ retentionDays: 30, deletionProtection: true });
        await store.updateGroup(group.id, { retentionDays: null });
        expect((await store.group('us-east-1', 'g'))?.retentionDays).toBeUndefined();
        // Concurrent edits keep each other's tags.
        await Promise.all(['a', 'b', 'c'].map((k) => store.editTags(group.id, (tags) => ({ ...tags, [k]: k }))));
        expect((await store.group('us-east-1', 'g'))?.tags).toEqual({ a: 'a', b: 'b', c: 'c' });
        await expect(store.editTags(group.id, () => { throw new Error('refused'); })).rejects.toThrow('refused');
        expect((await store.group('us-east-1', 'g'))?.tags).toEqual({ a: 'a', b: 'b', c: 'c' });
        expect(await store.editTags(group.id + 1000, (tags) => tags)).toBe(false);

        await store.append(streams[0]!, [event(T, 'x')], T);
        await store.putMetricFilter({ groupId: group.id, name: 'f', pattern: 'x', transformation, createdAt: T }, 100);
        await store.deleteGroup(group.id);
        expect(await store.group('us-east-1', 'g')).toBeUndefined();
        expect(await store.stream(group.id, 's')).toBeUndefined();
        expect(await store.metricFilters({ region: 'us-east-1', limit: 10 })).toEqual([]);
        expect(await store.readStream({ streamId: streams[0]!.id, minTime: 0, maxTime: T, direction: 'forward', limit: 10 })).toEqual([]);
      }),
    );

    it(
      'creates streams once per group and lists them by name or last event time',
      using(async (store) => {
        const { group } = await groupWithStreams(store, 'web/2', 'web/1', 'api', 'empty', 'w*b');
        expect(await store.createStream(group.id, 'api', T)).toBeUndefined();
        const api = (await store.stream(group.id, 'api'))!;
        const web1 = (await store.stream(group.id, 'web/1'))!;
        await store.append(api, [event(T - 10, 'a')], T);
        await store.append(web1, [event(T - 20, 'w')], T);
        const list = async (q: object) =>
          (await store.streams({ groupId: group.id, orderBy: 'LogStreamName', descending: false, limit: 100, ...q })).map((s) => s.name);
        expect(await list({})).toEqual(['api', 'empty', 'w*b', 'web/1', 'web/2']);
        expect(await list({ prefix: 'w*' })).toEqual(['w*b']);
        expect(await list({ prefix: 'web/', descending: true })).toEqual(['web/2', 'web/1']);
        expect(await list({ after: { name: 'empty', lastEventAt: 0 }, limit: 2 })).toEqual(['w*b', 'web/1']);
        expect(await list({ orderBy: 'LastEventTime', descending: true })).toEqual(['api', 'web/1', 'web/2', 'w*b', 'empty']);
        expect(await list({ orderBy: 'LastEventTime', after: { name: 'web/2', lastEventAt: 0 } })).toEqual(['web/1', 'api']);
        expect(await store.stream(group.id, 'api')).toMatchObject({ firstEventAt: T - 10, lastEventAt: T - 10, lastIngestionAt: T, uploads: 1 });
        await store.deleteStream(api.id);
        expect(await list({})).toEqual(['empty', 'w*b', 'web/1', 'web/2']);
      }),
    );

    it(
      'appends batches in order, counts uploads and bytes, and reads a stream both ways',
      using(async (store) => {
        const { streams } = await groupWithStreams(store, 's');
        const s = streams[0]!;
        const odd = 'NUL \u0000, é, 中, 😀';
        expect(await store.append(s, [event(T, 'a'), event(T, 'b'), event(T - 5, 'early')], T)).toBe(1);
        expect(await store.append(s, [event(T, 'c'), event(T + 5, odd)], T + 1)).toBe(2);
        // Concurrent appends each get their own upload number.
        const uploads = await Promise.all([3, 4, 5].map(() => store.append(s, [], T)));
        expect([...uploads].sort()).toEqual([3, 4, 5]);
        expect(await store.stream(s.groupId, 's')).toMatchObject({ firstEventAt: T - 5, lastEventAt: T + 5, lastIngestionAt: T + 1, uploads: 5 });
        expect((await store.group('us-east-1', 'g'))?.storedBytes).toBe(1 + 1 + 5 + 1 + Buffer.byteLength(odd));

        const read = (over: object) => store.readStream({ streamId: s.id, minTime: 0, maxTime: T + 100, direction: 'forward', limit: 100, ...over });
        const all = await read({});
        expect(all.map((e) => e.message)).toEqual(['early', 'a', 'b', 'c', odd]);
        expect(all[4]).toMatchObject({ streamId: s.id, timestamp: T + 5, ingestionTime: T + 1 });
        expect(all.every((e, i) => i === 0 || e.id > all[i - 1]!.id || e.timestamp > all[i - 1]!.timestamp)).toBe(true);
        expect((await read({ from: all[1], limit: 2 })).map((e) => e.message)).toEqual(['b', 'c']);
        expect((await read({ direction: 'backward', limit: 2 })).map((e) => e.message)).toEqual(['c', odd]);
        expect((await read({ direction: 'backward', from: all[3], limit: 2 })).map((e) => e.message)).toEqual(['a', 'b']);
        expect((await read({ minTime: T, maxTime: T })).map((e) => e.message)).toEqual(['a', 'b', 'c']);
      }),
    );

    it(
      'refuses to append to a deleted stream or create a stream in a deleted group, leaving nothing behind',
      using(async (store) => {
        const { group, streams } = await groupWithStreams(store, 'a', 'b');
        const [a, b] = streams as [LogStreamRecord, LogStreamRecord];
        await store.deleteStream(a.id);
        await expect(store.append(a, [event(T, 'late')], T)).rejects.toMatchObject({ kind: 'NotFound', subject: 'log-stream' });
        // Appends racing the deletion of their group: each is stored and deleted, or refused.
        const racing = Array.from({ length: 5 }, (_, i) => store.append(b, [event(T, `m${i}`)], T).catch(() => 0));
        await Promise.all([...racing, store.deleteGroup(group.id)]);
        await expect(store.createStream(group.id, 'c', T)).rejects.toMatchObject({ kind: 'NotFound', subject: 'log-group' });
        const again = (await store.createGroup(newGroup('g')))!;
        expect(await scanned(store, { groupId: group.id })).toEqual([]);
        expect(await scanned(store, { groupId: again.id })).toEqual([]);
        expect(await store.readStream({ streamId: b.id, minTime: 0, maxTime: T, direction: 'forward', limit: 10 })).toEqual([]);
      }),
    );

    it(
      'scans a group in time order across streams with the prefilter, stream choices, a position and a stop',
      using(async (store) => {
        const { group, streams } = await groupWithStreams(store, 'web/1', 'web/2', 'api');
        const [w1, w2, api] = streams as [LogStreamRecord, LogStreamRecord, LogStreamRecord];
        await store.append(w1, [event(T - 60, 'ERROR one'), event(T - 30, 'error two')], T);
        await store.append(api, [event(T - 50, 'GET 200'), event(T - 20, 'ERROR three')], T);
        await store.append(w2, [event(T - 40, 'INFO'), event(T - 10, 'ERROR four 100%_')], T);
        expect(await scanned(store, { groupId: group.id })).toEqual(['ERROR one', 'GET 200', 'INFO', 'error two', 'ERROR three', 'ERROR four 100%_']);
        const only = (prefilter: Prefilter) => scanned(store, { groupId: group.id, prefilter });
        expect(await only({ kind: 'contains', text: 'ERROR' })).toEqual(['ERROR one', 'ERROR three', 'ERROR four 100%_']);
        expect(await only({ kind: 'contains', text: '%_' })).toEqual(['ERROR four 100%_']);
        expect(await only({ kind: 'lacks', text: 'ERROR' })).toEqual(['GET 200', 'INFO', 'error two']);
        expect(await only({ kind: 'or', parts: [{ kind: 'contains', text: 'INFO' }, { kind: 'contains', text: 'GET' }] })).toEqual(['GET 200', 'INFO']);
        expect(await only({ kind: 'and', parts: [{ kind: 'contains', text: 'ERROR' }, { kind: 'contains', text: 'o' }] })).toEqual(['ERROR one', 'ERROR four 100%_']);
        // A JSON prefilter may let non-JSON messages through, but never drops a JSON one that passes.
        const json = await only({ kind: 'json', test: { kind: 'text', path: ['a'], op: '=', value: 'x' } });
        expect(json.length).toBeLessThanOrEqual(6);
        expect(await scanned(store, { groupId: group.id, streamIds: [api.id] })).toEqual(['GET 200', 'ERROR three']);
        expect(await scanned(store, { groupId: group.id, streamIds: [w2.id, api.id] })).toEqual(['GET 200', 'INFO', 'ERROR three', 'ERROR four 100%_']);
        expect(await scanned(store, { groupId: group.id, streamPrefix: 'web/' })).toEqual(['ERROR one', 'INFO', 'error two', 'ERROR four 100%_']);
        expect(await scanned(store, { groupId: group.id, minTime: T - 50, maxTime: T - 30 })).toEqual(['GET 200', 'INFO', 'error two']);
        const first = (await store.readStream({ streamId: api.id, minTime: 0, maxTime: T, direction: 'forward', limit: 1 }))[0]!;
        expect(await scanned(store, { groupId: group.id, after: first })).toEqual(['INFO', 'error two', 'ERROR three', 'ERROR four 100%_']);
        expect(await scanned(store, { groupId: group.id }, 2)).toEqual(['ERROR one', 'GET 200']);
      }),
    );

    it(
      'scans more events than one page holds, and deletes old events in bounded chunks',
      using(async (store) => {
        const { group, streams } = await groupWithStreams(store, 'a', 'b');
        const n = 5_000;
        for (const [k, s] of streams.entries()) {
          await store.append(s, Array.from({ length: n / 2 }, (_, i) => event(T - n + 2 * i + k, `m${2 * i + k}${(2 * i + k) % 100 === 0 ? ' hit' : ''}`)), T);
        }
        const all = await scanned(store, { groupId: group.id });
        expect(all).toHaveLength(n);
        expect(all.slice(0, 3)).toEqual(['m0 hit', 'm1', 'm2']);
        expect(await scanned(store, { groupId: group.id, prefilter: { kind: 'contains', text: 'hit' } })).toHaveLength(n / 100);
        const before = (await store.group('us-east-1', 'g'))!.storedBytes;
        expect(await store.deleteEventsBefore(group.id, T - n + 10, 4)).toBe(4);
        expect(await store.deleteEventsBefore(group.id, T - n + 10, 100)).toBe(6);
        expect(await store.deleteEventsBefore(group.id, T - n + 10, 100)).toBe(0);
        expect((await scanned(store, { groupId: group.id }, 1))[0]).toBe('m10');
        expect((await store.group('us-east-1', 'g'))!.storedBytes).toBe(before - ['m0 hit', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8', 'm9'].join('').length);
      }),
    );

    it(
      'keeps metric filters under the per-group limit, also when puts race',
      using(async (store) => {
        const { group } = await groupWithStreams(store);
        const other = (await store.createGroup(newGroup('h')))!;
        const put = (groupId: number, name: string, pattern = 'ERROR') => store.putMetricFilter({ groupId, name, pattern, transformation, createdAt: T }, 3);
        expect(await put(group.id, 'b')).toBe(true);
        expect(await put(group.id, 'a')).toBe(true);
        expect(await put(other.id, 'x')).toBe(true);
        // Two new names for the last place: one wins.
        expect((await Promise.all([put(group.id, 'c'), put(group.id, 'd')])).filter(Boolean)).toHaveLength(1);
        expect(await put(group.id, 'a', 'WARN')).toBe(true); // a replacement needs no place
        expect(await put(group.id, 'e')).toBe(false);
        const names = async (q: object) => (await store.metricFilters({ region: 'us-east-1', limit: 100, ...q })).map((f) => `${f.groupName}:${f.name}`);
        expect((await names({})).slice(0, 2)).toEqual(['g:a', 'g:b']);
        expect(await names({ groupId: other.id })).toEqual(['h:x']);
        expect(await names({ after: { groupName: 'g', name: 'b' } })).toHaveLength(2);
        expect(await names({ metricName: 'Errors', metricNamespace: 'App', groupId: other.id })).toEqual(['h:x']);
        expect(await names({ metricName: 'Other', metricNamespace: 'App' })).toEqual([]);
        expect(await names({ groupId: group.id, prefix: 'a' })).toEqual(['g:a']);
        const a = (await store.metricFilters({ region: 'us-east-1', groupId: group.id, prefix: 'a', limit: 1 }))[0];
        expect(a).toEqual({ groupId: group.id, groupName: 'g', name: 'a', pattern: 'WARN', transformation, createdAt: T });
        expect((await store.group('us-east-1', 'g'))?.metricFilterCount).toBe(3);
        expect(await store.deleteMetricFilter(group.id, 'a')).toBe(true);
        expect(await store.deleteMetricFilter(group.id, 'a')).toBe(false);
      }),
    );
  });
}
