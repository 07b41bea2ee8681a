import { randomBytes, randomUUID } from 'node:crypto';
import type { Failure, RunTaskRequest, StartTaskRequest, Tag } from '@aws-sdk/client-ecs';
import { formatArn, parseArn } from '../../lib/arn.js';
import { requestHash } from '../../lib/request-hash.js';
import { DomainError, ErrorKind, invalidParameter, invalidRequest } from '../../lib/errors.js';
import { decodeToken, encodeToken, type Page } from '../../lib/pagination.js';
import type { Scope } from '../../lib/scope.js';
import type { StopReason, TaskAgent, TaskLaunchSpec, TaskRecovery, TaskStateChange } from '../../agent-contract/task-contract.js';
import type { InstanceSnapshot, PlacementConstraintInput, PlacementStrategyInput } from '../../placement/types.js';
import type { Store, Transaction } from '../../store/store.js';
import { CLUSTER_MEMBERS } from '../clusters/activity.js';
import type { Clusters } from '../clusters/clusters.js';
import { checkTags, type TagStore } from '../tags.js';
import type { TaskDefinitionRecord } from '../task-definitions/task-definition.js';
import type { TaskDefinitions } from '../task-definitions/task-definitions.js';
import { checkRunTask } from './run-rules.js';
import { StopCode, TaskStatus, type TaskRecord } from './task.js';
import { mergeReport, recordedState } from './task-state.js';
import { hostPortsOf, launchGroups, NO_INSTANCES, placeOnInstances, type LaunchGroup, type PlacementPorts } from './placement.js';
import { taskSize, type TaskSize } from './task-size.js';

const TASKS = CLUSTER_MEMBERS.tasks;

/** How long a STOPPED task stays visible: ECS keeps them for at least an hour. */
export const STOPPED_TASK_RETENTION_MS = 60 * 60 * 1000;
const CLIENT_TOKENS = 'ecs-run-task-tokens';

/** What a clientToken remembers: the request it came with and the tasks it started. */
interface TokenRecord {
  requestHash: string;
  taskArns: string[];
}

/**
 * Set when the service scheduler launches a service's tasks: ECS then keeps running a task
 * definition deregistered since the deployment began, and tags the tasks with the service name.
 */
export interface ServiceLauncher {
  serviceName?: string;
  /** The service's tasks already running per capacity provider: the strategy's base and weights count them. */
  tasksByProvider?: Readonly<Record<string, number>>;
}

/** Filters of ListTasks. */
export interface ListTasksFilter {
  family?: string;
  startedBy?: string;
  serviceName?: string;
  desiredStatus?: 'RUNNING' | 'PENDING' | 'STOPPED';
  launchType?: string;
  containerInstance?: string;
  maxResults: number;
  nextToken?: string;
}

/** The one availability zone of the local host, per region. */
const zoneOf = (region: string) => `${region}a`;

/** ECS tasks: run, start, stop, describe, list; and the agent's reports, persisted. */
export class Tasks {
  constructor(
    private readonly store: Store,
    private readonly tags: TagStore,
    private readonly clusters: Clusters,
    private readonly taskDefinitions: TaskDefinitions,
    private readonly agent: TaskAgent,
    private readonly placement: PlacementPorts = NO_INSTANCES,
  ) {}

