import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LogService, openLogService } from '../log-service.js';
import { NOW, scopeAt, thrown } from '../service.fixtures.js';
import { SqliteLogStore } from '../sqlite-log-store.js';
import type { MetricDatum, MetricSink } from './metric-sink.js';

/** A sink that records what it is given. */
function recordingSink(): MetricSink & { published: Array<{ namespace: string; datum: MetricDatum }> } {
  const published: Array<{ namespace: string; datum: MetricDatum }> = [];
  return {
    published,
    publish(_target, namespace, data) {
      for (const datum of data) published.push({ namespace, datum });
    },
  };
}

async function setup() {
  const sink = recordingSink();
  const logs = new LogService(new SqliteLogStore(':memory:'), sink);
  const scope = scopeAt();
  await logs.groups.create(scope, { name: '/app' });
  await logs.streams.create(scope, '/app', 'web');
  return { logs, sink, scope };
}

const errors = { metricName: 'Errors', metricNamespace: 'App', metricValue: '1' };

describe('metric filters', () => {
  it('turns matching events into datapoints at the events\' timestamps, and only events ingested after the filter exists', async () => {
    const { logs, sink, scope } = await setup();
    await logs.putEvents(scope, '/app', 'web', [{ timestamp: NOW - 5000, message: '{"logType":"ErrorLog"}' }]);
    await logs.metricFilters.put(scope, { groupName: '/app', name: 'errors', pattern: '{ $.logType = "ErrorLog" }', transformation: errors });
    await logs.putEvents(scope, '/app', 'web', [
      { timestamp: NOW - 3000, message: '{"logType":"ErrorLog"}' },
      { timestamp: NOW - 2000, message: '{"logType":"InfoLog"}' },
      { timestamp: NOW - 1000, message: 'not json ErrorLog' },
      { timestamp: NOW, message: '{"logType":"ErrorLog","code":500}' },
    ]);
    expect(sink.published).toEqual([
      { namespace: 'App', datum: { metricName: 'Errors', value: 1, timestamp: NOW - 3000, dimensions: [] } },
      { namespace: 'App', datum: { metricName: 'Errors', value: 1, timestamp: NOW, dimensions: [] } },
    ]);
  });

  it('reports the default value for each minute of a batch in which nothing matched', async () => {
    const { logs, sink, scope } = await setup();
    await logs.metricFilters.put(scope, { groupName: '/app', name: 'e', pattern: 'ERROR', transformation: { ...errors, defaultValue: 0 } });
    const minute = Math.floor(NOW / 60_000) * 60_000;
    await logs.putEvents(scope, '/app', 'web', [
      { timestamp: minute - 60_000 + 1, message: 'ok' },
      { timestamp: minute - 60_000 + 2, message: 'ok again' },
      { timestamp: minute + 1, message: 'ERROR boom' },
    ]);
    expect(sink.published.map((p) => [p.datum.timestamp, p.datum.value])).toEqual([
      [minute + 1, 1],
      [minute - 60_000, 0],
    ]);
  });

  it('applies filters to a task\'s appended lines too', async () => {
    const { logs, sink, scope } = await setup();
    await logs.metricFilters.put(scope, { groupName: '/app', name: 'lat', pattern: '[ip, status, ms]', transformation: { ...errors, metricValue: '$ms', unit: 'Milliseconds' } });
    await logs.appendEvents(scope, '/app', 'task/1', [{ timestamp: NOW, message: '10.0.0.1 200 17' }]);
    expect(sink.published.map((p) => p.datum)).toEqual([{ metricName: 'Errors', value: 17, timestamp: NOW, unit: 'Milliseconds', dimensions: [] }]);
  });

  it('refuses bad input with AWS\'s errors and stores nothing', async () => {
    const { logs, scope } = await setup();
    const put = (over: object) => thrown(() => logs.metricFilters.put(scope, { groupName: '/app', name: 'f', pattern: '{ $.a = 1 }', transformation: errors, ...over }));
    expect(await put({ groupName: '/none' })).toMatchObject({ kind: 'NotFound' });
    expect(await put({ pattern: '{ $.a = }' })).toMatchObject({ kind: 'InvalidArgument', message: 'Invalid filter pattern' });
    expect(await put({ transformation: { ...errors, metricNamespace: 'AWS/EC2' } })).toMatchObject({ kind: 'InvalidArgument' });
    expect(await put({ transformation: { ...errors, metricValue: '$x' } })).toMatchObject({ kind: 'InvalidArgument' });
    expect((await logs.metricFilters.describe(scope, {})).items).toEqual([]);
    expect((await logs.groups.require(scope, '/app')).metricFilterCount).toBe(0);
  });

  it('allows 100 filters per group; replacing one does not count', async () => {
    const { logs, scope } = await setup();
    for (let i = 0; i < 100; i++) await logs.metricFilters.put(scope, { groupName: '/app', name: `f${i}`, pattern: 'x', transformation: errors });
    await logs.metricFilters.put(scope, { groupName: '/app', name: 'f7', pattern: 'y', transformation: errors });
    expect(await thrown(() => logs.metricFilters.put(scope, { groupName: '/app', name: 'f100', pattern: 'x', transformation: errors }))).toMatchObject({
      kind: 'LimitExceeded',
    });
    expect((await logs.groups.require(scope, '/app')).metricFilterCount).toBe(100);
  });

  it('describes by group, name prefix and metric, in pages; deletes', async () => {
    const { logs, scope } = await setup();
    await logs.groups.create(scope, { name: '/other' });
    for (const [group, name, metricName] of [['/app', 'a1', 'M1'], ['/app', 'a2', 'M2'], ['/app', 'b1', 'M1'], ['/other', 'a1', 'M1']] as const) {
      await logs.metricFilters.put(scope, { groupName: group, name, pattern: 'x', transformation: { ...errors, metricName } });
    }
    const names = (page: { items: Array<{ groupName: string; name: string }> }) => page.items.map((f) => `${f.groupName}:${f.name}`);
    expect(names(await logs.metricFilters.describe(scope, { groupName: '/app', prefix: 'a' }))).toEqual(['/app:a1', '/app:a2']);
    expect(names(await logs.metricFilters.describe(scope, { metricName: 'M1', metricNamespace: 'App' }))).toEqual(['/app:a1', '/app:b1', '/other:a1']);
    expect(await thrown(() => logs.metricFilters.describe(scope, { metricName: 'M1' }))).toMatchObject({ kind: 'InvalidArgument' });
    expect(await thrown(() => logs.metricFilters.describe(scope, { groupName: '/none' }))).toMatchObject({ kind: 'NotFound' });
    const seen: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await logs.metricFilters.describe(scope, { limit: 1, ...(nextToken && { nextToken }) });
      seen.push(...names(page));
      nextToken = page.nextToken;
    } while (nextToken);
    expect(seen).toEqual(['/app:a1', '/app:a2', '/app:b1', '/other:a1']);
    await logs.metricFilters.delete(scope, '/app', 'a2');
    expect(await thrown(() => logs.metricFilters.delete(scope, '/app', 'a2'))).toMatchObject({ kind: 'NotFound' });
    expect(names(await logs.metricFilters.describe(scope, { groupName: '/app' }))).toEqual(['/app:a1', '/app:b1']);
  });

  it('tests a pattern, numbering matches from 1 with the values each binds', async () => {
    const { logs } = await setup();
    expect(logs.metricFilters.test('[ip, user, status = 4*, bytes]', ['1.2.3.4 bob 404 12', '1.2.3.4 bob 200 12', '"a b" - 403 0'])).toEqual([
      { eventNumber: 1, eventMessage: '1.2.3.4 bob 404 12', extractedValues: { $ip: '1.2.3.4', $user: 'bob', $status: '404', $bytes: '12' } },
      { eventNumber: 3, eventMessage: '"a b" - 403 0', extractedValues: { $ip: 'a b', $user: '-', $status: '403', $bytes: '0' } },
    ]);
    expect(logs.metricFilters.test('{ $.logType = "ErrorLog" && $.code > 400 }', ['{"logType":"ErrorLog","code":500}', '{"logType":"ErrorLog","code":200}'])).toEqual([
      { eventNumber: 1, eventMessage: '{"logType":"ErrorLog","code":500}', extractedValues: { '$.logType': 'ErrorLog', '$.code': '500' } },
    ]);
    expect(logs.metricFilters.test('ERROR', ['ok', 'ERROR x'])).toEqual([{ eventNumber: 2, eventMessage: 'ERROR x', extractedValues: {} }]);
  });

  it('keeps filters in the log database across a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'minato-metric-filters-'));
    const file = join(dir, 'logs.db');
    const scope = scopeAt();
    try {
      const first = openLogService(file);
      await first.groups.create(scope, { name: '/app' });
      await first.metricFilters.put(scope, { groupName: '/app', name: 'errors', pattern: 'ERROR', transformation: errors });
      await first.close();
      const sink = recordingSink();
      const second = openLogService(file, sink);
      expect((await second.metricFilters.describe(scope, {})).items.map((f) => [f.groupName, f.name, f.pattern, f.transformation])).toEqual([
        ['/app', 'errors', 'ERROR', errors],
      ]);
      await second.appendEvents(scope, '/app', 's', [{ timestamp: NOW, message: 'an ERROR' }]);
      expect(sink.published).toHaveLength(1);
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
