import { failedPrecondition, invalidRequest } from '../../../lib/errors.js';
import { SecretsManagerSubject, secretExists } from '../errors.js';
import { MAX_VERSIONS, Stage, type SecretRecord, type SecretVersionRecord } from '../secret.js';
import { moveStage, pruneVersions } from '../staging.js';
import { newRun, type RotationStep, type SecretRotation } from './rotation-state.js';
import { nextWindow, planOf, type RotationRules } from './schedule.js';

/**
 * The changes rotation makes to a secret, pure: RotateSecret, CancelRotateSecret, a scheduled
 * start, and the end of a run (finished or failed). Each takes the secret as read in a
 * transaction and returns the secret to store.
 */

/** AWS's answer to RotateSecret while AWSPENDING is on a version other than AWSCURRENT's. */
export const PREVIOUS_ROTATION_INCOMPLETE = "A previous rotation isn't complete. That rotation will be reattempted.";

/** Failed runs on one AWSPENDING version after which the schedule waits for its next window. */
export const MAX_RUN_FAILURES = 3;

/** What RotateSecret asks. */
export interface RotateSecretInput {
  token?: string;
  functionArn?: string;
  rules?: RotationRules;
  /** RotateImmediately (default true). */
  immediately: boolean;
}

/** What RotateSecret did. */
export type RotateOutcome =
  /** A run started on a new AWSPENDING version. */
  | { kind: 'started'; token: string }
  /** Rotation configured, no run now (RotateImmediately false). */
  | { kind: 'configured' }
  /** The run under way has this token: the request is a retry of the one that started it. */
  | { kind: 'replay'; token: string }
  /** An earlier rotation had not completed: it runs again, and the caller is told so (InvalidRequestException). */
  | { kind: 'retried'; token: string };

/** A changed secret, and the versions dropped from it (their values go too). */
export interface Changed<O> {
  secret: SecretRecord;
  outcome: O;
  dropped: string[];
}

const holder = (secret: SecretRecord, stage: string): SecretVersionRecord | undefined => secret.versions.find((v) => v.stages.includes(stage));

/** The AWSPENDING version of an incomplete rotation: pending, and not the current version. */
export function incompletePending(secret: SecretRecord): SecretVersionRecord | undefined {
  const pending = holder(secret, Stage.Pending);
  return pending && !pending.stages.includes(Stage.Current) ? pending : undefined;
}

const rotationOf = (secret: SecretRecord): SecretRotation => secret.rotation ?? { enabled: false, runs: 0 };

/** RotateSecret, once the function (if named) has been checked. `newToken` makes a version id. */
export function rotateSecret(secret: SecretRecord, input: RotateSecretInput, now: number, newToken: () => string): Changed<RotateOutcome> {
  const rotation = rotationOf(secret);
  if (rotation.run) {
    if (input.token === rotation.run.token) return { secret, outcome: { kind: 'replay', token: rotation.run.token }, dropped: [] };
    throw failedPrecondition(SecretsManagerSubject.RotationInProgress, PREVIOUS_ROTATION_INCOMPLETE);
  }
  const incomplete = incompletePending(secret);
  if (incomplete) {
    if (!rotation.functionArn) throw failedPrecondition(SecretsManagerSubject.RotationInProgress, PREVIOUS_ROTATION_INCOMPLETE);
    const run = newRun(incomplete.versionId, rotation.runs + 1, now, false);
    return { secret: { ...secret, rotation: { ...rotation, runs: run.attempt, run } }, outcome: { kind: 'retried', token: incomplete.versionId }, dropped: [] };
  }
  const functionArn = input.functionArn ?? rotation.functionArn;
  if (functionArn === undefined) throw invalidRequest('No Lambda rotation function ARN is associated with this secret.');
  const rules = input.rules ?? rotation.rules;
  const plan = rules && planOf(rules);
  let next: SecretRotation = { ...rotation, enabled: true, functionArn, ...(rules && { rules }) };
  let versions = secret.versions;
  let dropped: string[] = [];
  let outcome: RotateOutcome = { kind: 'configured' };
  if (input.immediately) {
    const token = input.token ?? newToken();
    if (secret.versions.some((v) => v.versionId === token)) {
      throw secretExists(`You can't use ClientRequestToken ${token} because that value is already in use for a version of secret ${secret.arn}.`);
    }
    ({ kept: versions, dropped } = addPendingVersion(secret, token, now));
    const run = newRun(token, rotation.runs + 1, now, false);
    next = { ...next, runs: run.attempt, run };
    outcome = { kind: 'started', token };
  }
  const window = plan && nextWindow(plan, input.immediately ? now : (rotation.lastRotatedDate ?? now));
  next = withWindow(next, window);
  return { secret: { ...secret, versions, rotation: next }, outcome, dropped };
}

function withWindow(rotation: SecretRotation, window: { start: number; end: number } | undefined): SecretRotation {
  const { nextStart: _s, nextRotationDate: _d, ...rest } = rotation;
  return window ? { ...rest, nextStart: window.start, nextRotationDate: window.end } : rest;
}