  /** RunTask: places `count` tasks on the local host; the ones that do not fit become failures. */
  async run(scope: Scope, input: RunTaskRequest, launcher: ServiceLauncher = {}): Promise<{ tasks: TaskRecord[]; failures: Failure[] }> {
    const cluster = await this.clusters.get(scope, input.cluster);
    const td = await this.taskDefinitions.describe(scope, input.taskDefinition ?? '').catch((err: unknown) => {
      if (err instanceof DomainError && err.kind === ErrorKind.InvalidArgument) throw invalidRequest('TaskDefinition not found.');
      throw err;
    });
    const groups = launchGroups(input, cluster.defaultCapacityProviderStrategy, launcher.tasksByProvider);
    checkRunTask(input, td, groups, cluster.capacityProviders, launcher.serviceName !== undefined);
    checkTags(input.tags ?? []);
    if (input.clientToken !== undefined && !/^[a-zA-Z0-9_-]{1,64}$/.test(input.clientToken)) {
      throw invalidParameter('clientToken must be up to 64 letters, numbers, hyphens and underscores.');
    }
    const { clientToken, ...request } = input;
    const hash = requestHash({ ...request, cluster: cluster.clusterArn });

    const created = await this.store.transaction(async (tx) => {
      if (clientToken !== undefined) {
        const previous = await tx.collection<TokenRecord>(CLIENT_TOKENS).get(`${scope.region}/${clientToken}`);
        if (previous) {
          if (previous.requestHash !== hash) {
            throw new DomainError(ErrorKind.Conflict, 'The specified client token has already been used with different parameters.', undefined, {
              resourceIds: previous.taskArns,
            });
          }
          const tasks: TaskRecord[] = [];
          for (const arn of previous.taskArns) {
            const t = await tx.collection<TaskRecord>(TASKS).get(`${cluster.clusterArn}/${arn.split('/').pop()}`);
            if (t) tasks.push(t);
          }
          return { tasks, failures: [] as Failure[], fresh: false };
        }
      }
      const size = taskSize(td, input.overrides ?? {});
      const tasks: TaskRecord[] = [];
      const failures: Failure[] = [];
      for (const group of groups) {
        const placed =
          group.launchType === 'EC2'
            ? await placeOnInstances(this.placement, scope, cluster.clusterArn, group, {
                size,
                hostPorts: hostPortsOf(td),
                taskGroup: input.group ?? `family:${td.family}`,
                // ECS applies the task definition's constraints together with the request's.
                constraints: [...(td.placementConstraints ?? []), ...(input.placementConstraints ?? [])] as PlacementConstraintInput[],
                strategy: (input.placementStrategy ?? []) as PlacementStrategyInput[],
              })
            : undefined;
        const hosts = placed?.onInstances
          ? placed.placements
          : await this.fitOnControlHost(tx, size, group.count, failures);
        if (placed) failures.push(...placed.failures);
        for (const instance of hosts) {
          const task = this.newTask(scope, cluster, td, input, group, size, instance);
          await tx.collection<TaskRecord>(TASKS).put(`${cluster.clusterArn}/${task.taskId}`, task);
          await this.tags.set(tx, task.taskArn, await this.taskTags(input, td, cluster.clusterName, launcher.serviceName));
          tasks.push(task);
        }
      }
      if (clientToken !== undefined) {
        await tx.collection<TokenRecord>(CLIENT_TOKENS).put(`${scope.region}/${clientToken}`, {
          requestHash: hash,
          taskArns: tasks.map((t) => t.taskArn),
        });
      }
      return { tasks, failures, fresh: true };
    });
    if (created.fresh) for (const task of created.tasks) this.agent.launch(this.launchSpec(scope, task, td));
    return { tasks: created.tasks, failures: created.failures };
  }

