import type { Failure, RunTaskRequest, StartTaskRequest } from '@aws-sdk/client-ecs';
import { formatArn, parseArn } from '../../lib/arn.js';
import { requestHash } from '../../lib/request-hash.js';
import { DomainError, ErrorKind, invalidParameter, invalidRequest } from '../../lib/errors.js';
import type { Page } from '../../lib/pagination.js';
import type { Scope } from '../../lib/scope.js';
import type { StopReason, TaskAgent, TaskLaunchSpec, TaskRecovery, TaskStateChange } from '../../agent-contract/task-contract.js';
import { DEFAULT_FARGATE_CPU_OVERCOMMIT, plan, type PlanRequest } from '../../placement/plan.js';
import type { TaskShape } from '../../placement/types.js';
import type { Store, Transaction } from '../../store/store.js';
import { CLUSTER_MEMBERS } from '../clusters/activity.js';
import type { Clusters } from '../clusters/clusters.js';
import { checkTags, type TagStore } from '../tags.js';
import type { TaskDefinitionRecord } from '../task-definitions/task-definition.js';
import type { TaskDefinitions } from '../task-definitions/task-definitions.js';
import { applyPlan, type TaskOrigin } from './apply-plan.js';
import { launchSpec } from './launch-spec.js';
import { checkRunTask } from './run-rules.js';
import { CLOSED_FIREWALL, resolveAwsVpc, type TaskFirewallSource, type VpcLookup } from './vpc-lookup.js';
import { StopCode, TaskStatus, type TaskRecord, type TaskTraffic } from './task.js';
import { listPage, taskIdFrom, type ListTasksFilter } from './task-queries.js';
import { mergeReport, recordedState } from './task-state.js';
import { hostPortsOf, launchGroups, NO_INSTANCES, readPlanSnapshot, toFailure, type ControlHostPorts, type LaunchGroup, type PlacementPorts } from './placement.js';
import { taskSize } from './task-size.js';

export type { ListTasksFilter } from './task-queries.js';

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

/** Tasks options: how far the control host shares its CPU among Fargate tasks. */
export interface TasksOptions {
  /** See placement/plan.ts's DEFAULT_FARGATE_CPU_OVERCOMMIT. */
  fargateCpuOvercommit?: number;
  /** The EC2 networking an awsvpc configuration must name; without it subnets and groups are taken as given. */
  vpc?: VpcLookup;
  /**
   * The firewalls of the control host's awsvpc tasks; without it their groups are not enforced.
   * (A container instance's tasks get theirs from the agent protocol, see agent-gateway/.)
   */
  firewalls?: TaskFirewallSource;
}

/** The store key of a task ARN (`<clusterArn>/<taskId>`). */
function taskKeyOf(taskArn: string): string | undefined {
  const arn = parseArn(taskArn);
  if (!arn) return undefined;
  const [, clusterName, taskId] = arn.resource.split('/');
  return `${formatArn('ecs', arn.region, arn.accountId, `cluster/${clusterName}`)}/${taskId}`;
}

/** ECS tasks: run, start, stop, describe, list; and the agent's reports, persisted. */
export class Tasks {
  constructor(
    private readonly store: Store,
    private readonly tags: TagStore,
    private readonly clusters: Clusters,
    private readonly taskDefinitions: TaskDefinitions,
    private readonly agent: TaskAgent,
    private readonly placement: PlacementPorts = NO_INSTANCES,
    options: TasksOptions = {},
  ) {
    this.controlHost = { capacity: () => agent.capacity(), fargateCpuOvercommit: options.fargateCpuOvercommit ?? DEFAULT_FARGATE_CPU_OVERCOMMIT };
    this.vpc = options.vpc;
    this.firewalls = options.firewalls;
  }

  private readonly vpc: VpcLookup | undefined;
  private readonly firewalls: TaskFirewallSource | undefined;

  /** Tells the agent to run a recorded task. */
  private async launch(scope: Scope, task: TaskRecord, td: TaskDefinitionRecord): Promise<void> {
    this.agent.launch(await this.withFirewall(launchSpec(scope, task, td), task));
  }

  /**
   * The spec with the firewall of a task the control host runs in security groups: its network
   * is made with it. Groups that cannot be read let nothing in until the next reconcile.
   */
  private async withFirewall(spec: TaskLaunchSpec, task: TaskRecord): Promise<TaskLaunchSpec> {
    if (!this.firewalls || task.containerInstanceArn !== undefined || !task.securityGroupIds) return spec;
    const firewall = await this.firewalls.forTask(task).catch(() => CLOSED_FIREWALL);
    return firewall ? { ...spec, firewall } : spec;
  }

