import type { StopReason, TaskStateChange } from '../../agent-contract/task-contract.js';
import { StopCode, TASK_STATUS_ORDER, TaskStatus, type TaskRecord } from './task.js';

/** Merges a report into a task: lastStatus never moves backward, and stop details are kept once set. */
export function mergeReport(current: TaskRecord, change: TaskStateChange): TaskRecord {
  const order = (s: string) => TASK_STATUS_ORDER.indexOf(s as TaskStatus);
  const lastStatus =
    change.lastStatus && order(change.lastStatus) > order(current.lastStatus) ? (change.lastStatus as TaskStatus) : current.lastStatus;
  const containers = current.containers.map((c) => ({ ...c, ...(change.containers?.[c.name ?? ''] ?? {}) }));
  const { containers: _c, lastStatus: _l, stopCode, stoppedReason, ...rest } = change;
  const next: TaskRecord = {
    ...current,
    ...Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)),
    lastStatus,
    containers,
    ...(stopCode && !current.stopCode && { stopCode: stopCode as TaskRecord['stopCode'] }),
    ...(stoppedReason && !current.stoppedReason && { stoppedReason }),
    version: current.version + 1,
  };
  if (lastStatus === TaskStatus.Stopped) next.desiredStatus = 'STOPPED';
  return next;
}

/**
 * What a task's record says for an agent taking it back after a restart: its last recorded state
 * (lastStatus, stop details, start time, each container's lastStatus and exitCode), and the stop
 * asked for when its desired status is STOPPED.
 */
export function recordedState(task: TaskRecord): { known: TaskStateChange; stop?: StopReason } {
  // A task draining its load-balancer targets is still running: the stop comes after the drain.
  const draining = task.lastStatus === TaskStatus.Deactivating && task.desiredStatus === 'RUNNING';
  const known: TaskStateChange = {
    lastStatus: draining ? TaskStatus.Running : task.lastStatus,
    ...(task.stopCode && { stopCode: task.stopCode }),
    ...(task.stoppedReason && { stoppedReason: task.stoppedReason }),
    ...(task.startedAt !== undefined && { startedAt: task.startedAt }),
    containers: Object.fromEntries(task.containers.map((c) => [c.name ?? '', { lastStatus: c.lastStatus, ...(c.exitCode != null && { exitCode: c.exitCode }) }])),
  };
  if (task.desiredStatus !== 'STOPPED') return { known };
  return { known, stop: { stopCode: task.stopCode ?? StopCode.UserInitiated, stoppedReason: task.stoppedReason ?? 'Task stopped by user' } };
}