  /**
   * StartTask: runs the task on the container instances named, one task each, without the
   * scheduler. Instances that are not registered in the cluster are MISSING.
   */
  async start(scope: Scope, input: StartTaskRequest, launcher: ServiceLauncher = {}): Promise<{ tasks: TaskRecord[]; failures: Failure[] }> {
    const cluster = await this.clusters.get(scope, input.cluster);
    const refs = input.containerInstances ?? [];
    if (refs.length < 1 || refs.length > 10) {
      throw invalidParameter('containerInstances must contain between 1 and 10 elements.');
    }
    const td = await this.taskDefinitions.describe(scope, input.taskDefinition ?? '').catch((err: unknown) => {
      if (err instanceof DomainError && err.kind === ErrorKind.InvalidArgument) throw invalidRequest('TaskDefinition not found.');
      throw err;
    });
    const request: RunTaskRequest = { ...input, launchType: 'EC2', count: 1 };
    const group: LaunchGroup = { launchType: 'EC2', count: 1 };
    checkRunTask(request, td, [group], cluster.capacityProviders, launcher.serviceName !== undefined);
    checkTags(input.tags ?? []);
    const size = taskSize(td, input.overrides ?? {});
    const hostPorts = hostPortsOf(td);
    const created = await this.store.transaction(async (tx) => {
      // Copies, charged with each task placed, so that naming an instance twice cannot overcommit it.
      const instances = (await this.placement.instances(cluster.clusterArn)).map((i) => ({ ...i, remaining: { ...i.remaining }, usedPorts: [...i.usedPorts] }));
      const tasks: TaskRecord[] = [];
      const failures: Failure[] = [];
      for (const ref of refs) {
        const instance = instances.find((i) => i.containerInstanceArn === ref || i.containerInstanceArn.endsWith(`/${ref}`));
        const reason = !instance
          ? 'MISSING'
          : !instance.agentConnected
            ? 'AGENT'
            : instance.remaining.memory < size.memory
              ? 'RESOURCE:MEMORY'
              : instance.remaining.cpu < size.cpu
                ? 'RESOURCE:CPU'
                : hostPorts.some((p) => instance.usedPorts.includes(p))
                  ? 'RESOURCE:PORTS'
                  : undefined;
        if (reason || !instance) {
          failures.push({ arn: instance?.containerInstanceArn ?? ref, reason: reason ?? 'MISSING' });
          continue;
        }
        instance.remaining.cpu -= size.cpu;
        instance.remaining.memory -= size.memory;
        instance.usedPorts.push(...hostPorts);
        const task = this.newTask(scope, cluster, td, request, group, size, instance);
        await tx.collection<TaskRecord>(TASKS).put(`${cluster.clusterArn}/${task.taskId}`, task);
        await this.tags.set(tx, task.taskArn, await this.taskTags(request, td, cluster.clusterName, launcher.serviceName));
        tasks.push(task);
      }
      return { tasks, failures };
    });
    for (const task of created.tasks) this.agent.launch(this.launchSpec(scope, task, td));
    return created;
  }

  /**
   * StopTask: asks the agent to stop the task; a stopped task is returned as it is. The service
   * scheduler and spot interruptions pass their own stop code.
   */
  async stop(scope: Scope, clusterRef: string | undefined, taskRef: string, reason?: string, stopCode: StopCode = StopCode.UserInitiated): Promise<TaskRecord> {
    const key = await this.keyOf(scope, clusterRef, taskRef);
    const stopReason: StopReason = {
      stopCode,
      stoppedReason: reason && reason.length > 0 ? reason : 'Task stopped by user',
    };
    const task = await this.store.transaction(async (tx) => {
      const c = tx.collection<TaskRecord>(TASKS);
      const current = await c.get(key);
      if (!current) throw invalidParameter('The referenced task was not found.');
      if (current.desiredStatus === 'STOPPED') return current;
      const next: TaskRecord = {
        ...current,
        desiredStatus: 'STOPPED',
        stopCode: current.stopCode ?? (stopReason.stopCode as TaskRecord['stopCode']),
        stoppedReason: current.stoppedReason ?? stopReason.stoppedReason,
        stoppingAt: current.stoppingAt ?? scope.now.getTime(),
        version: current.version + 1,
      };
      await c.put(key, next);
      return next;
    });
    if (task.lastStatus !== TaskStatus.Stopped) this.agent.stop(task.taskArn, stopReason, task.containerInstanceArn);
    return task;
  }

  /** DescribeTasks: the tasks found, and MISSING failures for the rest. */
  async describe(scope: Scope, clusterRef: string | undefined, refs: readonly string[]): Promise<{ found: TaskRecord[]; failures: Failure[] }> {
    if (refs.length > 100) throw invalidParameter('Tasks cannot contain more than 100 elements.');
    const cluster = await this.clusters.get(scope, clusterRef);
    const found: TaskRecord[] = [];
    const failures: Failure[] = [];
    for (const ref of refs) {
      const id = this.taskIdFrom(scope, cluster.clusterName, ref);
      const task = id && (await this.store.collection<TaskRecord>(TASKS).get(`${cluster.clusterArn}/${id}`));
      if (task) found.push(task);
      else failures.push({ arn: ref.startsWith('arn:') ? ref : formatArn('ecs', scope.region, scope.accountId, `task/${cluster.clusterName}/${ref}`), reason: 'MISSING' });
    }
    return { found, failures };
  }

