import { createHash } from 'node:crypto';
import type { RotationRules } from './schedule.js';

/**
 * A secret's rotation, as recorded on it, and the pure step machine of one rotation run.
 *
 * A run takes the rotation function through AWS's four steps in order, each once: createSecret,
 * setSecret, testSecret, finishSecret. Every move is recorded before it is acted on (persist the
 * intent, then act): a step is recorded `ready`, then `started` with the handle of what runs it,
 * then the next step is recorded once it has succeeded. A step's invocation id is derived from the
 * secret, the run and the step, and the function runner treats a repeated id as the same
 * invocation, so a restart between "start" and "record started" cannot run a step twice, and a
 * step recorded as done is never started again.
 */

/** The steps of a rotation, in order (the `Step` of a Lambda rotation function's event). */
export const ROTATION_STEPS = ['createSecret', 'setSecret', 'testSecret', 'finishSecret'] as const;
/** One of {@link ROTATION_STEPS}. */
export type RotationStep = (typeof ROTATION_STEPS)[number];

/** One rotation under way. */
export interface RotationRun {
  /** The ClientRequestToken: the id of the AWSPENDING version this run fills. */
  token: string;
  step: RotationStep;
  /** `ready`: recorded, not started yet; `started`: the runner was asked and gave `handle`. */
  phase: 'ready' | 'started';
  handle?: string;
  /** The run's number among the secret's runs (a retried run gets a new one, so new invocations). */
  attempt: number;
  /** Epoch ms. */
  startedAt: number;
  /** Started by the schedule rather than by RotateSecret. */
  scheduled: boolean;
}

/** The last rotation that failed, kept while its AWSPENDING version waits for a retry. */
export interface RotationFailure {
  token: string;
  step: RotationStep;
  reason: string;
  /** Epoch ms. */
  at: number;
  /** Failed runs on this token so far. */
  failures: number;
}

/** Rotation as recorded on a secret. */
export interface SecretRotation {
  /** RotationEnabled: CancelRotateSecret turns it off and keeps the function and rules. */
  enabled: boolean;
  /** RotationLambdaARN, as given (see function-ref.ts for what it may name). */
  functionArn?: string;
  rules?: RotationRules;
  /** Epoch ms of the last rotation that finished. */
  lastRotatedDate?: number;
  /** When the scheduler starts the next rotation (the next window's start; a retry may bring it forward). */
  nextStart?: number;
  /** NextRotationDate: the end of the next window. */
  nextRotationDate?: number;
  /** Runs started on this secret so far. */
  runs: number;
  run?: RotationRun;
  lastFailure?: RotationFailure;
}

/** What the runner says of a started step. */
export type StepOutcome = { state: 'running' } | { state: 'succeeded' } | { state: 'failed'; reason: string };

/** What to do with a run once its step's outcome is known. */
export type RunDecision =
  | { kind: 'wait' }
  | { kind: 'next'; run: RotationRun }
  | { kind: 'finished' }
  | { kind: 'failed'; step: RotationStep; reason: string };

/** A new run at its first step. */
export function newRun(token: string, attempt: number, now: number, scheduled: boolean): RotationRun {
  return { token, step: ROTATION_STEPS[0], phase: 'ready', attempt, startedAt: now, scheduled };
}

/** The run once its current step was started and is known by `handle`. */
export function stepStarted(run: RotationRun, handle: string): RotationRun {
  if (run.phase !== 'ready') throw new Error(`step ${run.step} of run ${run.attempt} was started already`);
  return { ...run, phase: 'started', handle };
}

/** The move after a started step's outcome: wait, the next step (recorded ready), finished or failed. */
export function afterStep(run: RotationRun, outcome: StepOutcome): RunDecision {
  if (run.phase !== 'started') throw new Error(`step ${run.step} of run ${run.attempt} has not started`);
  if (outcome.state === 'running') return { kind: 'wait' };
  if (outcome.state === 'failed') return { kind: 'failed', step: run.step, reason: outcome.reason };
  const index = ROTATION_STEPS.indexOf(run.step);
  if (index === ROTATION_STEPS.length - 1) return { kind: 'finished' };
  const { handle: _done, ...rest } = run;
  return { kind: 'next', run: { ...rest, step: ROTATION_STEPS[index + 1]!, phase: 'ready' } };
}

/** Whether `a` and `b` are the same run at the same point (the condition of every recorded move). */
export const samePoint = (a: RotationRun | undefined, b: RotationRun): boolean =>
  a !== undefined && a.token === b.token && a.attempt === b.attempt && a.step === b.step && a.phase === b.phase;

/**
 * The invocation id of a run's current step: the same for the same secret, run and step, and a
 * valid RunTask clientToken (letters, digits, '-' and '_', at most 64).
 */
export function invocationId(secretArn: string, run: RotationRun): string {
  const digest = createHash('sha256').update(`${secretArn}\n${run.token}\n${run.attempt}\n${run.step}`).digest('hex');
  return `rotation-${digest.slice(0, 48)}`;
}
