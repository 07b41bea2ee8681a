/**
 * The ECS metrics of tasks that run on agents: each agent measures its tasks' cgroups and reports
 * the use over the agent protocol; the control plane publishes AWS/ECS CPUUtilization and
 * MemoryUtilization per service over every host's tasks, and ECS/ContainerInsights task metrics;
 * the agent writes Container Insights' performance events for a cluster that has it on.
 */
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, DescribeLogStreamsCommand, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateServiceCommand, UpdateClusterSettingsCommand } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NETWORK, allTasks, registerEc2, sleeper, startHostsFixture, until, type HostsFixture } from './hosts-fixture.js';

const CLUSTER = `agent-metrics-${process.pid}`;
let f: HostsFixture;
let cw: CloudWatchClient;
let logs: CloudWatchLogsClient;

beforeAll(async () => {
  f = await startHostsFixture(CLUSTER, [['--metrics-interval', '1']], { insightsIntervalMs: 1000 });
  const client = { endpoint: f.control.endpoint, region: 'us-east-1', credentials: { accessKeyId: f.control.config.accessKeyId, secretAccessKey: f.control.config.secretAccessKey }, maxAttempts: 1 };
  cw = new CloudWatchClient(client);
  logs = new CloudWatchLogsClient(client);
}, 120_000);

afterAll(async () => {
  cw?.destroy();
  logs?.destroy();
  await f?.dispose();
}, 120_000);

describe('metrics of tasks on agents', () => {
  it("publishes a service's CPU and memory utilization and Container Insights from the agent's readings", { timeout: 150_000 }, async () => {
    await f.ecs.send(new UpdateClusterSettingsCommand({ cluster: CLUSTER, settings: [{ name: 'containerInsights', value: 'enabled' }] }));
    const busy = 'trap "exit 0" TERM; while true; do i=0; while [ $i -lt 3000 ]; do i=$((i+1)); done; sleep 0.2; done';
    const td = await registerEc2(f.ecs, 'busy-remote', sleeper(f.image, { command: ['sh', '-c', busy] }));
    await f.ecs.send(new CreateServiceCommand({ cluster: CLUSTER, serviceName: 'web', taskDefinition: td.taskDefinitionArn!, desiredCount: 2, launchType: 'EC2', networkConfiguration: NETWORK }));
    await until('two running tasks', async () => (await allTasks(f.ecs, CLUSTER, 'web')).filter((t) => t.lastStatus === 'RUNNING').length === 2, 90_000);

    const dims = [{ Name: 'ClusterName', Value: CLUSTER }, { Name: 'ServiceName', Value: 'web' }];
    const stat = (id: string, namespace: string, metric: string, dimensions: Array<{ Name: string; Value: string }>) => ({
      Id: id,
      MetricStat: { Metric: { Namespace: namespace, MetricName: metric, Dimensions: dimensions }, Period: 60, Stat: 'Maximum' },
    });
    const values = await until(
      'the service metrics',
      async () => {
        const out = await cw.send(
          new GetMetricDataCommand({
            StartTime: new Date(Date.now() - 600_000),
            EndTime: new Date(Date.now() + 60_000),
            MetricDataQueries: [
              stat('cpu', 'AWS/ECS', 'CPUUtilization', dims),
              stat('mem', 'AWS/ECS', 'MemoryUtilization', dims),
              stat('tasks', 'ECS/ContainerInsights', 'CpuUtilized', [{ Name: 'ClusterName', Value: CLUSTER }, { Name: 'TaskDefinitionFamily', Value: 'busy-remote' }]),
            ],
          }),
        );
        const byId = new Map((out.MetricDataResults ?? []).map((r) => [r.Id, r.Values ?? []]));
        const all = ['cpu', 'mem', 'tasks'].map((id) => byId.get(id) ?? []);
        return all.every((v) => v.length > 0) && all;
      },
      60_000,
      1_000,
    );
    const [cpu, mem, cpuUtilized] = values as [number[], number[], number[]];
    // The busy loop keeps a core partly busy: well above nothing, and (with 128 units reserved) a percentage ECS reports above 100 too.
    expect(Math.max(...cpu)).toBeGreaterThan(1);
    expect(Math.max(...mem)).toBeGreaterThan(0);
    expect(Math.max(...cpuUtilized)).toBeGreaterThan(1);

    // The agent wrote the tasks' performance events to the cluster's Container Insights group.
    const group = `/aws/ecs/containerinsights/${CLUSTER}/performance`;
    const taskEvent = await until(
      'a Task performance event',
      async () => {
        const streams = await logs.send(new DescribeLogStreamsCommand({ logGroupName: group })).catch(() => ({ logStreams: [] }));
        for (const s of streams.logStreams ?? []) {
          const events = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: s.logStreamName!, startFromHead: true }));
          const found = (events.events ?? []).map((e) => JSON.parse(e.message!) as Record<string, unknown>).find((e) => e.Type === 'Task');
          if (found) return found;
        }
        return undefined;
      },
      30_000,
      1_000,
    );
    expect(taskEvent).toMatchObject({ ClusterName: CLUSTER, TaskDefinitionFamily: 'busy-remote' });
    expect(taskEvent.ContainerInstanceId).toEqual(expect.any(String));
  });
});
