import * as events from './events.js';
import { planDaemon } from './daemon.js';
import { circuitBreakerThreshold, newDeployment, rolloutBounds, supersede } from './rollout.js';
import {
  DeploymentStatus,
  RolloutState,
  SchedulingStrategy,
  ServiceStatus,
  type DeploymentRecord,
  type ServiceRecord,
} from './service.js';
import { FAILURE_STOP_CODES, isHealthy, isLive, isPending, isProtected, isWanted, type InstanceView, type TaskView } from './task-view.js';
import { DEFAULT_THROTTLE, failedToStart, mayLaunch, recordFailure, startedSuccessfully, type ThrottleOptions, type ThrottleState } from './throttle.js';

/** A snapshot of one service and everything it depends on, at `now`. */
export interface ReconcileInput {
  service: ServiceRecord;
  /** Every stored task of the service (group `service:<name>`), STOPPED ones included. */
  tasks: readonly TaskView[];
  /** The cluster's container instances (DAEMON placement, draining). */
  instances: readonly InstanceView[];
  now: number;
  /** Makes deployment ids (a rollback creates a deployment). */
  newDeploymentId: () => string;
  /** The delays of the launch throttle; ECS's by default. */
  throttle?: ThrottleOptions;
}

/** Start `count` tasks of a deployment; for DAEMON services, one on each instance named. */
export interface StartAction {
  deploymentId: string;
  count: number;
  containerInstanceArns?: string[];
}

/** Stop one task, with the reason the task will show. */
export interface StopAction {
  taskArn: string;
  taskId: string;
  reason: string;
}

/** What one tick decides: the service as it should be stored, tasks to start and stop, event messages (oldest first). */
export interface ReconcileResult {
  service: ServiceRecord;
  start: StartAction[];
  stop: StopAction[];
  messages: string[];
}

/** The reason scheduler-stopped tasks show. */
export const STOP_REASONS = {
  deployment: 'Scaling activity initiated by (deployment {id})',
  unhealthy: 'Task failed container health checks',
  draining: 'Container instance is draining',
  disconnected: 'Container instance agent is disconnected',
  deregistered: 'Container instance is deregistered',
  deleted: 'Service was deleted',
  unhealthyTarget: (targetGroupArn: string) => `Task failed ELB health checks in (target-group ${targetGroupArn})`,
} as const;

/** Task states from which a deleted service no longer waits for the task. */
const STOPPING_OR_LATER: ReadonlySet<string> = new Set(['STOPPING', 'DEPROVISIONING', 'STOPPED']);

/** Re-announcements of the same condition are held back this long, as ECS does. */
const DUPLICATE_WINDOW_MS = 6 * 60 * 60 * 1000;

/**
 * One reconciliation step of a service over a snapshot, without side effects: counts failures,
 * trips the circuit breaker, decides which tasks to start and stop within the deployment
 * configuration, and moves rollouts and the service status forward.
 */
