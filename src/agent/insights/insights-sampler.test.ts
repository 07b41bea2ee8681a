import type { ContainerDefinition } from '@aws-sdk/client-ecs';
import { describe, expect, it, vi } from 'vitest';
import type { TaskLaunchSpec } from '../../agent-contract/task-contract.js';
import { newService } from '../../logstore/service.fixtures.js';
import { runtimeIdOf } from '../task/container-spec.js';
import type { LogSink } from '../../agent-contract/ports.js';
import type { ContainerSample } from './container-samples.js';
import { InsightsSampler, useBetween, type TaskUsage } from './insights-sampler.js';

const MIB = 1024 * 1024;

function spec(taskId: string, cluster: string, containers: ContainerDefinition[], extra: Partial<TaskLaunchSpec> = {}): TaskLaunchSpec {
  return {
    taskArn: `arn:aws:ecs:us-east-1:000000000000:task/${cluster}/${taskId}`,
    taskId,
    clusterArn: `arn:aws:ecs:us-east-1:000000000000:cluster/${cluster}`,
    region: 'us-east-1',
    accountId: '000000000000',
    taskDefinitionArn: 'arn:aws:ecs:us-east-1:000000000000:task-definition/web:3',
    family: 'web',
    revision: 3,
    launchType: 'FARGATE',
    availabilityZone: 'us-east-1a',
    cpu: 1024,
    memory: 2048,
    networkMode: 'awsvpc',
    containerDefinitions: containers,
    containerArns: {},
    overrides: {},
    volumes: [],
    createdAt: 1_700_000_000_000,
    ...extra,
  };
}

const net = (rx: number, tx: number) => ({ rxBytes: rx, rxPackets: rx / 100, rxErrors: 0, rxDropped: 0, txBytes: tx, txPackets: tx / 100, txErrors: 0, txDropped: 0 });

/**
 * A scripted host: each container uses `cpus` cpus and `mib` MiB, and its namespace receives
 * 1000 bytes per second; readings advance with the test clock.
 */
function fakeHost(usage: Record<string, { cpus: number; mib: number }>) {
  let now = Date.now() - 60_000;
  const read = async (id: string): Promise<ContainerSample | undefined> => {
    const u = usage[id];
    if (!u) return undefined;
    const seconds = now / 1000;
    return { readAt: now, cpuUsageNs: u.cpus * seconds * 1e9, memoryBytes: u.mib * MIB, storage: { readBytes: 4096, writeBytes: 8192 }, network: net(seconds * 1000, seconds * 500) };
  };
  return { read, clock: () => now, advance: (ms: number) => (now += ms) };
}

function setup(tasks: TaskLaunchSpec[], usage: Record<string, { cpus: number; mib: number }>, enabledClusters: string[], measured?: TaskUsage[][]) {
  const { logs } = newService();
  const host = fakeHost(usage);
  /** Each usage call's reading time and the previous reading's. */
  const readings: Array<[number, number | undefined]> = [];
  const sink: LogSink = async (target, events) => {
    await logs.appendEvents({ accountId: '000000000000', region: target.region, principalArn: 'arn:aws:iam::000000000000:root', now: new Date(host.clock()) }, target.group, target.stream, events, { createGroup: target.createGroup });
  };
  const sampler = new InsightsSampler({
    tasks: () => tasks,
    read: host.read,
    insightsEnabled: async (_region, arn) => enabledClusters.includes(arn.split('/').pop()!),
    sink,
    hostId: 'host1',
    clock: host.clock,
    ...(measured && {
      usage: async (tasks: readonly TaskUsage[], timestamp: number, since: number | undefined) => {
        readings.push([timestamp, since]);
        measured.push([...tasks]);
      },
    }),
  });
  const read = async (group: string, pattern?: string) =>
    (await logs.filterEvents({ accountId: '000000000000', region: 'us-east-1', principalArn: 'x', now: new Date(host.clock()) }, { groupName: group, ...(pattern && { pattern }) })).events;
  return { sampler, host, read, logs, readings };
}