  /** ListTasks: task ARNs of a cluster, filtered as ECS filters them, a page at a time. */
  async list(scope: Scope, clusterRef: string | undefined, filter: ListTasksFilter): Promise<Page<string>> {
    const cluster = await this.clusters.get(scope, clusterRef);
    if (filter.family !== undefined && filter.serviceName !== undefined) {
      throw invalidParameter('family and serviceName cannot be specified together.');
    }
    const desired = filter.desiredStatus ?? 'RUNNING';
    const rows = (await this.store.collection<TaskRecord>(TASKS).list({ prefix: `${cluster.clusterArn}/` })).filter(({ value: t }) => {
      if (desired === 'PENDING' ? t.lastStatus !== TaskStatus.Pending && t.lastStatus !== TaskStatus.Provisioning : t.desiredStatus !== desired) return false;
      if (filter.family !== undefined && !t.taskDefinitionArn.includes(`:task-definition/${filter.family}:`)) return false;
      if (filter.startedBy !== undefined && t.startedBy !== filter.startedBy) return false;
      if (filter.serviceName !== undefined && t.group !== `service:${filter.serviceName}`) return false;
      if (filter.launchType !== undefined && t.launchType !== filter.launchType) return false;
      if (filter.containerInstance !== undefined && !sameInstance(t.containerInstanceArn, filter.containerInstance)) return false;
      return true;
    });
    const after = decodeToken('tasks', filter.nextToken);
    const start = after === undefined ? 0 : rows.findIndex((r) => r.key > after);
    const from = start < 0 ? rows.length : start;
    const page = rows.slice(from, from + filter.maxResults);
    const more = from + filter.maxResults < rows.length;
    return {
      items: page.map((r) => r.value.taskArn),
      ...(more && { nextToken: encodeToken('tasks', page[page.length - 1]!.key) }),
    };
  }

  /** Applies an agent's report: lifecycle only moves forward; containers merge by name. */
  async applyReport(taskArn: string, change: TaskStateChange): Promise<TaskRecord | undefined> {
    const arn = parseArn(taskArn);
    if (!arn) return undefined;
    const [, clusterName, taskId] = arn.resource.split('/');
    const key = `${formatArn('ecs', arn.region, arn.accountId, `cluster/${clusterName}`)}/${taskId}`;
    return this.store.transaction(async (tx) => {
      const c = tx.collection<TaskRecord>(TASKS);
      const current = await c.get(key);
      if (!current) return undefined;
      const next = mergeReport(current, change);
      await c.put(key, next);
      return next;
    });
  }

  /**
   * Forgets STOPPED tasks once they have been stopped for `retentionMs` (ECS shows a stopped task
   * for at least an hour, then DescribeTasks reports it MISSING). Returns how many were removed.
   */
  async expireStopped(now: Date, retentionMs = STOPPED_TASK_RETENTION_MS): Promise<number> {
    const old = (await this.store.collection<TaskRecord>(TASKS).list()).filter(
      ({ value: t }) => t.lastStatus === TaskStatus.Stopped && (t.stoppedAt ?? t.createdAt) + retentionMs <= now.getTime(),
    );
    await this.store.transaction(async (tx) => {
      for (const { key, value } of old) {
        await tx.collection<TaskRecord>(TASKS).delete(key);
        await this.tags.set(tx, value.taskArn, []);
      }
    });
    return old.length;
  }

  /** Every task not yet STOPPED, across clusters and regions (for reconciliation at start-up). */
  async unfinished(): Promise<TaskRecord[]> {
    return (await this.store.collection<TaskRecord>(TASKS).list()).map((e) => e.value).filter((t) => t.lastStatus !== TaskStatus.Stopped);
  }

  /**
   * What the control host's agent needs to take back its unfinished tasks after a restart: each
   * task's launch spec, its last recorded state, and the stop asked for, if any. A task whose
   * definition cannot be read any more cannot be run again: it is recorded STOPPED.
   */
  async recoveries(accountId: string, now: Date): Promise<TaskRecovery[]> {
    const out: TaskRecovery[] = [];
    for (const task of await this.unfinished()) {
      if (task.containerInstanceArn !== undefined) continue;
      const spec = await this.launchSpecOf(task, accountId);
      if (!spec) {
        const at = now.getTime();
        await this.applyReport(task.taskArn, { lastStatus: TaskStatus.Stopped, stopCode: StopCode.TaskFailedToStart, stoppedReason: 'Task stopped: its task definition was not found when the agent restarted', stoppingAt: at, stoppedAt: at });
        continue;
      }
      out.push({ spec, ...recordedState(task) });
    }
    return out;
  }