export function reconcile(input: ReconcileInput): ReconcileResult {
  const { now } = input;
  const s: ServiceRecord = structuredClone(input.service);
  const messages: string[] = [];
  const stop: StopAction[] = [];
  const start: StartAction[] = [];
  const depOf = (t: TaskView) => s.deployments.find((d) => d.id === t.startedBy);
  const inProgress = (d: DeploymentRecord | undefined) => d?.rolloutState === RolloutState.InProgress;

  // 1. Tasks that stopped on their own count against their deployment's rollout, once.
  const accounted = new Set(s.scheduler.accounted);
  const fresh: TaskView[] = [];
  for (const t of input.tasks) {
    if (isLive(t) || accounted.has(t.taskArn)) continue;
    accounted.add(t.taskArn);
    fresh.push(t);
    const d = depOf(t);
    if (d && inProgress(d) && t.stopCode !== undefined && FAILURE_STOP_CODES.has(t.stopCode)) d.failedTasks += 1;
  }
  const stored = new Set(input.tasks.map((t) => t.taskArn));
  s.scheduler.accounted = [...accounted].filter((a) => stored.has(a));

  const stopping = new Set<string>();
  const stopTask = (t: TaskView, reason: string) => {
    stopping.add(t.taskArn);
    stop.push({ taskArn: t.taskArn, taskId: t.taskId, reason });
  };
  // Tasks of a REPLICA service on an instance whose agent is disconnected are lost to it: they
  // are told to stop (carried out if the agent returns) and no longer count, so that the
  // service replaces them elsewhere and a rollout can complete without them.
  const lost = lostTasks(s, input);
  for (const [t, reason] of lost) if (isWanted(t)) stopTask(t, reason);
  const tasks = lost.size === 0 ? input.tasks : input.tasks.filter((t) => !lost.has(t));

  // 2. Tasks failing their container health checks (after the grace period) are replaced.
  const graceMs = (s.healthCheckGracePeriodSeconds ?? 0) * 1000;
  // So are tasks whose load-balancer targets fail the target group's health checks.
  for (const t of tasks) {
    if (!isWanted(t) || (t.startedAt ?? t.createdAt) + graceMs > now) continue;
    if (t.healthStatus === 'UNHEALTHY') {
      stopTask(t, STOP_REASONS.unhealthy);
      messages.push(events.unhealthyTask(s.serviceName, t.taskId));
    } else if (t.targetHealth === 'unhealthy' && t.failedTarget) {
      stopTask(t, STOP_REASONS.unhealthyTarget(t.failedTarget.targetGroupArn));
      messages.push(events.unhealthyTarget(s.serviceName, t.failedTarget));
    } else continue;
    const d = depOf(t);
    if (d && inProgress(d)) d.failedTasks += 1;
  }

  // 3. The circuit breaker: too many failures fail the rollout, and may roll back.
  tripCircuitBreaker(s, input, messages);
  const primary = s.deployments.find((d) => d.status === DeploymentStatus.Primary);
  // The throttle: tasks that failed to start hold further launches back, for longer and longer.
  const throttled = updateThrottle(s, fresh, tasks, input, messages);

  // 4. Decide starts and stops.
  const instanceStatus = new Map(input.instances.map((i) => [i.containerInstanceArn, i.status]));
  const onDraining = (t: TaskView) => t.containerInstanceArn !== undefined && instanceStatus.get(t.containerInstanceArn) === 'DRAINING';
  if (s.status !== ServiceStatus.Active) {
    for (const t of tasks) if (isWanted(t) && !stopping.has(t.taskArn)) stopTask(t, STOP_REASONS.deleted);
  } else if (s.schedulingStrategy === SchedulingStrategy.Daemon) {
    if (primary) {
      const plan = planDaemon(s, primary, tasks, input.instances, stopping);
      s.desiredCount = plan.desired;
      primary.desiredCount = plan.desired;
      for (const { task, reason } of plan.stop) stopTask(task, reason);
      if (plan.startOn.length && !throttled) start.push({ deploymentId: primary.id, count: plan.startOn.length, containerInstanceArns: plan.startOn });
    }
  } else if (primary) {
    planReplica(s, primary, tasks, stopping, onDraining, stopTask, start, messages, now, throttled);
  }

  // 5. Counts, rollouts, deployments that are done, the service status, steady state.
  settle(s, tasks, stopping, start, messages, now);
  return { service: s, start, stop, messages };
}

/** The live tasks of a REPLICA service placed on instances whose agent is disconnected. */
function lostTasks(s: ServiceRecord, input: ReconcileInput): Map<TaskView, string> {
  const lost = new Map<TaskView, string>();
  if (s.schedulingStrategy !== SchedulingStrategy.Replica) return lost;
  // Instances whose agent is disconnected, and instances no longer listed (deregistered with
  // force: ECS says their tasks are orphaned and the service scheduler starts other copies).
  const known = new Set(input.instances.map((i) => i.containerInstanceArn));
  const away = new Set(input.instances.filter((i) => i.agentConnected === false).map((i) => i.containerInstanceArn));
  for (const t of input.tasks) {
    const arn = t.containerInstanceArn;
    if (!isLive(t) || arn === undefined) continue;
    if (!known.has(arn)) lost.set(t, STOP_REASONS.deregistered);
    else if (away.has(arn)) lost.set(t, STOP_REASONS.disconnected);
  }
  return lost;
}