/** A new empty version carrying AWSPENDING (taken from any other version), for the function to fill. */
function addPendingVersion(secret: SecretRecord, token: string, now: number): { kept: SecretVersionRecord[]; dropped: string[] } {
  const versions = secret.versions.map((v) => (v.stages.includes(Stage.Pending) ? { ...v, stages: v.stages.filter((s) => s !== Stage.Pending) } : v));
  versions.push({ versionId: token, stages: [Stage.Pending], createdDate: now, empty: true, ...(secret.kmsKeyId && { kmsKeyId: secret.kmsKeyId }) });
  return pruneVersions(versions, MAX_VERSIONS);
}

/**
 * CancelRotateSecret: rotation off, no next date; the function and rules stay (DescribeSecret
 * shows them), and so does any AWSPENDING version, as AWS leaves it. Returns the id of the version
 * of a run it cancelled.
 */
export function cancelRotation(secret: SecretRecord): { secret: SecretRecord; versionId?: string } {
  if (!secret.rotation) return { secret };
  const { run, nextStart: _s, nextRotationDate: _d, lastFailure: _f, ...rest } = secret.rotation;
  return { secret: { ...secret, rotation: { ...rest, enabled: false } }, ...(run && { versionId: run.token }) };
}

/** Whether the schedule starts a rotation of `secret` now. */
export function rotationDue(secret: SecretRecord, now: number): boolean {
  const r = secret.rotation;
  return !!r && r.enabled && !r.run && r.functionArn !== undefined && r.nextStart !== undefined && r.nextStart <= now && secret.deletedDate === undefined;
}

/** A scheduled run: on the AWSPENDING version an incomplete rotation left, or on a new one. */
export function startScheduled(secret: SecretRecord, now: number, newToken: () => string): Changed<{ token: string }> {
  const rotation = rotationOf(secret);
  const incomplete = incompletePending(secret);
  const token = incomplete?.versionId ?? newToken();
  const { kept, dropped } = incomplete ? { kept: secret.versions, dropped: [] } : addPendingVersion(secret, token, now);
  const run = newRun(token, rotation.runs + 1, now, true);
  return { secret: { ...secret, versions: kept, rotation: { ...rotation, runs: run.attempt, run } }, outcome: { token }, dropped };
}

/**
 * The end of a run whose finishSecret succeeded. AWS leaves the label move to the function; here a
 * function that returned from finishSecret without moving AWSCURRENT has it moved for it (AWSPREVIOUS
 * follows), provided the pending version has a value. Returns the failure reason otherwise.
 */
export function finishRun(secret: SecretRecord, now: number): SecretRecord | { failed: string } {
  const rotation = rotationOf(secret);
  const run = rotation.run!;
  const version = secret.versions.find((v) => v.versionId === run.token);
  if (!version) return { failed: `The version ${run.token} the rotation was filling no longer exists.` };
  if (version.empty) {
    return { failed: `finishSecret returned, but version ${run.token} has no value: createSecret must put it (PutSecretValue with that ClientRequestToken and VersionStages AWSPENDING).` };
  }
  let versions = secret.versions;
  if (!version.stages.includes(Stage.Current)) {
    const current = holder(secret, Stage.Current);
    versions = moveStage(versions, Stage.Current, { moveToVersionId: run.token, ...(current && { removeFromVersionId: current.versionId }) });
  }
  const { run: _done, lastFailure: _f, ...rest } = rotation;
  // A reattempt RotateSecret made after rotation was turned off schedules nothing.
  const plan = rest.enabled && rest.rules ? planOf(rest.rules) : undefined;
  return { ...secret, versions, rotation: withWindow({ ...rest, lastRotatedDate: now }, plan && nextWindow(plan, now)) };
}

/**
 * The end of a failed run: the AWSPENDING version stays (as on AWS) for the next attempt. While
 * rotation is on, the run is tried again after `retryDelayMs`, up to {@link MAX_RUN_FAILURES}
 * failures on the same version; then the schedule waits for its next window. NextRotationDate is
 * left as it was: "If rotation is unsuccessful, this date may be in the past."
 */
export function failRun(secret: SecretRecord, step: RotationStep, reason: string, now: number, retryDelayMs: number): SecretRecord {
  const rotation = rotationOf(secret);
  const run = rotation.run!;
  const failures = rotation.lastFailure?.token === run.token ? rotation.lastFailure.failures + 1 : 1;
  const { run: _failed, nextStart: _s, ...rest } = rotation;
  let nextStart: number | undefined;
  if (rest.enabled) {
    const plan = rest.rules && planOf(rest.rules);
    nextStart = failures < MAX_RUN_FAILURES ? now + retryDelayMs : plan && nextWindow(plan, now)?.start;
  }
  return {
    ...secret,
    rotation: { ...rest, ...(nextStart !== undefined && { nextStart }), lastFailure: { token: run.token, step, reason, at: now, failures } },
  };
}

/**
 * A new AWSCURRENT version written by PutSecretValue or UpdateSecret outside a rotation: for a
 * schedule in AutomaticallyAfterDays, "manually updating the secret value ... is considered a valid
 * rotation", so the next window counts from it.
 */
export function noteManualRotation(secret: SecretRecord, versionId: string, now: number): SecretRecord {
  const r = secret.rotation;
  if (!r?.enabled || r.run || r.rules?.automaticallyAfterDays === undefined) return secret;
  if (!secret.versions.find((v) => v.versionId === versionId)?.stages.includes(Stage.Current)) return secret;
  return { ...secret, rotation: withWindow({ ...r, lastRotatedDate: now }, nextWindow(planOf(r.rules), now)) };
}
