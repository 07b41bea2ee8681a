import { isStoppingStatus, type StopReason, type TaskStateChange } from '../../agent-contract/task-contract.js';
import type { RuntimeExit } from './ports.js';

/** A container as the runtime finds it after a restart; undefined when it does not exist. */
export type FoundContainer = { status: 'created' | 'running' } | { status: 'stopped'; exit?: RuntimeExit } | undefined;

/** How a restarted agent takes a task back. */
export const RecoveryMode = {
  /** Nothing of the task started yet: run it from the beginning (an acknowledged launch). */
  Fresh: 'fresh',
  /** Some containers started: follow them, start those that never did. */
  Resume: 'resume',
  /** A stop was asked for or had begun: follow what runs, then carry the stop on. */
  Stop: 'stop',
} as const;
/** One of {@link RecoveryMode}. */
export type RecoveryMode = (typeof RecoveryMode)[keyof typeof RecoveryMode];

/** What to do with each container of a task found unfinished after a restart. */
export interface RecoveryPlan {
  mode: RecoveryMode;
  /** Set in Stop mode: the stop to carry on. */
  stop?: StopReason;
  /** Created but never started (runc's init still waits): removed, then started again if the task resumes. */
  discard: string[];
  /** Running: their exits, logs and health are followed again. */
  follow: string[];
  /** Exited while the agent was down, with the exit the runtime recorded. */
  exited: Array<{ name: string; exit: RuntimeExit }>;
  /** Known to have stopped before the restart: never started again. */
  done: Array<{ name: string; exitCode?: number }>;
  /** Never started: started when the task resumes. */
  pending: string[];
}

/** The reason a task is stopped with when containers it had started are gone. */
export const LOST_CONTAINERS = 'Task stopped: its containers were not found when the agent restarted';

/**
 * Decides how to take back one task after the agent restarted, from what the runtime finds and
 * what was recorded before. The invariants: a container that ever ran user code is never started
 * again (it is followed, or its loss stops the task); a launch that was acknowledged but had not
 * started anything runs from the beginning; a stop that was asked for is carried on.
 *
 * `saved` tells whether the run saved its state (network and images), which it does before the
 * first container starts: without it nothing can have started.
 */
export function planRecovery(input: {
  names: readonly string[];
  found: Readonly<Record<string, FoundContainer>>;
  saved: boolean;
  known: TaskStateChange;
  stop?: StopReason;
}): RecoveryPlan {
  const plan: RecoveryPlan = { mode: RecoveryMode.Resume, discard: [], follow: [], exited: [], done: [], pending: [] };
  let lost = false;
  for (const name of input.names) {
    const found = input.found[name];
    const recorded = input.known.containers?.[name];
    if (found?.status === 'running') plan.follow.push(name);
    else if (found?.status === 'stopped') plan.exited.push({ name, exit: found.exit ?? { exitCode: -1, oomKilled: false, exitedAt: new Date(0) } });
    else {
      if (found?.status === 'created') plan.discard.push(name);
      if (recorded?.lastStatus === 'STOPPED') plan.done.push({ name, ...(recorded.exitCode != null && { exitCode: recorded.exitCode }) });
      else if (recorded?.lastStatus === 'RUNNING') lost = true;
      else plan.pending.push(name);
    }
  }
  const stop =
    input.stop ??
    (isStoppingStatus(input.known.lastStatus)
      ? { stopCode: input.known.stopCode ?? 'TaskFailedToStart', stoppedReason: input.known.stoppedReason ?? 'Task stopped' }
      : undefined);
  const started = plan.follow.length + plan.exited.length > 0;
  if (stop) return { ...plan, mode: RecoveryMode.Stop, stop };
  // A container that ran is gone, or containers run whose task state was lost: the task cannot go on.
  if (lost || (!input.saved && started)) return { ...plan, mode: RecoveryMode.Stop, stop: { stopCode: 'TaskFailedToStart', stoppedReason: LOST_CONTAINERS } };
  if (!input.saved || (!started && plan.done.length === 0)) return { ...plan, mode: RecoveryMode.Fresh };
  return plan;
}