/** Fails the primary rollout once its failures reach the threshold; rolls back when asked to. */
function tripCircuitBreaker(s: ServiceRecord, input: ReconcileInput, messages: string[]): void {
  const breaker = s.deploymentConfiguration.deploymentCircuitBreaker;
  const primary = s.deployments.find((d) => d.status === DeploymentStatus.Primary);
  if (!breaker?.enable || !primary || primary.rolloutState !== RolloutState.InProgress) return;
  if (primary.failedTasks < circuitBreakerThreshold(primary.desiredCount)) return;
  const target = s.scheduler.lastCompleted;
  // A rollback that fails too stays FAILED and launches nothing more: rolling back to the same
  // deployment again would start a new deployment after every few failed tasks, for ever.
  const failedRollback = target !== undefined && primary.rolloutStateReason === events.rolloutReason.rollingBack(target.id);
  primary.rolloutState = RolloutState.Failed;
  primary.rolloutStateReason = events.rolloutReason.failed();
  primary.updatedAt = input.now;
  messages.push(events.deploymentFailed(s.serviceName, primary.id));
  if (!breaker.rollback || failedRollback || !target || target.taskDefinition === undefined || s.status !== ServiceStatus.Active) return;
  // The rollback is a new deployment of the last completed one's settings.
  s.taskDefinition = target.taskDefinition;
  for (const k of ['launchType', 'capacityProviderStrategy', 'networkConfiguration', 'loadBalancers', 'serviceRegistries'] as const) {
    if (target[k] === undefined) delete s[k];
    else (s as unknown as Record<string, unknown>)[k] = target[k];
  }
  const next = newDeployment(s, input.newDeploymentId(), input.now);
  next.rolloutStateReason = events.rolloutReason.rollingBack(target.id);
  s.deployments = supersede(s.deployments, next);
  messages.push(events.rollingBack(s.serviceName, target.id));
}

/** REPLICA: scale the primary to the desired count and drain the rest, within min/max percent. */
function planReplica(
  s: ServiceRecord,
  primary: DeploymentRecord,
  tasks: readonly TaskView[],
  stopping: Set<string>,
  onDraining: (t: TaskView) => boolean,
  stopTask: (t: TaskView, reason: string) => void,
  start: StartAction[],
  messages: string[],
  now: number,
  throttled: boolean,
): void {
  const D = s.desiredCount;
  primary.desiredCount = D;
  const { minHealthy, maxTotal } = rolloutBounds(D, s.deploymentConfiguration);
  const failed = primary.rolloutState === RolloutState.Failed;
  const wanted = tasks.filter((t) => isWanted(t) && !stopping.has(t.taskArn));
  const keep = wanted.filter((t) => t.startedBy === primary.id && !onDraining(t));
  const order = new Map(s.deployments.map((d, i) => [d.id, i]));
  // Oldest deployment first (unknown deployments are older than any), tasks not yet RUNNING before running ones.
  const age = (t: TaskView) => -(order.get(t.startedBy ?? '') ?? s.deployments.length);
  const byPreference = (a: TaskView, b: TaskView) =>
    Number(a.lastStatus === 'RUNNING') - Number(b.lastStatus === 'RUNNING') || age(a) - age(b) || a.createdAt - b.createdAt;

  // Scale-in protection keeps a task from being stopped to scale in or to roll out (not from an
  // instance's drain): unprotected tasks go first, protected ones wait until protection lapses.
  const guarded = (t: TaskView) => isProtected(t, now) && !onDraining(t);
  const byStopOrder = (a: TaskView, b: TaskView) => Number(guarded(a)) - Number(guarded(b)) || byPreference(a, b);

  // Candidates to stop: the primary's tasks beyond the desired count, then other deployments' and draining tasks.
  const excess = [...keep].sort(byStopOrder).slice(0, Math.max(0, keep.length - D));
  const leaving = failed ? wanted.filter((t) => onDraining(t)) : wanted.filter((t) => !keep.includes(t));
  const candidates = [...excess, ...leaving.sort(byPreference)];

  // A task counts toward the minimum healthy once it has stayed RUNNING for a moment: one that
  // exits right after it started must not let the scheduler stop a healthy task in its favour.
  const proven = (t: TaskView) => isHealthy(t) && (t.startedAt ?? t.createdAt) + ROLLOUT_SETTLE_MS <= now;
  let healthy = wanted.filter(proven).length;
  let stopped = 0;
  let held = 0;
  for (const t of candidates) {
    if (guarded(t)) {
      held += 1;
      continue;
    }
    const cost = proven(t) ? 1 : 0;
    if (healthy - cost < minHealthy) continue;
    healthy -= cost;
    stopTask(t, onDraining(t) ? STOP_REASONS.draining : STOP_REASONS.deployment.replace('{id}', primary.id));
    stopped += 1;
  }
  const live = tasks.filter(isLive).length;
  const need = D - (keep.length - excess.filter((t) => stopping.has(t.taskArn)).length);
  const count = failed || throttled ? 0 : Math.max(0, Math.min(need, maxTotal - live));
  if (count > 0) start.push({ deploymentId: primary.id, count });

  // Nothing can move although tasks must be replaced: the configuration leaves no room.
  const settled = tasks.filter(isLive).every((t) => isWanted(t) && !isPending(t) && (proven(t) || !isHealthy(t)));
  const blocked = !failed && !throttled && count === 0 && stopped === 0 && candidates.length > held && settled;
  const key = events.configurationBlocks(s.serviceName);
  if (blocked) announce(s, key, messages, now);
  else delete s.scheduler.recent[key];
  sayProtected(s, held, messages, now);
}

