import type { Scope } from '../../lib/scope.js';
import { StopCode, TaskStatus, type TaskRecord, type TaskTraffic } from '../tasks/task.js';
import type { Tasks } from '../tasks/tasks.js';
import * as events from './events.js';
import type { ServiceRecord } from './service.js';
import { countByGroup, targetHealthOf, trafficOf } from './target-plan.js';
import type { TaskView } from './task-view.js';
import type { TargetHealth, TrafficPorts } from './traffic-ports.js';

/** What one pass over a service's tasks did: the tasks as now stored, their target health, events, tasks stopped. */
export interface TrafficPass {
  tasks: TaskRecord[];
  health: Map<string, Pick<TaskView, 'targetHealth' | 'failedTarget'>>;
  messages: string[];
  stopped: string[];
}

/** A stop the scheduler decided, for a task that must leave its target groups first. */
export interface DrainRequest {
  task: TaskRecord;
  reason: string;
}

const isServing = (t: TaskRecord) => t.lastStatus === TaskStatus.Running && t.desiredStatus === 'RUNNING' && !t.traffic?.stop;

/** Whether a stop of this task must go through deregistration (and the drain) first. */
export const mustDrain = (t: TaskRecord): boolean => t.traffic?.phase === 'registering' || t.traffic?.phase === 'registered';

/**
 * The service scheduler's side of load balancing and service discovery. Each task's step is
 * recorded in its task record before the calls are made (Tasks.recordTraffic), and the calls are
 * idempotent, so a pass after a restart takes the recorded step again:
 *
 *   RUNNING ─▶ registering ─▶ register targets and instances ─▶ registered
 *   stop decided ─▶ deregistering (task DEACTIVATING, stop kept) ─▶ deregister ─▶ draining
 *     ─▶ after the groups' deregistration delay: the stop is sent ─▶ deregistered
 *   stopped or stopping otherwise ─▶ deregistering ─▶ deregister ─▶ deregistered
 */
export class TargetRegistration {
  constructor(
    private readonly tasks: Tasks,
    private readonly ports: TrafficPorts,
    private readonly onError: (err: unknown) => void = () => {},
  ) {}

  /** Before the scheduler decides: registers tasks that now run, carries recorded steps on, ends due drains, reads target health. */
  async advance(scope: Scope, service: ServiceRecord, tasks: readonly TaskRecord[], now: number): Promise<TrafficPass> {
    const pass: TrafficPass = { tasks: [...tasks], health: new Map(), messages: [], stopped: [] };
    const registered: TaskTraffic['targets'] = [];
    const deregistered: TaskTraffic['targets'] = [];
    for (let i = 0; i < pass.tasks.length; i++) {
      const task = pass.tasks[i]!;
      try {
        pass.tasks[i] = await this.step(scope, service, task, now, { registered, deregistered, stopped: pass.stopped });
      } catch (err) {
        // The step stays recorded: the next pass takes it again.
        this.onError(err);
      }
    }
    for (const [arn, n] of countByGroup(registered)) pass.messages.push(events.registeredTargets(service.serviceName, n, arn));
    for (const [arn, n] of countByGroup(deregistered)) pass.messages.push(events.deregisteredTargets(service.serviceName, n, arn));
    await this.readHealth(scope, service, pass);
    return pass;
  }

  /**
   * Begins the drain of tasks the scheduler stops: records the stop and DEACTIVATING, deregisters
   * the targets and instances, and sends the stop at once when no group asks for a delay.
   */
  async drain(scope: Scope, service: ServiceRecord, requests: readonly DrainRequest[], now: number): Promise<{ messages: string[]; stopped: string[] }> {
    const messages: string[] = [];
    const stopped: string[] = [];
    const deregistered: TaskTraffic['targets'] = [];
    let begun = 0;
    for (const { task, reason } of requests) {
      try {
        const delay = await this.deregistrationDelayMs(scope, task.traffic!);
        const traffic: TaskTraffic = { ...task.traffic!, phase: 'deregistering', stop: { reason, stopCode: StopCode.ServiceLoopInitiated }, drainUntil: now + delay };
        const recorded = await this.tasks.recordTraffic(task.taskArn, traffic, true);
        if (!recorded) continue;
        begun += 1;
        await this.step(scope, service, recorded, now, { registered: [], deregistered, stopped });
      } catch (err) {
        this.onError(err);
      }
    }
    if (begun) messages.push(events.beganDraining(service.serviceName, begun));
    for (const [arn, n] of countByGroup(deregistered)) messages.push(events.deregisteredTargets(service.serviceName, n, arn));
    return { messages, stopped };
  }

