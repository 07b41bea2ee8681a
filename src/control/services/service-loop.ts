import { TickLoop } from '../../lib/tick-loop.js';
import { randomUUID } from 'node:crypto';
import { checkPlacement, DEFAULT_SERVICE_STRATEGY } from '../../placement/placement-rules.js';
import type { PlacementConstraintInput } from '../../placement/types.js';
import type { Failure, RunTaskRequest, Tag } from '@aws-sdk/client-ecs';
import { parseArn } from '../../lib/arn.js';
import { isDomainError } from '../../lib/errors.js';
import type { Scope } from '../../lib/scope.js';
import type { Store } from '../../store/store.js';
import { CLUSTER_MEMBERS } from '../clusters/activity.js';
import type { TagStore } from '../tags.js';
import { StopCode, type TaskRecord } from '../tasks/task.js';
import type { Tasks } from '../tasks/tasks.js';
import * as events from './events.js';
import { announce, launchFailed, reconcile, type ReconcileResult, type StartAction } from './reconcile.js';
import { randomDeploymentId } from './rollout.js';
import { MAX_EVENTS, SchedulingStrategy, serviceGroup, ServiceStatus, type ServiceRecord } from './service.js';
import type { Services } from './services.js';
import { viewOf, type InstanceView } from './task-view.js';
import { mustDrain, TargetRegistration, type DrainRequest } from './target-registration.js';
import { DEFAULT_THROTTLE, type ThrottleOptions } from './throttle.js';
import { NO_TRAFFIC_PORTS, type TrafficPorts } from './traffic-ports.js';

/** RunTask and StartTask take at most this many tasks per call. */
const MAX_PER_CALL = 10;

/** What the service scheduler works with. */
export interface ServiceLoopDeps {
  store: Store;
  tasks: Tasks;
  services: Services;
  tags: TagStore;
  /** Target groups and Cloud Map services the services' tasks join; without them, none. */
  traffic?: TrafficPorts;
  /** The container instances of a cluster (DAEMON placement, draining instances). */
  listInstances(clusterArn: string): Promise<InstanceView[]>;
  /** How often every service is reconciled; a nudge runs a tick at once. Default 1 s. */
  tickMs?: number;
  /** The clock: the scheduler passes the time into the domain. */
  clock?: () => Date;
  /** The launch throttle's delay after the second failed launch attempt in a row (doubling after each further one). Default 10 s. */
  throttleBaseDelayMs?: number;
  /** The launch throttle's longest delay between attempts. Default 27 min, as ECS documents. */
  throttleMaxDelayMs?: number;
  onError?: (err: unknown) => void;
}

/**
 * The loop that keeps every service at its desired state: each tick reads the services and their
 * tasks, lets the pure `reconcile` decide, starts and stops tasks through the task domain, and
 * writes the service back (events, counts, rollouts) in a transaction.
 */
export class ServiceLoop {
  private readonly clock: () => Date;
  private readonly loop: TickLoop;
  private readonly throttle: ThrottleOptions;
  private readonly targets: TargetRegistration;

  constructor(private readonly deps: ServiceLoopDeps) {
    this.targets = new TargetRegistration(deps.tasks, deps.traffic ?? NO_TRAFFIC_PORTS, deps.onError);
    this.loop = new TickLoop(() => this.tick(), deps.tickMs ?? 1000, deps.onError);
    this.clock = deps.clock ?? (() => new Date());
    this.throttle = {
      baseDelayMs: deps.throttleBaseDelayMs ?? DEFAULT_THROTTLE.baseDelayMs,
      maxDelayMs: deps.throttleMaxDelayMs ?? DEFAULT_THROTTLE.maxDelayMs,
    };
  }

  /** Starts ticking. */
  start(): void {
    this.loop.start();
  }

  /** Stops ticking and waits for a tick under way. */
  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** Asks for a tick as soon as possible (a service or one of its tasks changed). */
  nudge(): void {
    this.loop.nudge();
  }

