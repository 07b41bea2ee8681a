import type { Store } from '../../store/store.js';

/** A store or a transaction: usage is read inside transactions too. */
type Reader = Pick<Store, 'collection'>;
import { CLUSTER_MEMBERS } from '../clusters/activity.js';
import { TaskStatus, type TaskRecord } from '../tasks/task.js';

/** What the tasks placed on one instance take of it; derived, never stored. */
export interface InstanceUsage {
  /** CPU units and MiB reserved by the tasks that are not STOPPED. */
  cpu: number;
  memory: number;
  /** Host ports published by those tasks. */
  tcpPorts: number[];
  udpPorts: number[];
  /** ECS's runningTasksCount: tasks whose desired status is RUNNING. */
  running: number;
  /** ECS's pendingTasksCount: tasks that have not reached RUNNING yet. */
  pending: number;
  /** Tasks that are not STOPPED, and their groups. */
  active: number;
  groups: string[];
}

/** The usage of an instance no task is placed on. */
export const NO_USAGE: InstanceUsage = Object.freeze({
  cpu: 0,
  memory: 0,
  tcpPorts: [],
  udpPorts: [],
  running: 0,
  pending: 0,
  active: 0,
  groups: [],
});

const BEFORE_RUNNING: ReadonlySet<string> = new Set([TaskStatus.Provisioning, TaskStatus.Pending, TaskStatus.Activating]);

/** Sums the tasks of a cluster per container instance ARN (tasks not on an instance are skipped). */
export function usageByInstance(tasks: Iterable<TaskRecord>): Map<string, InstanceUsage> {
  const out = new Map<string, InstanceUsage>();
  for (const task of tasks) {
    const arn = task.containerInstanceArn;
    if (!arn || task.lastStatus === TaskStatus.Stopped) continue;
    let u = out.get(arn);
    if (!u) out.set(arn, (u = emptyUsage()));
    add(u, task);
  }
  return out;
}

/** Sums the tasks the control host runs: those on no container instance, of every cluster. */
export function controlHostUsage(tasks: Iterable<TaskRecord>): InstanceUsage {
  const u = emptyUsage();
  for (const task of tasks) if (!task.containerInstanceArn && task.lastStatus !== TaskStatus.Stopped) add(u, task);
  return u;
}

const emptyUsage = (): InstanceUsage => ({ ...NO_USAGE, tcpPorts: [], udpPorts: [], groups: [] });

function add(u: InstanceUsage, task: TaskRecord): void {
  // Task-level sizes are strings of units and MiB; a task without one reserves nothing.
  u.cpu += Number(task.cpu ?? 0) || 0;
  u.memory += Number(task.memory ?? 0) || 0;
  u.active += 1;
  u.groups.push(task.group);
  if (task.desiredStatus === 'RUNNING') u.running += 1;
  if (BEFORE_RUNNING.has(task.lastStatus)) u.pending += 1;
  // The ports reserved when the task was placed count from the start, before the agent
  // reports its bindings (a second task must not be placed on the same port meanwhile).
  const reported = new Set<number>();
  for (const container of task.containers) {
    for (const binding of container.networkBindings ?? []) {
      if (binding.hostPort === undefined) continue;
      (binding.protocol === 'udp' ? u.udpPorts : u.tcpPorts).push(binding.hostPort);
      reported.add(binding.hostPort);
    }
  }
  for (const port of task.hostPorts ?? []) if (!reported.has(port)) u.tcpPorts.push(port);
}

/** Reads the tasks of a cluster and sums them per instance. */
export async function readUsage(store: Reader, clusterArn: string): Promise<Map<string, InstanceUsage>> {
  const rows = await store.collection<TaskRecord>(CLUSTER_MEMBERS.tasks).list({ prefix: `${clusterArn}/` });
  return usageByInstance(rows.map((r) => r.value));
}
