import type { FirewallOrder } from '../agent-contract/protocol.js';
import type { StopReason } from '../agent-contract/task-contract.js';
import { firewallDigest, type TaskFirewall } from '../agent-contract/task-firewall.js';

/** A task placed on a container instance and not yet STOPPED, as the control plane records it. */
export interface InstanceTask {
  taskArn: string;
  desiredStatus: string;
  lastStatus: string;
  stopCode?: string;
  stoppedReason?: string;
  /** Its current firewall, for an awsvpc task in security groups. */
  firewall?: TaskFirewall;
}

/** What the agent says it remembers (see PollRequest). */
export interface AgentView {
  known: readonly string[];
  stopping: readonly string[];
  stopped: readonly string[];
  /** The digest of the firewall it holds, by task; absent for an agent that enforces none. */
  firewalls?: Readonly<Record<string, string>>;
}

/** The outcome of comparing the two views. */
export interface AgentOrders {
  /** Tasks the agent is to start. */
  launch: string[];
  /** Tasks the agent is to stop, with why. */
  stop: Array<{ taskArn: string; reason: StopReason }>;
  /** Finished tasks the control plane has recorded as STOPPED: the agent may drop them. */
  forget: string[];
  /** Tasks the control plane must mark STOPPED itself, since the agent cannot (it does not know them). */
  markStopped: Array<{ taskArn: string; reason: StopReason }>;
  /** Running tasks whose firewall the agent holds otherwise (or not at all), with the current one. */
  firewalls: FirewallOrder[];
}

/** Why a task the agent no longer knows is stopped by the control plane. */
export const LOST_REASON: StopReason = {
  stopCode: 'TaskFailedToStart',
  stoppedReason: 'Task stopped: the container instance agent no longer knows it',
};

/** Why an agent stops a task the control plane no longer runs. */
export const ORPHAN_REASON: StopReason = {
  stopCode: 'TaskFailedToStart',
  stoppedReason: 'Task stopped: the control plane no longer runs it on this container instance',
};

/**
 * Compares the control plane's unfinished tasks of one instance with the agent's view. Pure, so
 * that every case is unit-tested, and idempotent: the same inputs give the same orders, and each
 * order changes the agent's view so that it is not given again (a launched task becomes known, a
 * stopped one stopping, an applied firewall stated by its digest).
 */
export function ordersFor(tasks: readonly InstanceTask[], view: AgentView): AgentOrders {
  const known = new Set(view.known);
  const stopping = new Set(view.stopping);
  const stopped = new Set(view.stopped);
  const unfinished = new Map(tasks.map((t) => [t.taskArn, t]));
  const out: AgentOrders = { launch: [], stop: [], forget: [], markStopped: [], firewalls: [] };
  for (const task of tasks) {
    if (known.has(task.taskArn)) continue;
    if (task.lastStatus === 'PROVISIONING' && task.desiredStatus === 'RUNNING') out.launch.push(task.taskArn);
    else if (task.lastStatus === 'PROVISIONING') out.markStopped.push({ taskArn: task.taskArn, reason: reasonOf(task) });
    // Past PROVISIONING means the agent accepted it once (it reports only tasks it persisted): lost.
    else out.markStopped.push({ taskArn: task.taskArn, reason: LOST_REASON });
  }
  for (const arn of known) {
    const task = unfinished.get(arn);
    if (stopped.has(arn)) {
      if (!task) out.forget.push(arn);
      continue;
    }
    if (stopping.has(arn)) continue;
    if (!task) out.stop.push({ taskArn: arn, reason: ORPHAN_REASON });
    else if (task.desiredStatus === 'STOPPED') out.stop.push({ taskArn: arn, reason: reasonOf(task) });
    // A firewall is kept current while the task runs; an agent that states none enforces none.
    else if (task.firewall && view.firewalls && view.firewalls[arn] !== firewallDigest(task.firewall)) out.firewalls.push({ taskArn: arn, firewall: task.firewall });
  }
  return out;
}

function reasonOf(task: InstanceTask): StopReason {
  return { stopCode: task.stopCode ?? 'UserInitiated', stoppedReason: task.stoppedReason ?? 'Task stopped by user' };
}