  /** Reconciles every service once (the loop calls it; tests may too). */
  async tick(): Promise<void> {
    const now = this.clock();
    await this.deps.services.expireInactive(now);
    const rows = await this.deps.store.collection<ServiceRecord>(CLUSTER_MEMBERS.services).list();
    const byCluster = new Map<string, ServiceRecord[]>();
    for (const { value } of rows) {
      if (value.status === ServiceStatus.Inactive) continue;
      byCluster.set(value.clusterArn, [...(byCluster.get(value.clusterArn) ?? []), value]);
    }
    for (const [clusterArn, services] of byCluster) {
      const tasks = (await this.deps.store.collection<TaskRecord>(CLUSTER_MEMBERS.tasks).list({ prefix: `${clusterArn}/` })).map((r) => r.value);
      const instances = await this.deps.listInstances(clusterArn);
      for (const service of services) {
        try {
          const eligible = service.schedulingStrategy === SchedulingStrategy.Daemon ? daemonInstances(service, instances) : instances;
          await this.reconcileOne(service, tasks.filter((t) => t.group === serviceGroup(service.serviceName)), eligible, now);
        } catch (err) {
          this.deps.onError?.(err);
        }
      }
    }
  }


  private async reconcileOne(service: ServiceRecord, current: TaskRecord[], instances: InstanceView[], now: Date): Promise<void> {
    const scope: Scope = { accountId: parseArn(service.serviceArn)?.accountId ?? '', region: service.region, principalArn: service.createdBy, now };
    // Load balancers and Cloud Map first: tasks that now run join, drains that are due end, and
    // the target groups' health is what the deployment counts.
    const pass = await this.targets.advance(scope, service, current, now.getTime());
    const tasks = pass.tasks;
    const views = tasks.map((t) => ({ ...viewOf(t), ...pass.health.get(t.taskArn) }));
    const r = reconcile({ service, tasks: views, instances, now: now.getTime(), newDeploymentId: () => randomDeploymentId(), throttle: this.throttle });
    const messages = [...pass.messages, ...r.messages];
    const stopped: string[] = [...pass.stopped];
    const byArn = new Map(tasks.map((t) => [t.taskArn, t]));
    const drains: DrainRequest[] = [];
    for (const s of r.stop) {
      const task = byArn.get(s.taskArn);
      // A task registered in target groups or Cloud Map leaves them (and drains) before it is stopped.
      if (task && mustDrain(task)) {
        drains.push({ task, reason: s.reason });
        continue;
      }
      try {
        await this.deps.tasks.stop(scope, service.clusterArn, s.taskArn, s.reason, StopCode.ServiceLoopInitiated);
        stopped.push(s.taskId);
      } catch (err) {
        // A task forgotten meanwhile needs no stop; the next tick sees the truth.
        this.deps.onError?.(err);
      }
    }
    if (drains.length) {
      const drained = await this.targets.drain(scope, service, drains, now.getTime());
      messages.push(...drained.messages);
      stopped.push(...drained.stopped);
    }
    if (stopped.length) messages.push(events.stoppedTasks(service.serviceName, stopped));
    const startedIds: string[] = [];
    const failures: Failure[] = [];
    let refused = false;
    for (const action of r.start) {
      try {
        const out = await this.startTasks(scope, r.service, action, tasks);
        startedIds.push(...out.tasks);
        failures.push(...out.failures);
      } catch (err) {
        // Refused launches are the service's news, not the scheduler's failure: said once, retried as the throttle allows.
        if (!isDomainError(err)) throw err;
        // A capacity provider without instances is a placement failure in a service's words.
        if (err.message.startsWith('No Container Instances were found')) failures.push({ reason: err.message });
        else announce(r.service, events.failedToLaunch(service.serviceName, err.message), messages, now.getTime());
        refused = true;
      }
    }
    if (startedIds.length) messages.push(events.startedTasks(service.serviceName, startedIds));
    // Once tasks start again, the next placement or launch failure is news again.
    if (failures.length === 0 && startedIds.length > 0) {
      for (const key of Object.keys(r.service.scheduler.recent)) {
        if (key.includes(') was unable to place a task') || key.includes(') failed to launch a task')) delete r.service.scheduler.recent[key];
      }
    }
    if (failures.length) announce(r.service, events.unableToPlace(service.serviceName, events.placementDetail(failures[0])), messages, now.getTime());
    // A launch that started nothing is a failed attempt: the throttle holds the next ones back.
    if (startedIds.length === 0 && (failures.length > 0 || refused)) launchFailed(r.service, now.getTime(), this.throttle, messages);
    await this.writeBack(service, r, messages, now);
  }

