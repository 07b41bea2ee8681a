import type { ContainerDefinition } from '@aws-sdk/client-ecs';
import type { TaskLaunchSpec } from '../../agent-contract/task-contract.js';
import type { RunnerImage, RunnerNetwork, RuntimeStats } from './ports.js';

/** What the metadata documents are made from: a live view of one task run. */
export interface TaskView {
  spec: TaskLaunchSpec;
  network: RunnerNetwork | undefined;
  status: string;
  timestamps: { pullStartedAt?: number; pullStoppedAt?: number; startedAt?: number };
  containers: ReadonlyMap<string, ContainerView>;
}

/** One container as the documents need it. */
export interface ContainerView {
  def: ContainerDefinition;
  runtimeId: string;
  status: string;
  image?: RunnerImage;
  health?: string;
  exitCode?: number;
  startedAt?: number;
}

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

/** ECS's container document of the task metadata endpoint v4 (`${ECS_CONTAINER_METADATA_URI_V4}`). */
export function containerMetadata(task: TaskView, c: ContainerView) {
  const { spec, network } = task;
  const prefix = network?.subnetCidr.split('/')[1] ?? '24';
  return {
    DockerId: c.runtimeId,
    Name: c.def.name,
    DockerName: `ecs-${spec.family}-${spec.revision}-${c.def.name}-${c.runtimeId.slice(0, 20)}`,
    Image: c.def.image,
    ImageID: c.image?.manifestDigest,
    Labels: {
      'com.amazonaws.ecs.cluster': spec.clusterArn,
      'com.amazonaws.ecs.container-name': c.def.name,
      'com.amazonaws.ecs.task-arn': spec.taskArn,
      'com.amazonaws.ecs.task-definition-family': spec.family,
      'com.amazonaws.ecs.task-definition-version': String(spec.revision),
      ...(c.def.dockerLabels ?? {}),
    },
    DesiredStatus: 'RUNNING',
    // ECS's container states: a container being started is CREATED to ECS.
    KnownStatus: c.status === 'STARTING' ? 'CREATED' : c.status,
    ...(c.exitCode !== undefined && { ExitCode: c.exitCode }),
    Limits: { CPU: c.def.cpu ?? 0, ...(c.def.memory !== undefined && { Memory: c.def.memory }) },
    CreatedAt: iso(spec.createdAt),
    StartedAt: iso(c.startedAt),
    Type: 'NORMAL',
    ContainerARN: spec.containerArns[c.def.name!],
    ...(c.def.logConfiguration && { LogDriver: c.def.logConfiguration.logDriver, LogOptions: c.def.logConfiguration.options ?? {} }),
    ...(c.health && { Health: { status: c.health } }),
    Networks: network
      ? [
          {
            NetworkMode: spec.networkMode,
            IPv4Addresses: [network.ipv4Address],
            AttachmentIndex: 0,
            MACAddress: network.macAddress,
            IPv4SubnetCIDRBlock: network.subnetCidr,
            PrivateDNSName: network.privateDnsName,
            SubnetGatewayIpv4Address: `${network.gateway}/${prefix}`,
          },
        ]
      : [],
  };
}

/** ECS's task document of the task metadata endpoint v4 (`${ECS_CONTAINER_METADATA_URI_V4}/task`). */
export function taskMetadata(task: TaskView) {
  const { spec } = task;
  return {
    Cluster: spec.clusterArn,
    TaskARN: spec.taskArn,
    Family: spec.family,
    Revision: String(spec.revision),
    DesiredStatus: 'RUNNING',
    KnownStatus: task.status,
    Limits: {
      ...(spec.cpu !== undefined && { CPU: spec.cpu / 1024 }),
      ...(spec.memory !== undefined && { Memory: spec.memory }),
    },
    PullStartedAt: iso(task.timestamps.pullStartedAt),
    PullStoppedAt: iso(task.timestamps.pullStoppedAt),
    AvailabilityZone: spec.availabilityZone,
    LaunchType: spec.launchType,
    Containers: [...task.containers.values()].map((c) => containerMetadata(task, c)),
    ClockDrift: { ClockErrorBound: 0.5, ReferenceTimestamp: new Date().toISOString(), ClockSynchronizationStatus: 'SYNCHRONIZED' },
  };
}

/**
 * Docker's stats document, as the metadata endpoint's `/stats` serves it: the current sample and
 * the previous one (`precpu_stats`) so that callers can compute cpu percentages.
 */
export function dockerStats(name: string, id: string, now: RuntimeStats | undefined, before: RuntimeStats | undefined) {
  const cpu = (s: RuntimeStats | undefined) =>
    s
      ? {
          cpu_usage: { total_usage: s.cpuUsageNs, percpu_usage: s.cpuPerCpuNs, usage_in_kernelmode: 0, usage_in_usermode: 0 },
          system_cpu_usage: s.systemCpuUsageNs,
          online_cpus: s.onlineCpus,
          throttling_data: { periods: 0, throttled_periods: 0, throttled_time: 0 },
        }
      : { cpu_usage: { total_usage: 0 }, throttling_data: { periods: 0, throttled_periods: 0, throttled_time: 0 } };
  if (!now) return null;
  return {
    read: now.readAt.toISOString(),
    preread: before ? before.readAt.toISOString() : '0001-01-01T00:00:00Z',
    name,
    id,
    pids_stats: { current: now.pids },
    memory_stats: { usage: now.memoryUsageBytes, max_usage: now.memoryMaxUsageBytes, limit: now.memoryLimitBytes, stats: now.memoryStat },
    cpu_stats: cpu(now),
    precpu_stats: cpu(before),
  };
}
