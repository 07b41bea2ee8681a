import { randomUUID } from 'node:crypto';
import { parseArn } from '../../../lib/arn.js';
import { failedPrecondition, isDomainError } from '../../../lib/errors.js';
import { rootPrincipal, type Scope } from '../../../lib/scope.js';
import { TickLoop } from '../../../lib/tick-loop.js';
import type { Store } from '../../../store/store.js';
import { markedForDeletion, SecretsManagerSubject, secretNotFound } from '../errors.js';
import type { SecretRecord } from '../secret.js';
import { findSecret, SECRETS, type FoundSecret } from '../secret-store.js';
import type { SecretValues } from '../secret-values.js';
import { rotationTaskDefinition } from './function-ref.js';
import type { RotationFunctions } from './ports.js';
import { cancelRotation, failRun, finishRun, PREVIOUS_ROTATION_INCOMPLETE, rotateSecret, rotationDue, startScheduled, type Changed, type RotateSecretInput } from './rotation-config.js';
import { afterStep, invocationId, samePoint, stepStarted, type RotationRun, type RotationStep } from './rotation-state.js';
import { planOf } from './schedule.js';

/** Options of the rotation driver. */
export interface SecretRotationsOptions {
  /** How often runs are driven and schedules checked (ms); default 5 s. RotateSecret nudges it. */
  tickMs?: number;
  /** The delay before a failed run is tried again (ms); default 10 minutes. */
  retryDelayMs?: number;
  /** The clock (domain code reads no other). */
  now?: () => Date;
  /** A tick's unexpected error (a failed step is not one). */
  onError?: (err: unknown) => void;
  /** A rotation that failed at a step (AWS would log it from the function; here the platform's log says it). */
  onFailure?: (failure: { secretArn: string; token: string; step: RotationStep; reason: string }) => void;
}

/**
 * Secrets Manager rotation: RotateSecret, CancelRotateSecret, and the driver that takes each run
 * through its steps and starts scheduled rotations. Every change is recorded on the secret before
 * the step it leads to is started (see rotation-state.ts), so a restart carries each run on from
 * its recorded step.
 */
export class SecretRotations {
  private readonly loop: TickLoop;
  private readonly now: () => Date;

  constructor(
    private readonly store: Store,
    private readonly values: SecretValues,
    private readonly functions: RotationFunctions,
    private readonly options: SecretRotationsOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.loop = new TickLoop(() => this.tick(), options.tickMs ?? 5_000, options.onError);
  }

  /** Starts driving runs and schedules; runs recorded before a restart carry on at once. */
  start(): void {
    this.loop.start();
  }

  /** Stops the driver (a step's task keeps running; the next start finds it by its handle). */
  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** RotateSecret. */
  async rotate(scope: Scope, secretId: string, input: RotateSecretInput): Promise<{ arn: string; name: string; versionId?: string }> {
    if (input.functionArn !== undefined) rotationTaskDefinition(scope, input.functionArn);
    if (input.rules !== undefined) planOf(input.rules);
    if (input.functionArn !== undefined) await this.functions.check(scope, input.functionArn);
    const now = scope.now.getTime();
    const { secret, outcome } = await this.change(scope, secretId, (s) => rotateSecret(s, input, now, randomUUID));
    this.loop.nudge();
    if (outcome.kind === 'retried') throw failedPrecondition(SecretsManagerSubject.RotationInProgress, PREVIOUS_ROTATION_INCOMPLETE);
    return { arn: secret.arn, name: secret.name, ...(outcome.kind !== 'configured' && { versionId: outcome.token }) };
  }

  /** CancelRotateSecret: the VersionId answered is that of the run it cancelled, if any. */
  async cancel(scope: Scope, secretId: string): Promise<{ arn: string; name: string; versionId?: string }> {
    const { secret, outcome } = await this.change(scope, secretId, (s) => {
      const cancelled = cancelRotation(s);
      return { secret: cancelled.secret, outcome: cancelled.versionId, dropped: [] };
    });
    return { arn: secret.arn, name: secret.name, ...(outcome !== undefined && { versionId: outcome }) };
  }

  /** Applies `fn` to a live secret in one transaction; dropped versions lose their values. */
  private async change<O>(scope: Scope, secretId: string, fn: (secret: SecretRecord) => Changed<O>): Promise<Changed<O>> {
    return this.store.transaction(async (tx) => {
      const secrets = tx.collection<SecretRecord>(SECRETS);
      const found = await findSecret(secrets, scope, secretId);
      if (!found) throw secretNotFound();
      if (found.secret.deletedDate !== undefined) throw markedForDeletion();
      const changed = fn(found.secret);
      if (changed.secret !== found.secret) {
        await secrets.put(found.key, { ...changed.secret, lastChangedDate: scope.now.getTime() });
        await this.values.remove(tx, scope.region, found.secret.name, changed.dropped);
      }
      return changed;
    });
  }

