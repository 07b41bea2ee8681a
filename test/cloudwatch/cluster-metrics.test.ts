/**
 * The cluster metrics minato publishes itself, read back with the real CloudWatch SDK client:
 * ECS/ContainerInsights of a real service task (runc) in a cluster with Container Insights
 * enabled, and AWS/ECS CPUReservation and MemoryReservation of a cluster's container instance
 * (registered through the ECS API, as the agent registers) with a task placed on it. The platform
 * samples every second here (once a minute by default).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudWatchClient, GetMetricDataCommand, ListMetricsCommand, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DeleteServiceCommand,
  ECSClient,
  RegisterContainerInstanceCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
} from '@aws-sdk/client-ecs';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type PlatformConfig } from '../../src/cli/config.js';
import { startPlatform, type Platform } from '../../src/cli/platform.js';
import { removeTaskBridge } from '../support/platform.js';
import { NETWORK, registerFargate, waitForService } from '../services/service-fixture.js';
import { startImageFixture, type ImageFixture } from '../tasks/task-fixture.js';

const n = 1 + Math.floor(Math.random() * 250);
const bridge = `mcm${process.pid % 10000}x${n}`;
const dataDir = mkdtempSync(join(tmpdir(), 'minato-cluster-metrics-'));
const config: PlatformConfig = { ...DEFAULT_CONFIG, port: 0, dataDir, taskBridge: bridge, taskSubnet: `10.217.${n}.0/24`, lbSubnet: `127.79.${n}.0/24` };
const credentials = { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey };

let platform: Platform;
let fixture: ImageFixture;
let ecs: ECSClient;
let cw: CloudWatchClient;

beforeAll(async () => {
  platform = await startPlatform(config, pino({ level: 'silent' }), { metadataPort: 0, insightsIntervalMs: 1000, dnsUpstreams: async () => [] });
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

type Dims = Array<{ Name: string; Value: string }>;
const query = (id: string, namespace: string, metric: string, dims: Dims, stat: string): MetricDataQuery => ({
  Id: id,
  MetricStat: { Metric: { Namespace: namespace, MetricName: metric, Dimensions: dims }, Period: 60, Stat: stat },
});

/**
 * Polls GetMetricData (bounded) until every query has a value for which `ready` holds; the latest
 * value of each.
 */