  /** Takes the task's next step, if it has one; returns the task as stored afterwards. */
  private async step(
    scope: Scope,
    service: ServiceRecord,
    task: TaskRecord,
    now: number,
    out: { registered: TaskTraffic['targets']; deregistered: TaskTraffic['targets']; stopped: string[] },
  ): Promise<TaskRecord> {
    let t = task;
    const record = async (traffic: TaskTraffic) => (t = (await this.tasks.recordTraffic(t.taskArn, traffic)) ?? t);
    if (!t.traffic) {
      const deployment = service.deployments.find((d) => d.id === t.startedBy);
      const lbs = deployment?.loadBalancers ?? [];
      const registries = deployment?.serviceRegistries ?? [];
      if (!isServing(t) || (lbs.length === 0 && registries.length === 0)) return t;
      const joins = trafficOf(t, service.serviceName, lbs, registries);
      // The address or host port is not reported yet: the next pass tries again.
      if (!joins) return t;
      await record({ phase: 'registering', ...joins });
    }
    const traffic = t.traffic!;
    if ((traffic.phase === 'registering' || traffic.phase === 'registered') && !isServing(t)) {
      await record({ ...traffic, phase: 'deregistering' });
    } else if (traffic.phase === 'registering') {
      for (const [arn, targets] of byGroup(traffic.targets)) await this.ports.targetGroups.register(scope, arn, targets);
      for (const i of traffic.instances) await this.ports.serviceRegistries.registerInstance(scope, i.registryArn, i.instanceId, i.attributes);
      await record({ ...traffic, phase: 'registered' });
      out.registered.push(...traffic.targets);
      return t;
    }
    if (t.traffic!.phase === 'deregistering') {
      const current = t.traffic!;
      for (const i of current.instances) await this.ports.serviceRegistries.deregisterInstance(scope, i.registryArn, i.instanceId);
      for (const [arn, targets] of byGroup(current.targets)) await this.ports.targetGroups.deregister(scope, arn, targets);
      await record({ ...current, phase: current.stop ? 'draining' : 'deregistered' });
      out.deregistered.push(...current.targets);
    }
    const drained = t.traffic!;
    if (drained.phase === 'draining' && (drained.drainUntil ?? 0) <= now) {
      // A task stopped meanwhile (or by a stop sent before a restart) is not stopped again.
      if (t.desiredStatus === 'RUNNING' && t.lastStatus !== TaskStatus.Stopped) {
        t = await this.tasks.stop(scope, service.clusterArn, t.taskArn, drained.stop?.reason, drained.stop?.stopCode ?? StopCode.ServiceLoopInitiated);
        out.stopped.push(t.taskId);
      }
      await record({ ...drained, phase: 'deregistered' });
    }
    return t;
  }

  /** The longest deregistration delay of the task's target groups (a group gone delays nothing). */
  private async deregistrationDelayMs(scope: Scope, traffic: TaskTraffic): Promise<number> {
    let seconds = 0;
    for (const [arn] of byGroup(traffic.targets)) {
      const group = await this.ports.targetGroups.describe(scope, arn).catch(() => undefined);
      seconds = Math.max(seconds, group?.deregistrationDelaySeconds ?? 0);
    }
    return seconds * 1000;
  }

  /** The target health of every serving task of a deployment behind load balancers, one call per group. */
  private async readHealth(scope: Scope, service: ServiceRecord, pass: TrafficPass): Promise<void> {
    const balanced = new Set(service.deployments.filter((d) => d.loadBalancers?.length).map((d) => d.id));
    const serving = pass.tasks.filter((t) => isServing(t) && (balanced.has(t.startedBy ?? '') || (t.traffic?.targets.length ?? 0) > 0));
    const asked = serving.filter((t) => t.traffic?.phase === 'registered').flatMap((t) => t.traffic!.targets);
    const health = new Map<string, TargetHealth[]>();
    for (const [arn, targets] of byGroup(asked)) {
      try {
        health.set(arn, await this.ports.targetGroups.health(scope, arn, targets));
      } catch (err) {
        this.onError(err);
      }
    }
    for (const t of serving) {
      const registered = t.traffic?.phase === 'registered';
      pass.health.set(t.taskArn, registered ? targetHealthOf(t.traffic!, health, !t.attachments.some((a) => a.type === 'ElasticNetworkInterface')) : { targetHealth: 'initial' });
    }
  }
}

/** The targets of each target group. */
function byGroup(targets: TaskTraffic['targets']): Map<string, Array<{ id: string; port: number }>> {
  const out = new Map<string, Array<{ id: string; port: number }>>();
  for (const t of targets) out.set(t.targetGroupArn, [...(out.get(t.targetGroupArn) ?? []), { id: t.id, port: t.port }]);
  return out;
}