  /** One round: every run under way moves on if it can, and due schedules start runs. */
  async tick(): Promise<void> {
    const secrets = this.store.collection<SecretRecord>(SECRETS);
    for (let after: string | undefined; ; ) {
      const page = await secrets.list({ limit: 100, ...(after !== undefined && { after }) });
      for (const { key, value } of page) {
        const now = this.now().getTime();
        if (value.rotation?.run || rotationDue(value, now)) {
          await this.drive({ key, secret: value }).catch((err: unknown) => this.options.onError?.(err));
        }
      }
      if (page.length < 100) return;
      after = page[page.length - 1]!.key;
    }
  }

  /** Moves one secret's rotation on by one recorded step. */
  private async drive({ key, secret }: FoundSecret): Promise<void> {
    const now = this.now();
    const scope = scopeOf(secret.arn, now);
    const run = secret.rotation?.run;
    if (!run) {
      await this.record(key, secret.arn, undefined, (s) => (rotationDue(s, now.getTime()) ? startScheduled(s, now.getTime(), randomUUID) : s));
      this.loop.nudge();
      return;
    }
    if (secret.deletedDate !== undefined) {
      await this.fail(key, secret.arn, run, 'The secret was scheduled for deletion during the rotation.');
      return;
    }
    if (run.phase === 'ready') {
      let handle: string;
      try {
        handle = await this.functions.start(scope, {
          functionArn: secret.rotation!.functionArn!,
          secretId: secret.arn,
          clientRequestToken: run.token,
          step: run.step,
          invocationId: invocationId(secret.arn, run),
        });
      } catch (err) {
        // The function could not be started (its task definition is gone, no capacity): the run fails at this step.
        if (!isDomainError(err)) throw err;
        await this.fail(key, secret.arn, run, `The rotation function could not be started: ${err.message}`);
        return;
      }
      await this.record(key, secret.arn, run, (s) => ({ ...s, rotation: { ...s.rotation!, run: stepStarted(run, handle) } }));
      return;
    }
    const decision = afterStep(run, await this.functions.outcome(scope, run.handle!));
    if (decision.kind === 'wait') return;
    if (decision.kind === 'failed') {
      await this.fail(key, secret.arn, run, decision.reason);
      return;
    }
    if (decision.kind === 'next') {
      await this.record(key, secret.arn, run, (s) => ({ ...s, rotation: { ...s.rotation!, run: decision.run } }));
      this.loop.nudge();
      return;
    }
    let reason: string | undefined;
    await this.record(key, secret.arn, run, (s) => {
      const finished = finishRun(s, now.getTime());
      if ('failed' in finished) {
        reason = finished.failed;
        return failRun(s, run.step, finished.failed, now.getTime(), this.retryDelayMs);
      }
      return finished;
    });
    if (reason !== undefined) this.options.onFailure?.({ secretArn: secret.arn, token: run.token, step: run.step, reason });
  }

  private get retryDelayMs(): number {
    return this.options.retryDelayMs ?? 10 * 60_000;
  }

  private async fail(key: string, arn: string, run: RotationRun, reason: string): Promise<void> {
    const failed = await this.record(key, arn, run, (s) => failRun(s, run.step, reason, this.now().getTime(), this.retryDelayMs));
    if (failed) this.options.onFailure?.({ secretArn: arn, token: run.token, step: run.step, reason });
  }

  /**
   * Stores `fn`'s change of the secret under `key` if it is still the same secret with the same run
   * at the same point (`expected`; undefined: no run); otherwise leaves it (someone moved it on).
   */
  private async record(
    key: string,
    arn: string,
    expected: RotationRun | undefined,
    fn: (secret: SecretRecord) => SecretRecord | Changed<unknown>,
  ): Promise<boolean> {
    return this.store.transaction(async (tx) => {
      const secrets = tx.collection<SecretRecord>(SECRETS);
      const current = await secrets.get(key);
      if (!current || current.arn !== arn) return false;
      const run = current.rotation?.run;
      if (expected ? !samePoint(run, expected) : run !== undefined) return false;
      const out = fn(current);
      const changed = 'outcome' in out ? out : { secret: out, dropped: [] };
      if (changed.secret === current) return false;
      await secrets.put(key, { ...changed.secret, lastChangedDate: this.now().getTime() });
      await this.values.remove(tx, key.slice(0, key.indexOf('/')), current.name, changed.dropped);
      return true;
    });
  }
}

/** The scope a secret's rotation runs in: its account and region, as the account's root. */
function scopeOf(secretArn: string, now: Date): Scope {
  const arn = parseArn(secretArn)!;
  return { accountId: arn.accountId, region: arn.region, principalArn: rootPrincipal(arn.accountId), now };
}