  /** The security groups of an awsvpc request, after checking that its subnets and groups exist (none to check without the port). */
  private async securityGroupsOf(scope: Scope, input: RunTaskRequest): Promise<string[] | undefined> {
    const vpc = input.networkConfiguration?.awsvpcConfiguration;
    if (!vpc || !this.vpc) return undefined;
    return (await resolveAwsVpc(this.vpc, scope, vpc)).securityGroups;
  }

  private readonly controlHost: ControlHostPorts;

  /** RunTask: plans `count` tasks over the cluster's snapshot and records the ones placed; the rest become failures. */
  async run(scope: Scope, input: RunTaskRequest, launcher: ServiceLauncher = {}): Promise<{ tasks: TaskRecord[]; failures: Failure[] }> {
    const cluster = await this.clusters.get(scope, input.cluster);
    const td = await this.definition(scope, input.taskDefinition);
    const groups = launchGroups(input, cluster.defaultCapacityProviderStrategy, launcher.tasksByProvider);
    const rules = checkRunTask(input, td, groups, cluster.capacityProviders, launcher.serviceName !== undefined);
    checkTags(input.tags ?? []);
    const securityGroupIds = await this.securityGroupsOf(scope, input);
    if (input.clientToken !== undefined && !/^[a-zA-Z0-9_-]{1,64}$/.test(input.clientToken)) {
      throw invalidParameter('clientToken must be up to 64 letters, numbers, hyphens and underscores.');
    }
    const { clientToken, ...request } = input;
    const hash = requestHash({ ...request, cluster: cluster.clusterArn });
    const origin = { ...this.origin(scope, cluster, td, input, launcher), ...(securityGroupIds && { securityGroupIds }) };

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
      const { tasks, failures } = await this.planAndApply(tx, origin, { groups, task: shapeOf(origin), rules });
      if (clientToken !== undefined) {
        await tx.collection<TokenRecord>(CLIENT_TOKENS).put(`${scope.region}/${clientToken}`, {
          requestHash: hash,
          taskArns: tasks.map((t) => t.taskArn),
        });
      }
      return { tasks, failures, fresh: true };
    });
    if (created.fresh) for (const task of created.tasks) await this.launch(scope, task, td);
    return { tasks: created.tasks, failures: created.failures };
  }

  /**
   * StartTask: one task on each container instance named, planned like RunTask's but without
   * constraints and strategy. Instances that are not registered in the cluster are MISSING.
   */
  async start(scope: Scope, input: StartTaskRequest, launcher: ServiceLauncher = {}): Promise<{ tasks: TaskRecord[]; failures: Failure[] }> {
    const cluster = await this.clusters.get(scope, input.cluster);
    const refs = input.containerInstances ?? [];
    if (refs.length < 1 || refs.length > 10) {
      throw invalidParameter('containerInstances must contain between 1 and 10 elements.');
    }
    const td = await this.definition(scope, input.taskDefinition);
    const request: RunTaskRequest = { ...input, launchType: 'EC2', count: 1 };
    const groups: LaunchGroup[] = [{ launchType: 'EC2', count: refs.length }];
    const rules = checkRunTask(request, td, groups, cluster.capacityProviders, launcher.serviceName !== undefined);
    checkTags(input.tags ?? []);
    const securityGroupIds = await this.securityGroupsOf(scope, request);
    const origin = { ...this.origin(scope, cluster, td, request, launcher), ...(securityGroupIds && { securityGroupIds }) };
    const created = await this.store.transaction((tx) => this.planAndApply(tx, origin, { groups, task: shapeOf(origin), rules, targets: refs }));
    for (const task of created.tasks) await this.launch(scope, task, td);
    return created;
  }

  /** The plan of one request over a snapshot read in `tx`, applied in `tx`. */
  private async planAndApply(tx: Transaction, origin: TaskOrigin, request: PlanRequest): Promise<{ tasks: TaskRecord[]; failures: Failure[] }> {
    const snapshot = await readPlanSnapshot(tx, this.placement, this.controlHost, origin.scope, origin.cluster.clusterArn, request);
    const decided = plan(snapshot, request, origin.scope.now, Math.random);
    const tasks = await applyPlan(tx, this.tags, origin, decided.placements);
    return { tasks, failures: decided.failures.map(toFailure) };
  }

  private origin(scope: Scope, cluster: { clusterArn: string; clusterName: string }, td: TaskDefinitionRecord, input: RunTaskRequest, launcher: ServiceLauncher): TaskOrigin {
    return {
      scope,
      cluster: { clusterArn: cluster.clusterArn, clusterName: cluster.clusterName },
      td,
      input,
      size: taskSize(td, input.overrides ?? {}),
      ...(launcher.serviceName !== undefined && { serviceName: launcher.serviceName }),
    };
  }

  /** The task definition a request names; one that does not exist is ECS's "TaskDefinition not found.". */
  private definition(scope: Scope, ref: string | undefined): Promise<TaskDefinitionRecord> {
    return this.taskDefinitions.describe(scope, ref ?? '').catch((err: unknown) => {
      if (err instanceof DomainError && err.kind === ErrorKind.InvalidArgument) throw invalidRequest('TaskDefinition not found.');
      throw err;
    });
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

  /**
   * Records a service task's traffic step (see TaskTraffic) before the scheduler takes it; with
   * `deactivate`, a RUNNING task becomes DEACTIVATING (its targets drain before the stop is sent).
   * Returns the task as stored, or undefined when it is gone.
   */
  async recordTraffic(taskArn: string, traffic: TaskTraffic, deactivate = false): Promise<TaskRecord | undefined> {
    const key = taskKeyOf(taskArn);
    if (!key) return undefined;
    return this.store.transaction(async (tx) => {
      const c = tx.collection<TaskRecord>(TASKS);
      const current = await c.get(key);
      if (!current) return undefined;
      const lastStatus = deactivate && current.lastStatus === TaskStatus.Running ? TaskStatus.Deactivating : current.lastStatus;
      const next: TaskRecord = { ...current, traffic, lastStatus, version: current.version + 1 };
      await c.put(key, next);
      return next;
    });
  }

  /** DescribeTasks: the tasks found, and MISSING failures for the rest. */
  async describe(scope: Scope, clusterRef: string | undefined, refs: readonly string[]): Promise<{ found: TaskRecord[]; failures: Failure[] }> {
    if (refs.length > 100) throw invalidParameter('Tasks cannot contain more than 100 elements.');
    const cluster = await this.clusters.get(scope, clusterRef);
    const found: TaskRecord[] = [];
    const failures: Failure[] = [];
    for (const ref of refs) {
      const id = taskIdFrom(scope, cluster.clusterName, ref);
      const task = id && (await this.store.collection<TaskRecord>(TASKS).get(`${cluster.clusterArn}/${id}`));
      if (task) found.push(task);
      else failures.push({ arn: ref.startsWith('arn:') ? ref : formatArn('ecs', scope.region, scope.accountId, `task/${cluster.clusterName}/${ref}`), reason: 'MISSING' });
    }
    return { found, failures };
  }

  /** ListTasks: task ARNs of a cluster, filtered as ECS filters them, a page at a time. */
  async list(scope: Scope, clusterRef: string | undefined, filter: ListTasksFilter): Promise<Page<string>> {
    const cluster = await this.clusters.get(scope, clusterRef);
    return listPage(await this.store.collection<TaskRecord>(TASKS).list({ prefix: `${cluster.clusterArn}/` }), filter);
  }

  /** Applies an agent's report: lifecycle only moves forward; containers merge by name. */
  async applyReport(taskArn: string, change: TaskStateChange): Promise<TaskRecord | undefined> {
    const key = taskKeyOf(taskArn);
    if (!key) return undefined;
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
    return td && this.withFirewall(launchSpec(scope, task, td), task);
  }

  private async keyOf(scope: Scope, clusterRef: string | undefined, taskRef: string): Promise<string> {
    const cluster = await this.clusters.get(scope, clusterRef);
    const id = taskIdFrom(scope, cluster.clusterName, taskRef);
    if (!id) throw invalidParameter('The referenced task was not found.');
    return `${cluster.clusterArn}/${id}`;
  }
}

/** The task's shape as the planner sees it. */
function shapeOf({ td, input, size }: TaskOrigin): TaskShape {
  return { cpu: size.cpu, memory: size.memory, hostPorts: hostPortsOf(td), group: input.group ?? `family:${td.family}` };
}
