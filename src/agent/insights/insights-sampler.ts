/**
 * Container Insights on this host: every period, for each running task of a cluster whose
 * `containerInsights` setting is `enabled` or `enhanced`, reads its containers' counters and
 * writes one Task and one Container performance event per container to the cluster's
 * performance log group. Use over a period is the difference of two readings, so a container's
 * first reading only sets its baseline.
 */
import type { TaskLaunchSpec } from '../../agent-contract/task-contract.js';
import { runtimeIdOf } from '../task/container-spec.js';
import type { LogSink } from '../../agent-contract/ports.js';
import type { TaskUsage } from '../../agent-contract/task-usage.js';
import type { ContainerSample, ContainerSampleReader } from './container-samples.js';
import {
  containerPerformanceEvent,
  performanceLogGroup,
  performanceLogStream,
  taskPerformanceEvent,
  type MeasuredUse,
  type NetworkRates,
  type TaskIdentity,
} from './performance-events.js';

/** What the sampler needs of the host and the control plane. */
export interface InsightsSamplerDeps {
  /** The tasks this host runs now. */
  tasks(): readonly TaskLaunchSpec[];
  read: ContainerSampleReader;
  /** Whether the cluster's containerInsights setting is `enabled` or `enhanced`. */
  insightsEnabled(region: string, clusterArn: string): Promise<boolean>;
  sink: LogSink;
  /**
   * Given the use of every task measured in a reading, whatever its cluster's setting (the
   * AWS/ECS service metrics are published for all clusters); called once per reading, with the
   * reading's time and the previous reading's, where the use was measured from.
   */
  usage?: (tasks: readonly TaskUsage[], timestamp: number, since: number | undefined) => Promise<void>;
  /** Names the stream of tasks that run on no container instance (FargateTelemetry-<hostId>). */
  hostId: string;
  clock?: () => number;
}

export type { TaskUsage };

const MIB = 1024 * 1024;
const NET_KEYS = ['rxBytes', 'rxPackets', 'rxErrors', 'rxDropped', 'txBytes', 'txPackets', 'txErrors', 'txDropped'] as const;
const noNetwork = (): NetworkRates => ({ rxBytes: 0, rxPackets: 0, rxErrors: 0, rxDropped: 0, txBytes: 0, txPackets: 0, txErrors: 0, txDropped: 0 });

/** Use over the period between two readings of one container. */
export function useBetween(before: ContainerSample, now: ContainerSample): MeasuredUse | undefined {
  const ms = now.readAt - before.readAt;
  if (!(ms > 0)) return undefined;
  const rates = noNetwork();
  if (now.network && before.network) {
    for (const k of NET_KEYS) rates[k] = Math.max(0, ((now.network[k] - before.network[k]) * 1000) / ms);
  }
  return {
    // cpu ns over wall ns is cpus in use; ECS reports CPU units, 1024 per vCPU.
    cpuUnits: (Math.max(0, now.cpuUsageNs - before.cpuUsageNs) / (ms * 1e6)) * 1024,
    memoryMiB: now.memoryBytes / MIB,
    storageReadBytes: now.storage?.readBytes ?? 0,
    storageWriteBytes: now.storage?.writeBytes ?? 0,
    network: rates,
  };
}

function identity(spec: TaskLaunchSpec): TaskIdentity {
  return {
    taskId: spec.taskId,
    family: spec.family,
    revision: spec.revision,
    clusterName: spec.clusterArn.split('/').pop()!,
    accountId: spec.accountId,
    region: spec.region,
    availabilityZone: spec.availabilityZone,
    launchType: spec.launchType,
    knownStatus: 'RUNNING',
    createdAt: spec.createdAt,
    ...(spec.containerInstanceArn && { containerInstanceId: spec.containerInstanceArn.split('/').pop()! }),
  };
}

/** Samples running tasks and writes their performance events. */
export class InsightsSampler {
  private readonly previous = new Map<string, ContainerSample>();
  private readonly clock: () => number;
  private lastReadingAt: number | undefined;

  constructor(private readonly deps: InsightsSamplerDeps) {
    this.clock = deps.clock ?? Date.now;
  }

  /** Takes one reading of every task and writes the events; resolves with how many were written. */
  async sample(): Promise<number> {
    const timestamp = this.clock();
    const since = this.lastReadingAt;
    this.lastReadingAt = timestamp;
    const enabled = new Map<string, Promise<boolean>>();
    const seen = new Set<string>();
    const batches = new Map<string, { target: { region: string; group: string; stream: string }; messages: string[] }>();
    const usages: TaskUsage[] = [];
    for (const spec of this.deps.tasks()) {
      const key = `${spec.region} ${spec.clusterArn}`;
      if (!enabled.has(key)) enabled.set(key, this.deps.insightsEnabled(spec.region, spec.clusterArn).catch(() => false));
      const insights = await enabled.get(key);
      if (!insights && !this.deps.usage) continue;
      const { events, usage } = await this.taskEvents(spec, timestamp, seen, insights === true);
      if (usage) usages.push(usage);
      if (!insights || events.length === 0) continue;
      const task = identity(spec);
      const group = performanceLogGroup(task.clusterName);
      const stream = performanceLogStream(task.containerInstanceId, this.deps.hostId);
      const batchKey = `${spec.region} ${group} ${stream}`;
      const batch = batches.get(batchKey) ?? batches.set(batchKey, { target: { region: spec.region, group, stream }, messages: [] }).get(batchKey)!;
      batch.messages.push(...events.map((e) => JSON.stringify(e)));
    }
    // Readings of containers that are gone would make a wrong baseline if an id came back.
    for (const id of this.previous.keys()) if (!seen.has(id)) this.previous.delete(id);
    if (this.deps.usage && usages.length > 0) await this.deps.usage(usages, timestamp, since);
    let written = 0;
    for (const { target, messages } of batches.values()) {
      // Container Insights creates its log group itself.
      await this.deps.sink({ ...target, createGroup: true }, messages.map((message) => ({ timestamp, message })));
      written += messages.length;
    }
    return written;
  }