  /** The launch spec of a stored task (for re-adoption after a restart). */
  async launchSpecOf(task: TaskRecord, accountId: string): Promise<TaskLaunchSpec | undefined> {
    const scope: Scope = { accountId, region: task.region, principalArn: '', now: new Date() };
    const td = await this.taskDefinitions.describe(scope, task.taskDefinitionArn).catch(() => undefined);
    return td && this.launchSpec(scope, task, td);
  }

  /**
   * How many of `count` tasks of `size` fit on the control host beside its unfinished tasks; the
   * rest become RESOURCE failures. Returns one `undefined` host (the control host) per fitting task.
   */
  private async fitOnControlHost(tx: Transaction, size: TaskSize, count: number, failures: Failure[]): Promise<undefined[]> {
    const capacity = this.agent.capacity();
    const active = (await tx.collection<TaskRecord>(TASKS).list({ prefix: '' }))
      .map((e) => e.value)
      .filter((t) => t.lastStatus !== TaskStatus.Stopped && t.containerInstanceArn === undefined);
    let usedCpu = active.reduce((n, t) => n + Number(t.cpu ?? 0), 0);
    let usedMemory = active.reduce((n, t) => n + Number(t.memory ?? 0), 0);
    const fitting: undefined[] = [];
    for (let i = 0; i < count; i++) {
      if (usedMemory + size.memory > capacity.memory) failures.push({ reason: 'RESOURCE:MEMORY' });
      else if (usedCpu + size.cpu > capacity.cpu) failures.push({ reason: 'RESOURCE:CPU' });
      else {
        usedCpu += size.cpu;
        usedMemory += size.memory;
        fitting.push(undefined);
      }
    }
    return fitting;
  }

  private newTask(
    scope: Scope,
    cluster: { clusterArn: string; clusterName: string },
    td: TaskDefinitionRecord,
    input: RunTaskRequest,
    group: LaunchGroup,
    size: TaskSize,
    instance: InstanceSnapshot | undefined,
  ): TaskRecord {
    const { clusterArn, clusterName } = cluster;
    const taskId = randomBytes(16).toString('hex');
    const taskArn = formatArn('ecs', scope.region, scope.accountId, `task/${clusterName}/${taskId}`);
    const overrides = input.overrides ?? {};
    return {
      taskArn,
      taskId,
      clusterArn,
      taskDefinitionArn: td.taskDefinitionArn,
      region: scope.region,
      lastStatus: TaskStatus.Provisioning,
      desiredStatus: 'RUNNING',
      launchType: group.launchType,
      ...(group.capacityProviderName && { capacityProviderName: group.capacityProviderName }),
      ...(instance && { containerInstanceArn: instance.containerInstanceArn }),
      ...(instance && hostPortsOf(td).length > 0 && { hostPorts: hostPortsOf(td) }),
      ...(group.launchType === 'FARGATE' && { platformVersion: input.platformVersion ?? '1.4.0', platformFamily: 'Linux' }),
      cpu: String(size.cpu),
      memory: String(size.memory),
      containers: (td.containerDefinitions ?? []).map((c) => {
        const o = overrides.containerOverrides?.find((x) => x.name === c.name);
        const cpu = o?.cpu ?? c.cpu;
        const memory = o?.memory ?? c.memory;
        const reservation = o?.memoryReservation ?? c.memoryReservation;
        return {
          containerArn: formatArn('ecs', scope.region, scope.accountId, `container/${clusterName}/${taskId}/${randomUUID()}`),
          taskArn,
          name: c.name,
          image: c.image,
          lastStatus: 'PENDING',
          ...(cpu !== undefined && { cpu: String(cpu) }),
          ...(memory !== undefined && { memory: String(memory) }),
          ...(reservation !== undefined && { memoryReservation: String(reservation) }),
          networkBindings: [],
          networkInterfaces: [],
          ...(c.healthCheck && { healthStatus: 'UNKNOWN' }),
        };
      }),
      overrides: { containerOverrides: [], inferenceAcceleratorOverrides: [], ...overrides },
      attachments: [],
      availabilityZone: instance?.attributes['ecs.availability-zone'] ?? zoneOf(scope.region),
      ...(input.startedBy !== undefined && { startedBy: input.startedBy }),
      group: input.group ?? `family:${td.family}`,
      enableExecuteCommand: input.enableExecuteCommand ?? false,
      healthStatus: 'UNKNOWN',
      createdAt: scope.now.getTime(),
      ...(input.networkConfiguration && { networkConfiguration: input.networkConfiguration }),
      version: 1,
    };
  }

