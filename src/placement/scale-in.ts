/**
 * Which tasks a service stops when its desired count goes down. ECS documents the balance it keeps:
 * stop on an instance in the Availability Zone with the most tasks of the service, favouring the
 * instance with the most tasks of the service. Before that, tasks that are not running yet go
 * first (they serve nothing). Among tasks still tied, the newest goes first (it has warmed up least;
 * ECS does not document this step), then the task ARN, so the choice is deterministic.
 */

/** A task of the service, as scale-in sees it. */
export interface ScaleInTask {
  taskArn: string;
  containerInstanceArn?: string;
  availabilityZone?: string;
  lastStatus: string;
  /** Epoch milliseconds; a task without one counts as the newest. */
  startedAt?: number;
}

/** Statuses of tasks already on their way out: never chosen and not counted. */
const LEAVING = new Set(['DEACTIVATING', 'STOPPING', 'DEPROVISIONING', 'STOPPED', 'DELETED']);
/** Statuses before RUNNING. */
const NOT_YET_RUNNING = new Set(['PROVISIONING', 'PENDING', 'ACTIVATING']);

function bump(m: Map<string, number>, k: string, d: number): void {
  m.set(k, (m.get(k) ?? 0) + d);
}

/** The ARNs of up to `count` tasks to stop, in the order to stop them. */
export function selectTasksToStop(tasks: readonly ScaleInTask[], count: number): string[] {
  const live = tasks.filter((t) => !LEAVING.has(t.lastStatus));
  const zoneOf = (t: ScaleInTask) => t.availabilityZone ?? '';
  // A task without an instance (Fargate-like) is alone on its host.
  const hostOf = (t: ScaleInTask) => t.containerInstanceArn ?? `task:${t.taskArn}`;
  const perZone = new Map<string, number>();
  const perHost = new Map<string, number>();
  for (const t of live) {
    bump(perZone, zoneOf(t), 1);
    bump(perHost, hostOf(t), 1);
  }
  /** Negative when `a` should stop before `b`. */
  const before = (a: ScaleInTask, b: ScaleInTask): number =>
    Number(NOT_YET_RUNNING.has(b.lastStatus)) - Number(NOT_YET_RUNNING.has(a.lastStatus)) ||
    perZone.get(zoneOf(b))! - perZone.get(zoneOf(a))! ||
    perHost.get(hostOf(b))! - perHost.get(hostOf(a))! ||
    (b.startedAt ?? Infinity) - (a.startedAt ?? Infinity) ||
    (a.taskArn < b.taskArn ? -1 : a.taskArn > b.taskArn ? 1 : 0);
  const chosen: string[] = [];
  const pool = [...live];
  // Counts change after every pick, so pick one at a time: O(count × tasks), tasks of one service.
  while (chosen.length < count && pool.length) {
    let best = 0;
    for (let i = 1; i < pool.length; i++) if (before(pool[i]!, pool[best]!) < 0) best = i;
    const [t] = pool.splice(best, 1);
    chosen.push(t!.taskArn);
    bump(perZone, zoneOf(t!), -1);
    bump(perHost, hostOf(t!), -1);
  }
  return chosen;
}