/** Says (once per count) that protected tasks hold a scale-in or a rollout back; forgets it once none does. */
function sayProtected(s: ServiceRecord, held: number, messages: string[], now: number): void {
  const prefix = events.tasksUnderProtection(s.serviceName, 0).split('(reason ')[0]!;
  const current = held > 0 ? events.tasksUnderProtection(s.serviceName, held) : undefined;
  for (const key of Object.keys(s.scheduler.recent)) if (key.startsWith(prefix) && key !== current) delete s.scheduler.recent[key];
  if (current) announce(s, current, messages, now);
}

/**
 * Moves the launch throttle of the primary deployment on: failed starts among the tasks that just
 * stopped count (an attempt at most once), a task that started and stayed RUNNING ends it, and so
 * does a new deployment. Returns whether launches are held back at `now`.
 */
function updateThrottle(s: ServiceRecord, stopped: readonly TaskView[], tasks: readonly TaskView[], input: ReconcileInput, messages: string[]): boolean {
  const { now } = input;
  const primary = s.deployments.find((d) => d.status === DeploymentStatus.Primary);
  let state = s.scheduler.throttle?.deploymentId === primary?.id ? s.scheduler.throttle : undefined;
  if (primary && s.status === ServiceStatus.Active) {
    for (const t of stopped) {
      if (t.startedBy === primary.id && failedToStart(t, now)) state = recordFailure(state, primary.id, t.createdAt, now, input.throttle ?? DEFAULT_THROTTLE);
    }
  }
  if (state && tasks.some((t) => startedSuccessfully(state!, t, now))) state = undefined;
  return keepThrottle(s, state, messages, now);
}

/**
 * Counts a launch of the primary deployment that started no task (nothing could be placed, or the
 * launch was refused) as a failed attempt; the scheduler calls it after launching.
 */
export function launchFailed(s: ServiceRecord, now: number, options: ThrottleOptions, messages: string[]): void {
  const primary = s.deployments.find((d) => d.status === DeploymentStatus.Primary);
  if (!primary) return;
  keepThrottle(s, recordFailure(s.scheduler.throttle, primary.id, now, now, options), messages, now);
}

/** Stores the throttle state, says once that tasks fail to start repeatedly, and answers whether launches wait. */
function keepThrottle(s: ServiceRecord, state: ThrottleState | undefined, messages: string[], now: number): boolean {
  const key = events.unableToStart(s.serviceName);
  if (state === undefined) {
    // Back to normal: the next time tasks fail to start is news again.
    delete s.scheduler.throttle;
    delete s.scheduler.recent[key];
    return false;
  }
  s.scheduler.throttle = state;
  // ECS says so once the delays begin: one failed attempt is retried at once.
  if (state.failures >= 2) announce(s, key, messages, now);
  return !mayLaunch(state, state.deploymentId, now);
}