describe('InsightsSampler', () => {
  const app = { name: 'app', image: 'busybox', cpu: 512, memory: 1024 };
  const side = { name: 'side', image: 'envoy', memoryReservation: 128 };

  it('measures the use of every task, insights or not, for the AWS/ECS metrics', async () => {
    const measured: TaskUsage[][] = [];
    const t1 = spec('t1', 'prod', [app, side], { cpu: undefined, memory: undefined });
    const { sampler, host, readings } = setup([t1], { [runtimeIdOf('t1', 'app')]: { cpus: 0.5, mib: 300 }, [runtimeIdOf('t1', 'side')]: { cpus: 0.25, mib: 50 } }, [], measured);
    const first = host.clock();
    await sampler.sample();
    expect(measured).toEqual([]);
    host.advance(10_000);
    expect(await sampler.sample()).toBe(0);
    // The use is told with the interval it was measured over: from the first reading to the second.
    expect(readings).toEqual([[first + 10_000, first]]);
    // The scripted namespace receives 1000 bytes/s and sends 500; each container read 4 KiB and wrote 8 KiB.
    expect(measured).toEqual([
      [
        {
          taskArn: t1.taskArn, clusterArn: t1.clusterArn, region: 'us-east-1', cpuUnits: 768, memoryMiB: 350, cpuReserved: 512, memoryReserved: 1152,
          family: 'web', insights: false, networkRxBytesPerSecond: 1000, networkTxBytesPerSecond: 500, storageReadBytes: 8192, storageWriteBytes: 16384,
        },
      ],
    ]);
  });

  it('tells which tasks are in clusters with Container Insights, and leaves out a host-mode task’s network (the host’s counters)', async () => {
    const measured: TaskUsage[][] = [];
    const t1 = { ...spec('t1', 'prod', [app]), networkMode: 'host' };
    const t2 = spec('t2', 'dev', [app]);
    const { sampler, host } = setup([t1, t2], { [runtimeIdOf('t1', 'app')]: { cpus: 0.5, mib: 30 }, [runtimeIdOf('t2', 'app')]: { cpus: 0.5, mib: 30 } }, ['prod'], measured);
    await sampler.sample();
    host.advance(10_000);
    await sampler.sample();
    const [one, two] = measured[0]!;
    expect(one).toMatchObject({ insights: true, storageReadBytes: 4096 });
    expect(one!.networkRxBytesPerSecond).toBeUndefined();
    expect(two).toMatchObject({ insights: false, networkRxBytesPerSecond: 1000 });
  });

  it('writes Task and Container events of insight-enabled clusters to their performance group', async () => {
    const t1 = spec('t1', 'prod', [app, side]);
    const t2 = spec('t2', 'dev', [app]);
    const { sampler, host, read } = setup([t1, t2], { [runtimeIdOf('t1', 'app')]: { cpus: 0.5, mib: 300 }, [runtimeIdOf('t1', 'side')]: { cpus: 0.25, mib: 50 }, [runtimeIdOf('t2', 'app')]: { cpus: 1, mib: 1 } }, ['prod']);
    // The first reading only sets the baseline.
    expect(await sampler.sample()).toBe(0);
    host.advance(10_000);
    expect(await sampler.sample()).toBe(3);
    const events = await read('/aws/ecs/containerinsights/prod/performance');
    expect(events.every((e) => e.streamName === 'FargateTelemetry-host1')).toBe(true);
    const task = JSON.parse((await read('/aws/ecs/containerinsights/prod/performance', '{ $.Type = "Task" }'))[0]!.message) as Record<string, unknown>;
    expect(task).toMatchObject({
      Version: '0',
      Type: 'Task',
      TaskId: 't1',
      TaskDefinitionFamily: 'web',
      TaskDefinitionRevision: '3',
      ClusterName: 'prod',
      AccountID: '000000000000',
      Region: 'us-east-1',
      LaunchType: 'FARGATE',
      KnownStatus: 'RUNNING',
      Timestamp: host.clock(),
      CpuUtilized: 768,
      CpuReserved: 1024,
      MemoryUtilized: 350,
      MemoryReserved: 2048,
      StorageReadBytes: 8192,
      StorageWriteBytes: 16384,
      NetworkRxBytes: 1000,
      NetworkTxBytes: 500,
    });
    expect(task.CloudWatchMetrics).toEqual([expect.objectContaining({ Namespace: 'ECS/ContainerInsights', Dimensions: [['ClusterName'], ['ClusterName', 'TaskDefinitionFamily']] })]);
    const containers = (await read('/aws/ecs/containerinsights/prod/performance', '{ $.Type = "Container" }')).map((e) => JSON.parse(e.message) as Record<string, unknown>);
    expect(containers.map((c) => [c.ContainerName, c.CpuUtilized, c.CpuReserved, c.MemoryUtilized, c.MemoryReserved, c.Image])).toEqual([
      ['app', 512, 512, 300, 1024, 'busybox'],
      ['side', 256, 0, 50, 128, 'envoy'],
    ]);
    // The dev cluster has Container Insights off: no group was made for it.
    await expect(read('/aws/ecs/containerinsights/dev/performance')).rejects.toThrow(/does not exist/);
  });

  it('names the stream after the container instance when the task runs on one', async () => {
    const t = spec('t3', 'prod', [app], { containerInstanceArn: 'arn:aws:ecs:us-east-1:000000000000:container-instance/prod/abc123', launchType: 'EC2' });
    const { sampler, host, read } = setup([t], { [runtimeIdOf('t3', 'app')]: { cpus: 0.1, mib: 10 } }, ['prod']);
    await sampler.sample();
    host.advance(1000);
    await sampler.sample();
    const [event] = await read('/aws/ecs/containerinsights/prod/performance');
    expect(event!.streamName).toBe('AgentTelemetry-abc123');
    expect(JSON.parse(event!.message)).toMatchObject({ ContainerInstanceId: 'abc123', LaunchType: 'EC2' });
  });

  it('skips stopped containers and forgets their baseline', async () => {
    const usage: Record<string, { cpus: number; mib: number }> = { [runtimeIdOf('t4', 'app')]: { cpus: 0.5, mib: 10 } };
    const { sampler, host } = setup([spec('t4', 'prod', [app])], usage, ['prod']);
    await sampler.sample();
    host.advance(1000);
    expect(await sampler.sample()).toBe(2);
    const saved = usage[runtimeIdOf('t4', 'app')]!;
    delete usage[runtimeIdOf('t4', 'app')];
    host.advance(1000);
    expect(await sampler.sample()).toBe(0);
    usage[runtimeIdOf('t4', 'app')] = saved;
    host.advance(1000);
    expect(await sampler.sample()).toBe(0);
  });

  it('samples on its interval until stopped', async () => {
    const { sampler } = setup([spec('t5', 'prod', [app])], { [runtimeIdOf('t5', 'app')]: { cpus: 0.5, mib: 10 } }, ['prod']);
    let calls = 0;
    const original = sampler.sample.bind(sampler);
    sampler.sample = async () => {
      calls++;
      return original();
    };
    const stop = sampler.start(20, (err) => {
      throw err;
    });
    await new Promise((r) => setTimeout(r, 150));
    await stop();
    const after = calls;
    expect(after).toBeGreaterThanOrEqual(2);
    await new Promise((r) => setTimeout(r, 60));
    expect(calls).toBe(after);
  });

  it('reads at the marks of the wall clock: once a minute, at each minute’s end', async () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 11, 6, 18, 0, 17) });
    try {
      const { sampler } = setup([], {}, []);
      const at: number[] = [];
      sampler.sample = async () => {
        at.push(Date.now());
        return 0;
      };
      const stop = sampler.start(60_000, (err) => {
        throw err;
      });
      await vi.advanceTimersByTimeAsync(42_999);
      expect(at).toEqual([]);
      await vi.advanceTimersByTimeAsync(60_001);
      expect(at).toEqual([Date.UTC(2026, 11, 6, 18, 1), Date.UTC(2026, 11, 6, 18, 2)]);
      await stop();
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('useBetween', () => {
  it('turns two readings into CPU units and per-second network rates', async () => {
    const a: ContainerSample = { readAt: 0, cpuUsageNs: 0, memoryBytes: 0, network: net(0, 0) };
    const b: ContainerSample = { readAt: 2000, cpuUsageNs: 1e9, memoryBytes: 64 * MIB, network: net(4000, 2000) };
    expect(useBetween(a, b)).toMatchObject({ cpuUnits: 512, memoryMiB: 64, network: { rxBytes: 2000, txBytes: 1000 } });
    expect(useBetween(b, b)).toBeUndefined();
  });
});