  private async taskTags(input: RunTaskRequest, td: TaskDefinitionRecord, clusterName: string, serviceName: string | undefined): Promise<Tag[]> {
    const tags: Tag[] = [...(input.tags ?? [])];
    if (input.propagateTags === 'TASK_DEFINITION') {
      for (const t of await this.tags.get(td.taskDefinitionArn)) if (!tags.some((x) => x.key === t.key)) tags.push(t);
    }
    // ECS-managed tags use the reserved prefix, which only ECS itself may write.
    if (input.enableECSManagedTags) {
      tags.push({ key: 'aws:ecs:clusterName', value: clusterName });
      if (serviceName !== undefined) tags.push({ key: 'aws:ecs:serviceName', value: serviceName });
    }
    return tags;
  }

  private launchSpec(scope: Scope, task: TaskRecord, td: TaskDefinitionRecord): TaskLaunchSpec {
    const size = taskSize(td, task.overrides);
    const vpc = (task.networkConfiguration as { awsvpcConfiguration?: { subnets?: string[] } } | undefined)?.awsvpcConfiguration;
    return {
      taskArn: task.taskArn,
      taskId: task.taskId,
      clusterArn: task.clusterArn,
      region: task.region,
      accountId: scope.accountId,
      taskDefinitionArn: td.taskDefinitionArn,
      family: td.family,
      revision: td.revision,
      launchType: task.launchType,
      availabilityZone: task.availabilityZone,
      ...(task.containerInstanceArn && { containerInstanceArn: task.containerInstanceArn }),
      ...(size.taskCpu !== undefined && { cpu: size.taskCpu }),
      ...(size.taskMemory !== undefined && { memory: size.taskMemory }),
      networkMode: td.networkMode ?? 'bridge',
      containerDefinitions: td.containerDefinitions ?? [],
      containerArns: Object.fromEntries(task.containers.map((c) => [c.name!, c.containerArn!])),
      overrides: task.overrides,
      volumes: td.volumes ?? [],
      ...(vpc?.subnets?.[0] && { subnetId: vpc.subnets[0] }),
      ...(td.pidMode && { pidMode: td.pidMode }),
      ...(td.ipcMode && { ipcMode: td.ipcMode }),
      createdAt: task.createdAt,
    };
  }

  private async keyOf(scope: Scope, clusterRef: string | undefined, taskRef: string): Promise<string> {
    const cluster = await this.clusters.get(scope, clusterRef);
    const id = this.taskIdFrom(scope, cluster.clusterName, taskRef);
    if (!id) throw invalidParameter('The referenced task was not found.');
    return `${cluster.clusterArn}/${id}`;
  }

  /** The task id a reference names in this cluster: a bare id, or a (long or short) task ARN. */
  private taskIdFrom(scope: Scope, clusterName: string, ref: string): string | undefined {
    const arn = parseArn(ref);
    if (!arn) return /^[a-f0-9]{32}$/.test(ref) ? ref : undefined;
    if (arn.service !== 'ecs' || arn.region !== scope.region || arn.accountId !== scope.accountId) return undefined;
    const parts = arn.resource.split('/');
    if (parts[0] !== 'task') return undefined;
    if (parts.length === 3 && parts[1] !== clusterName) return undefined;
    return parts[parts.length - 1];
  }
}

/** Whether a task's instance is the one a ListTasks filter names (by ARN or by id). */
function sameInstance(arn: string | undefined, ref: string): boolean {
  return arn !== undefined && (arn === ref || arn.endsWith(`/${ref}`));
}
