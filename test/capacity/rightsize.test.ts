/**
 * Container Insights and rightsizing end to end: a real task (runc) on a cluster with
 * containerInsights enabled burns a little CPU and holds some memory; the platform's sampler
 * (every second here) writes performance events, read back with the real CloudWatch Logs SDK
 * client; then the built `minato rightsize --json` (a separate process; `npm run build` first)
 * recommends a smaller size for the over-provisioned task definition.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateClusterCommand, ECSClient, StopTaskCommand } from '@aws-sdk/client-ecs';
import { pino } from 'pino';
import { removeTaskBridge } from '../support/platform.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type PlatformConfig } from '../../src/cli/config.js';
import { startPlatform, type Platform } from '../../src/cli/platform.js';
import { MINATO_BIN } from '../support/minato-process.js';
import { isRunning, isStopped, runTask, startImageFixture, waitForTask, type ImageFixture } from '../tasks/task-fixture.js';

const n = 1 + Math.floor(Math.random() * 250);
const bridge = `mrs${process.pid % 10000}x${n}`;
const dataDir = mkdtempSync(join(tmpdir(), 'minato-rightsize-'));
const config: PlatformConfig = { ...DEFAULT_CONFIG, port: 0, dataDir, taskBridge: bridge, taskSubnet: `10.215.${n}.0/24` };
const credentials = { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey };
const CLUSTER = `insights-${process.pid}`;
const GROUP = `/aws/ecs/containerinsights/${CLUSTER}/performance`;

let platform: Platform;
let fixture: ImageFixture;
let ecs: ECSClient;
let logs: CloudWatchLogsClient;

beforeAll(async () => {
  platform = await startPlatform(config, pino({ level: 'silent' }), { metadataPort: 0, insightsIntervalMs: 1000 });
  ecs = new ECSClient({ endpoint: platform.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
  logs = new CloudWatchLogsClient({ endpoint: platform.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
  fixture = await startImageFixture();
});

afterAll(async () => {
  ecs?.destroy();
  logs?.destroy();
  await fixture?.stop();
  if (platform) {
    await platform.stopAllTasks();
    await platform.close();
  }
  await removeTaskBridge(bridge).catch(() => undefined);
  rmSync(dataDir, { recursive: true, force: true });
});

/** Runs the built CLI and resolves with its exit code and output (killed after 30 s). */
function minato(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const env = { ...process.env, AWS_ACCESS_KEY_ID: credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey };
    const child = execFile(process.execPath, [MINATO_BIN, ...args], { env, timeout: 30_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr }),
    );
    child.stdin?.end();
  });
}

describe('Container Insights and minato rightsize', () => {
  it('samples a running task into performance events and recommends a smaller size', async () => {
    await ecs.send(new CreateClusterCommand({ clusterName: CLUSTER, settings: [{ name: 'containerInsights', value: 'enabled' }] }));
    // ~24 MiB held in a shell variable, and a short busy loop every half second.
    const script = [
      'trap "exit 0" TERM',
      'x=$(yes aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa | head -c 25000000)',
      'while true; do i=0; while [ $i -lt 2000 ]; do i=$((i+1)); done; sleep 0.5; done',
    ].join('; ');
    const res = await runTask(ecs, CLUSTER, 'oversized', [{ name: 'app', image: fixture.image, command: ['sh', '-c', script] }], { cpu: '1024', memory: '8192' });
    expect(res.failures).toEqual([]);
    const taskArn = res.tasks![0]!.taskArn!;
    await waitForTask(ecs, CLUSTER, taskArn, isRunning);

    // A baseline reading, then one event per second: wait for three Task events (bounded).
    let taskEvents: Array<Record<string, unknown>> = [];
    for (let i = 0; i < 40 && taskEvents.length < 3; i++) {
      await new Promise((r) => setTimeout(r, 500));
      const out = await logs.send(new FilterLogEventsCommand({ logGroupName: GROUP, filterPattern: '{ $.Type = "Task" }' })).catch(() => undefined);
      taskEvents = (out?.events ?? []).map((e) => JSON.parse(e.message!) as Record<string, unknown>);
    }
    expect(taskEvents.length).toBeGreaterThanOrEqual(3);
    const taskId = taskArn.split('/').pop();
    for (const e of taskEvents) {
      expect(e).toMatchObject({ Type: 'Task', TaskId: taskId, TaskDefinitionFamily: 'oversized', ClusterName: CLUSTER, CpuReserved: 1024, MemoryReserved: 8192, LaunchType: 'FARGATE' });
    }
    // The shell holds its variable: every sample sees at least 20 MiB, and the loop uses some CPU.
    expect(Math.min(...taskEvents.map((e) => e.MemoryUtilized as number))).toBeGreaterThanOrEqual(20);
    expect(Math.max(...taskEvents.map((e) => e.CpuUtilized as number))).toBeGreaterThan(0);
    const containers = await logs.send(new FilterLogEventsCommand({ logGroupName: GROUP, filterPattern: '{ $.Type = "Container" && $.ContainerName = "app" }' }));
    expect(containers.events?.length).toBeGreaterThanOrEqual(3);

    const cli = await minato(['rightsize', '--cluster', CLUSTER, '--endpoint', platform.endpoint, '--region', 'us-east-1', '--since', '1h', '--json']);
    expect(cli.stderr).toBe('');
    expect(cli.code).toBe(0);
    const report = JSON.parse(cli.stdout) as {
      recommendations: Array<{ family: string; finding: string; current: { cpu: number; memoryMiB: number; monthlyUsd: number }; recommended: { cpu: number; memoryMiB: number; monthlyUsd: number }; savings: { monthlyUsd: number } }>;
    };
    expect(report.recommendations).toHaveLength(1);
    const rec = report.recommendations[0]!;
    expect(rec).toMatchObject({ family: 'oversized', finding: 'Overprovisioned', current: { cpu: 1024, memoryMiB: 8192 } });
    expect(rec.recommended.cpu).toBeLessThan(1024);
    expect(rec.recommended.memoryMiB).toBeLessThan(8192);
    expect(rec.savings.monthlyUsd).toBeGreaterThan(0);
    expect(rec.recommended.monthlyUsd).toBeLessThan(rec.current.monthlyUsd);

    const text = await minato(['rightsize', '--cluster', CLUSTER, '--endpoint', platform.endpoint, '--since', '1h']);
    expect(text.stdout).toMatch(/^oversized +Overprovisioned +1 vCPU \/ 8 GB +\d+\.\d\d +0\.25 vCPU/m);

    await ecs.send(new StopTaskCommand({ cluster: CLUSTER, task: taskArn }));
    await waitForTask(ecs, CLUSTER, taskArn, isStopped);
  });

  it('tells a cluster without performance events apart', async () => {
    const cli = await minato(['rightsize', '--cluster', 'no-insights', '--endpoint', platform.endpoint, '--region', 'us-east-1']);
    expect(cli.code).toBe(1);
    expect(cli.stderr).toMatch(/log group \/aws\/ecs\/containerinsights\/no-insights\/performance does not exist/);
  });
});