  private async taskEvents(spec: TaskLaunchSpec, timestamp: number, seen: Set<string>, insights: boolean): Promise<{ events: object[]; usage?: TaskUsage }> {
    const task = identity(spec);
    const containerEvents: object[] = [];
    const uses: MeasuredUse[] = [];
    let networkRead = false;
    let storageRead = false;
    for (const def of spec.containerDefinitions) {
      const id = runtimeIdOf(spec.taskId, def.name!);
      const now = await this.deps.read(id).catch(() => undefined);
      if (!now) continue;
      seen.add(id);
      const before = this.previous.get(id);
      this.previous.set(id, now);
      const use = before && useBetween(before, now);
      if (!use) continue;
      uses.push(use);
      if (uses.length === 1) networkRead = now.network !== undefined && before.network !== undefined;
      storageRead ||= now.storage !== undefined;
      containerEvents.push(
        containerPerformanceEvent(task, { name: def.name!, image: def.image ?? '', knownStatus: 'RUNNING' }, timestamp, use, {
          cpu: def.cpu ?? 0,
          memory: def.memory ?? def.memoryReservation ?? 0,
        }),
      );
    }
    if (uses.length === 0) return { events: [] };
    const sum = (f: (u: MeasuredUse) => number) => uses.reduce((s, u) => s + f(u), 0);
    const taskUse: MeasuredUse = {
      cpuUnits: sum((u) => u.cpuUnits),
      memoryMiB: sum((u) => u.memoryMiB),
      storageReadBytes: sum((u) => u.storageReadBytes),
      storageWriteBytes: sum((u) => u.storageWriteBytes),
      // The containers of a task share its network namespace: one container's counters are the task's.
      network: uses[0]!.network,
    };
    const reserved = {
      cpu: spec.cpu ?? spec.containerDefinitions.reduce((s, d) => s + (d.cpu ?? 0), 0),
      memory: spec.memory ?? spec.containerDefinitions.reduce((s, d) => s + (d.memory ?? d.memoryReservation ?? 0), 0),
    };
    const usage: TaskUsage = {
      taskArn: spec.taskArn,
      clusterArn: spec.clusterArn,
      region: spec.region,
      cpuUnits: taskUse.cpuUnits,
      memoryMiB: taskUse.memoryMiB,
      cpuReserved: reserved.cpu,
      memoryReserved: spec.memory ?? spec.containerDefinitions.reduce((s, d) => s + (d.memoryReservation ?? d.memory ?? 0), 0),
      family: spec.family,
      insights,
      ...(networkRead && spec.networkMode !== 'host' && { networkRxBytesPerSecond: taskUse.network.rxBytes, networkTxBytesPerSecond: taskUse.network.txBytes }),
      ...(storageRead && { storageReadBytes: taskUse.storageReadBytes, storageWriteBytes: taskUse.storageWriteBytes }),
    };
    return { events: [taskPerformanceEvent(task, timestamp, taskUse, reserved), ...containerEvents], usage };
  }

  /**
   * Samples at every multiple of `intervalMs` of the wall clock (one reading at a time, never
   * overlapping) until the returned function is called; that function resolves once a reading in
   * progress has finished. Once a minute, the readings fall on the minute's end: each measures one
   * whole minute, published as soon as it is over, as ECS publishes its one-minute datapoints.
   */
  start(intervalMs: number, onError: (err: unknown) => void): () => Promise<void> {
    let stopped = false;
    let running: Promise<void> = Promise.resolve();
    let timer: NodeJS.Timeout | undefined;
    const tick = () => {
      running = this.sample().then(
        () => undefined,
        (err: unknown) => onError(err),
      ).finally(() => {
        if (!stopped) schedule();
      });
    };
    const schedule = () => {
      // A timer may fire a little before its mark against Date.now(): that mark is then the one just
      // read, and the next is a whole interval away (two readings a moment apart would measure nothing).
      const toMark = intervalMs - (Date.now() % intervalMs);
      timer = setTimeout(tick, toMark < Math.min(50, intervalMs / 2) ? toMark + intervalMs : toMark);
      timer.unref();
    };
    schedule();
    return async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    };
  }
}