async function latest(queries: MetricDataQuery[], timeoutMs = 40_000, ready = (_value: number) => true): Promise<Record<string, number>> {
  let values: Record<string, number[]> = {};
  for (const end = Date.now() + timeoutMs; Date.now() < end; ) {
    const got = await cw.send(new GetMetricDataCommand({ StartTime: new Date(Date.now() - 5 * 60_000), EndTime: new Date(Date.now() + 60_000), MetricDataQueries: queries }));
    values = Object.fromEntries((got.MetricDataResults ?? []).map((r) => [r.Id!, r.Values ?? []]));
    if (queries.every((q) => { const v = values[q.Id!] ?? []; return v.length > 0 && ready(v[0]!); })) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  return Object.fromEntries(queries.map((q) => [q.Id!, values[q.Id!]?.[0] ?? Number.NaN]));
}

describe('ECS/ContainerInsights', () => {
  it('publishes a real task’s CPU, memory and network use and the service’s task counts when the cluster enables Container Insights', async () => {
    const cluster = `insights-${process.pid}`;
    await ecs.send(new CreateClusterCommand({ clusterName: cluster, settings: [{ name: 'containerInsights', value: 'enabled' }] }));
    const busy = 'trap "exit 0" TERM; while true; do i=0; while [ $i -lt 3000 ]; do i=$((i+1)); done; dd if=/dev/zero of=/tmp/f bs=4k count=16 2>/dev/null; sleep 0.2; done';
    const td = await registerFargate(ecs, cluster, 'busy', [{ name: 'app', image: fixture.image, command: ['sh', '-c', busy] }]);
    await ecs.send(new CreateServiceCommand({ cluster, serviceName: 'web', taskDefinition: td, desiredCount: 1, launchType: 'FARGATE', networkConfiguration: NETWORK }));
    await waitForService(ecs, cluster, 'web', (s) => s.runningCount === 1, 90_000);

    const NS = 'ECS/ContainerInsights';
    const service = [{ Name: 'ClusterName', Value: cluster }, { Name: 'ServiceName', Value: 'web' }];
    const clusterDims = [{ Name: 'ClusterName', Value: cluster }];
    const family = [{ Name: 'ClusterName', Value: cluster }, { Name: 'TaskDefinitionFamily', Value: 'busy' }];
    const v = await latest([
      query('cpu', NS, 'CpuUtilized', service, 'Average'),
      query('cpures', NS, 'CpuReserved', service, 'Average'),
      query('mem', NS, 'MemoryUtilized', family, 'Average'),
      query('memres', NS, 'MemoryReserved', clusterDims, 'Average'),
      query('rx', NS, 'NetworkRxBytes', service, 'Average'),
      query('running', NS, 'RunningTaskCount', service, 'Maximum'),
      query('desired', NS, 'DesiredTaskCount', service, 'Maximum'),
      query('deployments', NS, 'DeploymentCount', service, 'Maximum'),
      query('services', NS, 'ServiceCount', clusterDims, 'Maximum'),
      query('tasks', NS, 'TaskCount', clusterDims, 'Maximum'),
    ]);
    // The busy loop uses some of the task's 256 units; a shell holds far less than its 512 MiB.
    expect(v.cpu).toBeGreaterThan(0);
    expect(v.cpu).toBeLessThan(1024);
    expect(v.cpures).toBe(256);
    expect(v.mem).toBeGreaterThan(0);
    expect(v.mem).toBeLessThan(100);
    expect(v.memres).toBe(512);
    expect(v.rx).toBeGreaterThanOrEqual(0);
    expect([v.running, v.desired, v.deployments, v.services, v.tasks]).toEqual([1, 1, 1, 1, 1]);

    const listed = await cw.send(new ListMetricsCommand({ Namespace: NS, Dimensions: service }));
    const names = new Set((listed.Metrics ?? []).map((m) => m.MetricName));
    for (const name of ['CpuUtilized', 'CpuReserved', 'MemoryUtilized', 'MemoryReserved', 'NetworkRxBytes', 'NetworkTxBytes', 'StorageReadBytes', 'StorageWriteBytes', 'RunningTaskCount', 'PendingTaskCount', 'DesiredTaskCount', 'DeploymentCount']) {
      expect(names.has(name), name).toBe(true);
    }
    await ecs.send(new DeleteServiceCommand({ cluster, service: 'web', force: true }));
  }, 150_000);

  it('publishes nothing to ECS/ContainerInsights for a cluster without the setting', async () => {
    const listed = await cw.send(new ListMetricsCommand({ Namespace: 'ECS/ContainerInsights', Dimensions: [{ Name: 'ClusterName', Value: 'plain' }] }));
    await ecs.send(new CreateClusterCommand({ clusterName: 'plain' }));
    await new Promise((r) => setTimeout(r, 2500));
    const after = await cw.send(new ListMetricsCommand({ Namespace: 'ECS/ContainerInsights', Dimensions: [{ Name: 'ClusterName', Value: 'plain' }] }));
    expect(listed.Metrics ?? []).toEqual([]);
    expect(after.Metrics ?? []).toEqual([]);
  });
});

describe('AWS/ECS reservation', () => {
  it('is what the tasks placed on the cluster’s container instances reserve of what they registered', async () => {
    const cluster = `reserved-${process.pid}`;
    await ecs.send(new CreateClusterCommand({ clusterName: cluster }));
    await ecs.send(
      new RegisterContainerInstanceCommand({
        cluster,
        instanceIdentityDocument: JSON.stringify({ instanceId: 'i-0abc1234def567890', availabilityZone: 'us-east-1a', instanceType: 'c7i.large', region: 'us-east-1' }),
        totalResources: [
          { name: 'CPU', type: 'INTEGER', integerValue: 2048 },
          { name: 'MEMORY', type: 'INTEGER', integerValue: 4096 },
        ],
        versionInfo: { agentVersion: '1.80.0' },
      }),
    );
    const { taskDefinition } = await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'reserve',
        networkMode: 'bridge',
        requiresCompatibilities: ['EC2'],
        containerDefinitions: [{ name: 'app', image: 'busybox', cpu: 512, memory: 1024, essential: true }],
      }),
    );
    // Placed on the instance (whose agent never polls for it): it reserves a quarter of each resource.
    const run = await ecs.send(new RunTaskCommand({ cluster, taskDefinition: taskDefinition!.taskDefinitionArn, launchType: 'EC2' }));
    expect(run.failures).toEqual([]);
    // A sample taken between the registration and the placement is 0: wait for the first after it.
    // Maximum, as an average over the minute would mix the two.
    const dims = [{ Name: 'ClusterName', Value: cluster }];
    const v = await latest([query('cpu', 'AWS/ECS', 'CPUReservation', dims, 'Maximum'), query('mem', 'AWS/ECS', 'MemoryReservation', dims, 'Maximum')], 40_000, (value) => value > 0);
    expect(v).toEqual({ cpu: 25, mem: 25 });
    await ecs.send(new StopTaskCommand({ cluster, task: run.tasks![0]!.taskArn! }));
  }, 60_000);
});