/** Adds `message` unless it was shown within the duplicate window. */
export function announce(s: ServiceRecord, message: string, messages: string[], now: number): void {
  const last = s.scheduler.recent[message];
  if (last !== undefined && now - last < DUPLICATE_WINDOW_MS) return;
  s.scheduler.recent[message] = now;
  messages.push(message);
}

/** How long a rollout's tasks must have been RUNNING before the rollout is COMPLETED. */
export const ROLLOUT_SETTLE_MS = 3_000;

/** Recounts deployments, completes rollouts, drops drained deployments, and moves the service status. */
function settle(s: ServiceRecord, tasks: readonly TaskView[], stopping: Set<string>, start: StartAction[], messages: string[], now: number): void {
  const primary = s.deployments.find((d) => d.status === DeploymentStatus.Primary);
  for (const d of s.deployments) {
    const own = tasks.filter((t) => t.startedBy === d.id);
    const running = own.filter((t) => t.lastStatus === 'RUNNING').length;
    const pending = own.filter(isPending).length;
    if (d !== primary) d.desiredCount = own.filter((t) => isWanted(t) && !stopping.has(t.taskArn)).length;
    if (running !== d.runningCount || pending !== d.pendingCount) d.updatedAt = now;
    d.runningCount = running;
    d.pendingCount = pending;
  }
  const others = tasks.filter((t) => isLive(t) && t.startedBy !== primary?.id);
  const acted = start.length > 0 || stopping.size > 0;
  if (primary && primary.rolloutState === RolloutState.InProgress && s.status === ServiceStatus.Active && !acted) {
    const mine = tasks.filter((t) => isLive(t) && t.startedBy === primary.id);
    // A task that exits right after it started must still count against the rollout: the rollout
    // completes only once its tasks have stayed RUNNING for a moment.
    const settled = (t: TaskView) => isHealthy(t) && (t.startedAt ?? t.createdAt) + ROLLOUT_SETTLE_MS <= now;
    if (others.length === 0 && mine.length === primary.desiredCount && mine.every(settled)) {
      primary.rolloutState = RolloutState.Completed;
      primary.rolloutStateReason = events.rolloutReason.completed(primary.id);
      primary.updatedAt = now;
      s.scheduler.lastCompleted = structuredClone(primary);
      messages.push(events.deploymentCompleted(s.serviceName, primary.id));
    }
  }
  // Older deployments stay listed while the primary rolls out, then leave once none of their tasks is left.
  const rolling = primary?.rolloutState === RolloutState.InProgress;
  s.deployments = s.deployments.filter((d) => d === primary || rolling || tasks.some((t) => isLive(t) && t.startedBy === d.id));
  s.runningCount = tasks.filter((t) => t.lastStatus === 'RUNNING').length;
  s.pendingCount = tasks.filter(isPending).length;
  // ECS makes a deleted service INACTIVE once every task is STOPPING or beyond (and, here, out of
  // its target groups and Cloud Map: an INACTIVE service is no longer reconciled).
  const waiting = (t: TaskView) => (isLive(t) && !STOPPING_OR_LATER.has(t.lastStatus)) || t.trafficPending === true;
  if (s.status === ServiceStatus.Draining && !tasks.some(waiting)) s.status = ServiceStatus.Inactive;

  const steady =
    s.status === ServiceStatus.Active &&
    !acted &&
    primary?.rolloutState === RolloutState.Completed &&
    s.deployments.length === 1 &&
    tasks.filter(isLive).length === s.desiredCount &&
    tasks.filter(isLive).every(isHealthy);
  const announced = s.scheduler.steadyAnnouncedAt;
  if (steady && (!s.scheduler.steady || announced === undefined || now - announced >= DUPLICATE_WINDOW_MS)) {
    messages.push(events.steadyState(s.serviceName));
    s.scheduler.steadyAnnouncedAt = now;
  }
  s.scheduler.steady = steady;
}
