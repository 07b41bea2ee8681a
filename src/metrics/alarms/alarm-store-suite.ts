import { describe, expect, it } from 'vitest';
import type { AlarmStore, HistoryItemOf } from './alarm-store.js';
import type { Alarm, MetricAlarm } from './alarm-types.js';

const T = Date.UTC(2026, 11, 6, 12, 0, 0);

const alarm = (name: string, over: Partial<MetricAlarm> = {}): Alarm =>
  ({
    kind: 'MetricAlarm',
    name,
    arn: `arn:aws:cloudwatch:us-east-1:000000000000:alarm:${name}`,
    region: 'us-east-1',
    actionsEnabled: true,
    okActions: [],
    alarmActions: [],
    insufficientDataActions: [],
    configUpdatedAt: T,
    tags: [],
    state: { value: 'INSUFFICIENT_DATA', reason: 'Unchecked: Initial alarm creation', updatedAt: T, transitionedAt: T },
    metric: { namespace: 'App', metricName: 'CPU', dimensions: [], period: 60, statistic: 'Average' },
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    threshold: 1,
    comparison: 'GreaterThanThreshold',
    treatMissingData: 'missing',
    ...over,
  }) as Alarm;

const item = (name: string, timestamp: number, type: HistoryItemOf['type'] = 'StateUpdate', region = 'us-east-1'): HistoryItemOf => ({
  region,
  alarmName: name,
  alarmType: 'MetricAlarm',
  timestamp,
  type,
  summary: `${type} of ${name}`,
  data: '{}',
});

/** An alarm store and how to release it (with the metric store it lives beside). */
export interface OpenedAlarmStore {
  alarms: AlarmStore;
  close(): Promise<void>;
}

/** The behaviour every AlarmStore must have. */
export function describeAlarmStoreSuite(name: string, open: () => Promise<OpenedAlarmStore>): void {
  const using = (test: (store: AlarmStore) => Promise<void>) => async () => {
    const opened = await open();
    try {
      await test(opened.alarms);
    } finally {
      await opened.close();
    }
  };

  describe(`AlarmStore suite: ${name}`, () => {
    it(
      'saves alarms per region, lists them in name order, and finds the sub-minute ones',
      using(async (store) => {
        const fast = alarm('b-fast', { metric: { namespace: 'App', metricName: 'CPU', dimensions: [], period: 10, statistic: 'Average' } });
        await store.write([alarm('c'), fast, alarm('a'), alarm('a', { region: 'eu-west-1' })], [item('a', T)]);
        expect((await store.ofRegion('us-east-1')).map((a) => a.name)).toEqual(['a', 'b-fast', 'c']);
        expect((await store.all()).map((a) => `${a.region}/${a.name}`).sort()).toEqual(['eu-west-1/a', 'us-east-1/a', 'us-east-1/b-fast', 'us-east-1/c']);
        expect((await store.subMinute()).map((a) => a.name)).toEqual(['b-fast']);
        expect(await store.get('us-east-1', 'a')).toEqual(alarm('a'));
        expect(await store.get('us-east-1', 'nope')).toBeUndefined();
        // A write replaces the whole alarm; a removal deletes it and keeps its history.
        await store.write([alarm('c', { threshold: 5 })], [], [{ region: 'us-east-1', name: 'a' }]);
        expect((await store.get('us-east-1', 'c')) as MetricAlarm).toMatchObject({ threshold: 5 });
        expect((await store.ofRegion('us-east-1')).map((a) => a.name)).toEqual(['b-fast', 'c']);
        expect((await store.history({ region: 'us-east-1', ascending: true, limit: 10 })).map((h) => h.alarmName)).toEqual(['a']);
      }),
    );

    it(
      'edits what it finds in one transaction, and writes nothing when the edit throws',
      using(async (store) => {
        await store.write([alarm('a'), alarm('b')], []);
        let seen: string[] = [];
        await store.edit('us-east-1', ['a', 'b', 'ghost'], (found) => {
          seen = [...found.keys()].sort();
          return { alarms: [{ ...found.get('a')!, actionsEnabled: false }], removed: [{ region: 'us-east-1', name: 'b' }], history: [item('b', T, 'ConfigurationUpdate')] };
        });
        expect(seen).toEqual(['a', 'b']);
        expect((await store.ofRegion('us-east-1')).map((a) => [a.name, a.actionsEnabled])).toEqual([['a', false]]);
        await expect(
          store.edit('us-east-1', ['a'], (found) => {
            void found;
            throw new Error('refused');
          }),
        ).rejects.toThrow('refused');
        await expect(
          store.edit('us-east-1', ['a'], () => {
            throw new Error('late');
          }),
        ).rejects.toThrow('late');
        expect((await store.get('us-east-1', 'a'))!.actionsEnabled).toBe(false);
        expect(await store.history({ region: 'us-east-1', ascending: true, limit: 10 })).toHaveLength(1);
      }),
    );

    it(
      'keeps edits of the same alarm from losing each other',
      using(async (store) => {
        await store.write([alarm('a')], []);
        await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            store.edit('us-east-1', ['a'], (found) => {
              const a = found.get('a')!;
              return { alarms: [{ ...a, tags: [...a.tags, { Key: `k${i}`, Value: 'v' }] }] };
            }),
          ),
        );
        expect((await store.get('us-east-1', 'a'))!.tags).toHaveLength(10);
      }),
    );

    it(
      'answers history by alarm, type, kind and time, in id order both ways, in pages, and expires it',
      using(async (store) => {
        await store.write([], [item('a', T), item('b', T + 1000, 'Action'), item('a', T + 2000, 'ConfigurationUpdate'), item('a', T + 3000, 'StateUpdate', 'eu-west-1')]);
        await store.write([], [item('a', T + 4000)]);
        const names = (items: Array<{ alarmName: string; timestamp: number }>) => items.map((h) => `${h.alarmName}@${(h.timestamp - T) / 1000}`);
        expect(names(await store.history({ region: 'us-east-1', ascending: true, limit: 10 }))).toEqual(['a@0', 'b@1', 'a@2', 'a@4']);
        expect(names(await store.history({ region: 'us-east-1', ascending: false, limit: 10 }))).toEqual(['a@4', 'a@2', 'b@1', 'a@0']);
        expect(names(await store.history({ region: 'us-east-1', name: 'a', type: 'StateUpdate', ascending: true, limit: 10 }))).toEqual(['a@0', 'a@4']);
        expect(names(await store.history({ region: 'us-east-1', from: T + 1000, to: T + 2000, ascending: true, limit: 10 }))).toEqual(['b@1', 'a@2']);
        expect(await store.history({ region: 'us-east-1', kinds: ['CompositeAlarm'], ascending: true, limit: 10 })).toEqual([]);
        const first = await store.history({ region: 'us-east-1', ascending: false, limit: 2 });
        expect(names(await store.history({ region: 'us-east-1', ascending: false, limit: 10, afterId: first[1]!.id }))).toEqual(['b@1', 'a@0']);
        expect(await store.expireHistory(T + 2000)).toBe(2);
        expect(names(await store.history({ region: 'us-east-1', ascending: true, limit: 10 }))).toEqual(['a@2', 'a@4']);
      }),
    );
  });
}
