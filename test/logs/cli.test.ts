import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { awsCli } from '../support/aws-cli.js';
import { useLogsFrontDoor } from './logs-fixture.js';

const fixture = useLogsFrontDoor();

/** Runs the AWS CLI against the platform under test. */
const aws = (...args: string[]) => awsCli(fixture.endpoint(), fixture.dataDir(), args);

const json = (res: { code: number; stdout: string; stderr: string }) => {
  expect(res.stderr).toBe('');
  expect(res.code).toBe(0);
  return JSON.parse(res.stdout || '{}') as Record<string, unknown>;
};

// The CLI takes a couple of seconds per call here; the read-only calls run side by side.
describe.concurrent('the AWS CLI (v1) against CloudWatch Logs', () => {
  beforeAll(async () => {
    json(await aws('logs', 'create-log-group', '--log-group-name', '/cli/app'));
    json(await aws('logs', 'create-log-stream', '--log-group-name', '/cli/app', '--log-stream-name', 'web'));
    const now = Date.now();
    const file = join(fixture.dataDir(), 'events.json');
    writeFileSync(
      file,
      JSON.stringify([
        { timestamp: now - 3, message: '{"logType":"ErrorLog","code":500}' },
        { timestamp: now - 2, message: '10.0.0.1 - - [24/Nov/2026:01:00:00 +0000] "GET / HTTP/1.1" 503 12' },
        { timestamp: now - 1, message: '{"logType":"InfoLog","code":200}' },
      ]),
    );
    const put = json(await aws('logs', 'put-log-events', '--log-group-name', '/cli/app', '--log-stream-name', 'web', '--log-events', `file://${file}`));
    expect(put.nextSequenceToken).toMatch(/^\d{56}$/);
  });

  it('filters with a JSON pattern', async () => {
    const res = json(await aws('logs', 'filter-log-events', '--log-group-name', '/cli/app', '--filter-pattern', '{ $.logType = "ErrorLog" }'));
    expect((res.events as Array<{ message: string; logStreamName: string }>).map((e) => [e.logStreamName, e.message])).toEqual([
      ['web', '{"logType":"ErrorLog","code":500}'],
    ]);
  });

  it('filters with a space-delimited pattern, paging with --page-size', async () => {
    const res = json(
      await aws(
        'logs',
        'filter-log-events',
        '--log-group-name',
        '/cli/app',
        '--filter-pattern',
        '[ip, identity, user, time, request, status = 5*, bytes]',
        '--page-size',
        '1',
      ),
    );
    expect((res.events as Array<{ message: string }>).map((e) => e.message)).toEqual([
      '10.0.0.1 - - [24/Nov/2026:01:00:00 +0000] "GET / HTTP/1.1" 503 12',
    ]);
  });

  it('gets the events of a stream from the head', async () => {
    const res = json(await aws('logs', 'get-log-events', '--log-group-name', '/cli/app', '--log-stream-name', 'web', '--start-from-head'));
    expect((res.events as unknown[]).length).toBe(3);
    expect(res.nextForwardToken).toMatch(/^f\/\d{56}\/s$/);
  });

  it('describes log streams by last event time', async () => {
    const streams = json(await aws('logs', 'describe-log-streams', '--log-group-name', '/cli/app', '--order-by', 'LastEventTime', '--descending'));
    expect(streams.logStreams).toEqual([expect.objectContaining({ logStreamName: 'web', lastEventTimestamp: expect.any(Number) })]);
  });

  it('reports a malformed pattern as InvalidParameterException', async () => {
    const res = await aws('logs', 'filter-log-events', '--log-group-name', '/cli/app', '--filter-pattern', '{ $.logType = ');
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain('InvalidParameterException');
    expect(res.stderr).toContain("If a filter pattern starts with '{' it must end with '}'");
  });
});