  /** Starts tasks of one deployment: RunTask for REPLICA, StartTask on the named instances for DAEMON. */
  private async startTasks(scope: Scope, s: ServiceRecord, action: StartAction, current: readonly TaskRecord[]): Promise<{ tasks: string[]; failures: Failure[] }> {
    const deployment = s.deployments.find((d) => d.id === action.deploymentId);
    if (!deployment) return { tasks: [], failures: [] };
    const tags: Tag[] = s.propagateTags === 'SERVICE' ? await this.deps.tags.get(s.serviceArn) : [];
    const common: RunTaskRequest = {
      cluster: s.clusterArn,
      taskDefinition: deployment.taskDefinition,
      group: serviceGroup(s.serviceName),
      startedBy: deployment.id,
      ...(deployment.networkConfiguration && { networkConfiguration: deployment.networkConfiguration }),
      ...(tags.length && { tags }),
      ...(s.propagateTags === 'TASK_DEFINITION' && { propagateTags: 'TASK_DEFINITION' }),
      enableECSManagedTags: s.enableECSManagedTags,
      enableExecuteCommand: s.enableExecuteCommand,
    };
    const out = { tasks: [] as string[], failures: [] as Failure[] };
    if (s.schedulingStrategy === SchedulingStrategy.Daemon) {
      const arns = action.containerInstanceArns ?? [];
      for (let i = 0; i < arns.length; i += MAX_PER_CALL) {
        const res = await this.deps.tasks.start(scope, { ...common, containerInstances: arns.slice(i, i + MAX_PER_CALL) }, { serviceName: s.serviceName });
        out.tasks.push(...res.tasks.map((t) => t.taskId));
        out.failures.push(...res.failures);
      }
      return out;
    }
    const launch: Partial<RunTaskRequest> = deployment.capacityProviderStrategy?.length
      ? { capacityProviderStrategy: deployment.capacityProviderStrategy }
      : { launchType: (deployment.launchType ?? 'EC2') as NonNullable<RunTaskRequest['launchType']> };
    // The deployment's tasks per capacity provider, so that base and weights hold across calls.
    const byProvider: Record<string, number> = {};
    for (const t of current) {
      if (t.startedBy === deployment.id && t.desiredStatus === 'RUNNING' && t.capacityProviderName) {
        byProvider[t.capacityProviderName] = (byProvider[t.capacityProviderName] ?? 0) + 1;
      }
    }
    for (let left = action.count; left > 0; left -= MAX_PER_CALL) {
      const res = await this.deps.tasks.run(scope, {
        ...common,
        ...launch,
        count: Math.min(MAX_PER_CALL, left),
        ...(s.placementConstraints.length && { placementConstraints: s.placementConstraints }),
        // Without a strategy, ECS spreads a service's tasks over zones, then instances.
        placementStrategy: s.placementStrategy.length ? s.placementStrategy : [...DEFAULT_SERVICE_STRATEGY],
        ...(deployment.platformVersion && { platformVersion: deployment.platformVersion }),
      }, { serviceName: s.serviceName, tasksByProvider: { ...byProvider } });
      for (const t of res.tasks) if (t.capacityProviderName) byProvider[t.capacityProviderName] = (byProvider[t.capacityProviderName] ?? 0) + 1;
      out.tasks.push(...res.tasks.map((t) => t.taskId));
      out.failures.push(...res.failures);
      // The rest would not fit either: the next tick tries again.
      if (res.tasks.length === 0) break;
    }
    return out;
  }

  /** Stores the reconciled service; if someone changed it meanwhile, only the events are added (the next tick recomputes). */
  private async writeBack(before: ServiceRecord, r: ReconcileResult, messages: string[], now: Date): Promise<void> {
    const fresh = messages.map((message) => ({ id: randomUUID(), createdAt: now.getTime(), message })).reverse();
    if (fresh.length === 0 && JSON.stringify(r.service) === JSON.stringify(before)) return;
    const key = `${before.clusterArn}/${before.serviceName}`;
    await this.deps.store.transaction(async (tx) => {
      const c = tx.collection<ServiceRecord>(CLUSTER_MEMBERS.services);
      const current = await c.get(key);
      if (!current || current.serviceArn !== before.serviceArn) return;
      const base = current.version === before.version ? r.service : current;
      await c.put(key, { ...base, events: [...fresh, ...current.events].slice(0, MAX_EVENTS), version: current.version + 1 });
    });
  }
}

/**
 * The instances a DAEMON service runs on: those its memberOf constraints select (ECS's daemon
 * scheduler evaluates them); an instance known without its snapshot cannot be judged and is kept.
 */
function daemonInstances(service: ServiceRecord, instances: InstanceView[]): InstanceView[] {
  const { memberOf } = checkPlacement(service.placementConstraints as PlacementConstraintInput[], []);
  if (memberOf.length === 0) return instances;
  return instances.filter((i) => i.snapshot === undefined || memberOf.every((matches) => matches(i.snapshot!)));
}
