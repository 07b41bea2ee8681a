/**
 * ECS's service throttle logic, pure: when a service's tasks repeatedly fail to start, the time
 * between launch attempts grows step by step up to a cap, and the service says it "is unable to
 * consistently start tasks successfully". A new deployment, or a task that starts and stays
 * RUNNING, returns the service to normal at once.
 */
import { FAILURE_STOP_CODES, type TaskView } from './task-view.js';

/** What the throttle remembers of a service, stored with it (so a restart keeps the delay). */
export interface ThrottleState {
  /** The deployment whose launches failed: another deployment starts unthrottled. */
  deploymentId: string;
  /** Launch attempts in a row whose tasks failed to start. */
  failures: number;
  /** When the last failed attempt was counted: tasks created before belong to an attempt already counted. */
  countedAt: number;
  /** No launches before this (epoch ms). */
  retryAt: number;
}

/** The delays of the throttle. */
export interface ThrottleOptions {
  /** The delay after the second failed attempt in a row; each further failure doubles it. */
  baseDelayMs: number;
  /** The longest delay between attempts. */
  maxDelayMs: number;
}

/** ECS's delays: the documented cap is 27 minutes between attempts. */
export const DEFAULT_THROTTLE: ThrottleOptions = { baseDelayMs: 10_000, maxDelayMs: 27 * 60_000 };

/**
 * A task that stops on its own within this long of starting counted as failing to start. ECS
 * throttles only tasks that never reach RUNNING, but a task launches there in tens of seconds and
 * here in milliseconds: a container that exits at once would otherwise be relaunched in a tight loop.
 */
export const START_WINDOW_MS = 10_000;

/** The wait after `failures` failed attempts in a row: none after the first, then base, doubling, up to the cap. */
export function throttleDelay(failures: number, o: ThrottleOptions): number {
  if (failures < 2) return 0;
  return Math.min(o.maxDelayMs, o.baseDelayMs * 2 ** Math.min(failures - 2, 40));
}

/** Whether a stopped task failed to start: it stopped on its own before it ran, or soon after it started. */
export function failedToStart(t: TaskView, now: number): boolean {
  if (t.lastStatus !== 'STOPPED' || t.stopCode === undefined || !FAILURE_STOP_CODES.has(t.stopCode)) return false;
  return t.startedAt === undefined || (t.stoppedAt ?? now) - t.startedAt < START_WINDOW_MS;
}

/**
 * Counts a failed launch attempt of `deploymentId`, begun at `attemptAt` (a failed task's creation,
 * or now for a launch that placed nothing). Failures of an attempt already counted change nothing.
 */
export function recordFailure(state: ThrottleState | undefined, deploymentId: string, attemptAt: number, now: number, o: ThrottleOptions): ThrottleState {
  const current = state?.deploymentId === deploymentId ? state : undefined;
  if (current && attemptAt < current.countedAt) return current;
  const failures = (current?.failures ?? 0) + 1;
  return { deploymentId, failures, countedAt: now, retryAt: now + throttleDelay(failures, o) };
}

/** Whether a task has proved that the service can start tasks: it started after the last failure and stayed RUNNING. */
export function startedSuccessfully(state: ThrottleState, t: TaskView, now: number): boolean {
  if (t.startedBy !== state.deploymentId || t.lastStatus !== 'RUNNING' || t.startedAt === undefined) return false;
  const established = t.startedAt + START_WINDOW_MS;
  return established <= now && established > state.countedAt;
}

/** Whether the service may launch tasks of `deploymentId` at `now`. */
export const mayLaunch = (state: ThrottleState | undefined, deploymentId: string, now: number): boolean =>
  state === undefined || state.deploymentId !== deploymentId || now >= state.retryAt;
