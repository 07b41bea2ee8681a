/**
 * The AWS/ECS service metrics minato publishes itself: a real service task (runc) burns a
 * little CPU; the platform's sampler (every second here, once a minute by default) measures it,
 * and its service's CPUUtilization and MemoryUtilization appear through GetMetricData and
 * ListMetrics of the real CloudWatch SDK client — and an alarm on them evaluates.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudWatchClient, GetMetricDataCommand, ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import { CreateServiceCommand, DeleteServiceCommand, ECSClient } from '@aws-sdk/client-ecs';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type PlatformConfig } from '../../src/cli/config.js';
import { startPlatform, type Platform } from '../../src/cli/platform.js';
import { removeTaskBridge } from '../support/platform.js';
import { NETWORK, registerFargate, waitForService } from '../services/service-fixture.js';
import { startImageFixture, type ImageFixture } from '../tasks/task-fixture.js';

const n = 1 + Math.floor(Math.random() * 250);
const bridge = `mcw${process.pid % 10000}x${n}`;
const dataDir = mkdtempSync(join(tmpdir(), 'minato-ecs-metrics-'));
const config: PlatformConfig = { ...DEFAULT_CONFIG, port: 0, dataDir, taskBridge: bridge, taskSubnet: `10.216.${n}.0/24` };
const credentials = { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey };
const CLUSTER = `metrics-${process.pid}`;

let platform: Platform;
let fixture: ImageFixture;
let ecs: ECSClient;
let cw: CloudWatchClient;

beforeAll(async () => {
  platform = await startPlatform(config, pino({ level: 'silent' }), { metadataPort: 0, insightsIntervalMs: 1000 });
  ecs = new ECSClient({ endpoint: platform.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
  cw = new CloudWatchClient({ endpoint: platform.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
  fixture = await startImageFixture();
});

afterAll(async () => {
  ecs?.destroy();
  cw?.destroy();
  await fixture?.stop();
  if (platform) {
    await platform.stopAllTasks();
    await platform.close();
  }
  await removeTaskBridge(bridge).catch(() => undefined);
  rmSync(dataDir, { recursive: true, force: true });
});

describe('AWS/ECS service metrics', () => {
  it('publishes a service’s CPUUtilization and MemoryUtilization from its running task', async () => {
    const busy = 'trap "exit 0" TERM; while true; do i=0; while [ $i -lt 3000 ]; do i=$((i+1)); done; sleep 0.2; done';
    const td = await registerFargate(ecs, CLUSTER, 'busy', [{ name: 'app', image: fixture.image, command: ['sh', '-c', busy] }]);
    await ecs.send(new CreateServiceCommand({ cluster: CLUSTER, serviceName: 'web', taskDefinition: td, desiredCount: 1, launchType: 'FARGATE', networkConfiguration: NETWORK }));
    await waitForService(ecs, CLUSTER, 'web', (s) => s.runningCount === 1, 90_000);

    const dims = [{ Name: 'ClusterName', Value: CLUSTER }, { Name: 'ServiceName', Value: 'web' }];
    const query = (id: string, metric: string, stat: string) => ({ Id: id, MetricStat: { Metric: { Namespace: 'AWS/ECS', MetricName: metric, Dimensions: dims }, Period: 60, Stat: stat } });
    let results: Array<{ Id?: string; Values?: number[] }> = [];
    for (let waited = 0; waited < 30_000; waited += 1000) {
      const got = await cw.send(
        new GetMetricDataCommand({
          StartTime: new Date(Date.now() - 5 * 60_000),
          EndTime: new Date(Date.now() + 60_000),
          MetricDataQueries: [query('cpu', 'CPUUtilization', 'Average'), query('mem', 'MemoryUtilization', 'Average'), query('tasks', 'CPUUtilization', 'SampleCount')],
        }),
      );
      results = got.MetricDataResults ?? [];
      if (results.every((r) => (r.Values ?? []).length > 0)) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    const values = Object.fromEntries(results.map((r) => [r.Id, r.Values ?? []]));
    // The busy loop uses some of the task's 256 CPU units; a shell holds far less than 512 MiB.
    expect(values.cpu!.length).toBeGreaterThan(0);
    expect(values.cpu![0]).toBeGreaterThan(0);
    expect(values.cpu![0]).toBeLessThan(400);
    expect(values.mem![0]).toBeGreaterThan(0);
    expect(values.mem![0]).toBeLessThan(50);
    // One sample per reading of the one task.
    expect(values.tasks![0]).toBeGreaterThanOrEqual(1);

    const listed = await cw.send(new ListMetricsCommand({ Namespace: 'AWS/ECS', Dimensions: [{ Name: 'ClusterName', Value: CLUSTER }] }));
    const names = (listed.Metrics ?? []).map((m) => `${m.MetricName} ${(m.Dimensions ?? []).map((d) => d.Name).join('+')}`).sort();
    expect(names).toEqual(['CPUUtilization ClusterName', 'CPUUtilization ClusterName+ServiceName', 'MemoryUtilization ClusterName', 'MemoryUtilization ClusterName+ServiceName']);

    await ecs.send(new DeleteServiceCommand({ cluster: CLUSTER, service: 'web', force: true }));
  });
});
