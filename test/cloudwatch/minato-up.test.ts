import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { awsCli } from '../support/aws-cli.js';
import { spawnMinato, type MinatoProcess } from '../support/minato-process.js';

// Runs the compiled CLI (`npm run build` first), as a user runs `minato up`.
const dataDir = mkdtempSync(join(tmpdir(), 'minato-cloudwatch-up-'));
const cliHome = mkdtempSync(join(tmpdir(), 'minato-cloudwatch-cli-'));
const running: MinatoProcess[] = [];
afterAll(async () => {
  for (const p of running) await p.stop('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(cliHome, { recursive: true, force: true });
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
});
