import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { awsCli } from '../support/aws-cli.js';
import { spawnMinato, type MinatoProcess } from '../support/minato-process.js';

// Runs the compiled CLI (`npm run build` first), as a user runs `minato up`.
const dataDir = mkdtempSync(join(tmpdir(), 'minato-cloudwatch-up-'));
const cliHome = mkdtempSync(join(tmpdir(), 'minato-cloudwatch-cli-'));
const alarmDir = mkdtempSync(join(tmpdir(), 'minato-cloudwatch-alarms-'));
const running: MinatoProcess[] = [];
afterAll(async () => {
  for (const p of running) await p.stop('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(cliHome, { recursive: true, force: true });
  rmSync(alarmDir, { recursive: true, force: true });
});

describe('CloudWatch metrics in minato up', () => {
  it('keeps published data across a restart', async () => {
    const t0 = Math.floor((Date.now() - 10 * 60_000) / 60_000) * 60_000;
    const first = await spawnMinato(['--port', '0', '--data-dir', dataDir]);
    running.push(first);
    const put = await awsCli(first.endpoint, cliHome, [
      'cloudwatch', 'put-metric-data', '--namespace', 'Durable', '--metric-name', 'Jobs', '--dimensions', 'Queue=q',
      '--value', '7', '--unit', 'Count', '--timestamp', new Date(t0 + 1000).toISOString(),
    ]);
    expect([put.code, put.stderr]).toEqual([0, '']);
    expect(await first.stop('SIGTERM')).toBe(0);

    const second = await spawnMinato(['--port', '0', '--data-dir', dataDir]);
    running.push(second);
    const stats = await awsCli(second.endpoint, cliHome, [
      'cloudwatch', 'get-metric-statistics', '--namespace', 'Durable', '--metric-name', 'Jobs', '--dimensions', 'Name=Queue,Value=q',
      '--start-time', new Date(t0).toISOString(), '--end-time', new Date(t0 + 60_000).toISOString(), '--period', '60', '--statistics', 'Sum',
    ]);
    expect(stats.code).toBe(0);
    expect(JSON.parse(stats.stdout)).toEqual({ Label: 'Jobs', Datapoints: [{ Timestamp: t0 / 1000, Sum: 7, Unit: 'Count' }] });
    const listed = await awsCli(second.endpoint, cliHome, ['cloudwatch', 'list-metrics', '--namespace', 'Durable']);
    expect(JSON.parse(listed.stdout)).toEqual({ Metrics: [{ Namespace: 'Durable', MetricName: 'Jobs', Dimensions: [{ Name: 'Queue', Value: 'q' }] }] });
    expect(await second.stop()).toBe(0);
  });

  it('keeps acknowledged data when killed outright (kill -9), before they left the staging table', async () => {
    const killedDir = mkdtempSync(join(tmpdir(), 'minato-cloudwatch-killed-'));
    try {
      const t0 = Math.floor((Date.now() - 10 * 60_000) / 60_000) * 60_000;
      const first = await spawnMinato(['--port', '0', '--data-dir', killedDir]);
      running.push(first);
      const data = Array.from({ length: 30 }, (_, i) => ({ MetricName: 'Jobs', Dimensions: [{ Name: 'Queue', Value: `q${i % 3}` }], Value: i, Timestamp: new Date(t0 + i * 1000).toISOString() }));
      const put = await awsCli(first.endpoint, cliHome, ['cloudwatch', 'put-metric-data', '--namespace', 'Killed', '--metric-data', JSON.stringify(data)]);
      expect([put.code, put.stderr]).toEqual([0, '']);
      await first.stop('SIGKILL');

      const second = await spawnMinato(['--port', '0', '--data-dir', killedDir]);
      running.push(second);
      for (let q = 0; q < 3; q++) {
        const stats = await awsCli(second.endpoint, cliHome, [
          'cloudwatch', 'get-metric-statistics', '--namespace', 'Killed', '--metric-name', 'Jobs', '--dimensions', `Name=Queue,Value=q${q}`,
          '--start-time', new Date(t0).toISOString(), '--end-time', new Date(t0 + 60_000).toISOString(), '--period', '60', '--statistics', 'SampleCount', 'Sum',
        ]);
        const sum = data.filter((_, i) => i % 3 === q).reduce((s, d) => s + d.Value, 0);
        expect(JSON.parse(stats.stdout)).toEqual({ Label: 'Jobs', Datapoints: [{ Timestamp: t0 / 1000, SampleCount: 10, Sum: sum, Unit: 'None' }] });
      }
      expect(await second.stop()).toBe(0);
    } finally {
      rmSync(killedDir, { recursive: true, force: true });
    }
  });

  it('evaluates alarms on its schedule and keeps them and their state across a restart', async () => {
    const first = await spawnMinato(['--port', '0', '--data-dir', alarmDir]);
    running.push(first);
    const cw = async (endpoint: string, ...args: string[]) => {
      const res = await awsCli(endpoint, cliHome, ['cloudwatch', ...args]);
      expect([res.code, res.stderr]).toEqual([0, '']);
      return JSON.parse(res.stdout || '{}') as { MetricAlarms?: Array<Record<string, unknown>>; AlarmHistoryItems?: Array<Record<string, unknown>> };
    };
    // A 10-second alarm is evaluated every 10 seconds: high-resolution data above the threshold
    // turns it to ALARM within a few rounds.
    await cw(first.endpoint, 'put-metric-alarm', '--alarm-name', 'queue-deep', '--namespace', 'Live', '--metric-name', 'Queue', '--statistic', 'Maximum',
      '--period', '10', '--evaluation-periods', '1', '--threshold', '5', '--comparison-operator', 'GreaterThanThreshold');
    let state: Record<string, unknown> | undefined;
    for (const started = Date.now(); Date.now() - started < 60_000; ) {
      await cw(first.endpoint, 'put-metric-data', '--namespace', 'Live', '--metric-name', 'Queue', '--value', '9', '--storage-resolution', '1');
      state = (await cw(first.endpoint, 'describe-alarms', '--alarm-names', 'queue-deep')).MetricAlarms?.[0];
      if (state?.StateValue === 'ALARM') break;
      await new Promise((r) => setTimeout(r, 2000));
    }
    expect(state).toMatchObject({ StateValue: 'ALARM', StateReason: expect.stringMatching(/^Threshold Crossed: 1 datapoint \[9\.0 \(.*\)\] was greater than the threshold \(5\.0\)\.$/) });
    expect(await first.stop('SIGTERM')).toBe(0);

    const second = await spawnMinato(['--port', '0', '--data-dir', alarmDir]);
    running.push(second);
    const again = (await cw(second.endpoint, 'describe-alarms', '--alarm-names', 'queue-deep')).MetricAlarms?.[0];
    expect(again).toMatchObject({ StateValue: 'ALARM', StateReason: state!.StateReason, StateUpdatedTimestamp: state!.StateUpdatedTimestamp });
    const history = await cw(second.endpoint, 'describe-alarm-history', '--alarm-name', 'queue-deep', '--history-item-type', 'StateUpdate');
    expect(history.AlarmHistoryItems?.map((h) => h.HistorySummary)).toContain('Alarm updated from INSUFFICIENT_DATA to ALARM');
    expect(await second.stop()).toBe(0);
  }, 150_000);
});
