/**
 * Scheduled actions: PutScheduledAction (creates, or updates the members given), Describe and
 * Delete. Each record carries its next due time (`nextRunAt`), computed by the pure schedule
 * planner; the scheduler advances it in the same transaction that applies a run.
 */
import { DomainError, ErrorKind } from '../lib/errors.js';
import { formatArn } from '../lib/arn.js';
import { randomUUID } from 'node:crypto';
import type { Scope } from '../lib/scope.js';
import type { Store } from '../store/store.js';
import { isTimeZone, nextRun, parseSchedule, ScheduleError } from './plan/schedule.js';
import { childKey, COLLECTIONS, type ScheduledActionRecord, type TargetRecord } from './records.js';
import { checkNamespace, noScheduledAction, requireTarget, resolveRef, validation, type TargetRef } from './target-refs.js';
import { checkCapacities } from './targets.js';

/** Scheduled actions per scalable target (AWS's quota). */
export const MAX_SCHEDULED_PER_TARGET = 200;

/** PutScheduledAction's input (times in epoch seconds, as the wire carries them). */
export interface PutScheduledInput extends TargetRef {
  ScheduledActionName: string;
  Schedule?: string;
  Timezone?: string;
  StartTime?: number;
  EndTime?: number;
  ScalableTargetAction?: { MinCapacity?: number; MaxCapacity?: number };
}

/** When a stored action is next due after `afterMs`. */
export function nextDue(action: ScheduledActionRecord, afterMs: number): number | undefined {
  return nextRun(
    parseSchedule(action.Schedule),
    {
      timezone: action.Timezone ?? 'UTC',
      createdAt: action.CreationTime,
      ...(action.StartTime !== undefined && { startTime: action.StartTime }),
      ...(action.EndTime !== undefined && { endTime: action.EndTime }),
    },
    afterMs,
  );
}

/** The scheduled actions of an account and region. */
export class ScheduledActions {
  constructor(private readonly store: Store) {}

  /** PutScheduledAction. */
  async put(scope: Scope, input: PutScheduledInput): Promise<void> {
    const ref = resolveRef(scope, input);
    const key = childKey(ref.key, input.ScheduledActionName);
    await this.store.transaction(async (tx) => {
      await requireTarget(tx.collection<TargetRecord>(COLLECTIONS.targets), ref.key, input);
      const actions = tx.collection<ScheduledActionRecord>(COLLECTIONS.scheduled);
      const existing = await actions.get(key);
      if (!existing) {
        if (input.Schedule === undefined) throw validation('Schedule is required when creating a scheduled action');
        if ((await actions.list({ prefix: `${ref.key}#` })).length >= MAX_SCHEDULED_PER_TARGET) {
          throw new DomainError(ErrorKind.LimitExceeded, `Maximum number of scheduled actions (${MAX_SCHEDULED_PER_TARGET}) reached for scalable target ${input.ResourceId}`, 'scheduled');
        }
      }
      const targetAction = input.ScalableTargetAction ?? existing?.ScalableTargetAction;
      if (!targetAction || (targetAction.MinCapacity === undefined && targetAction.MaxCapacity === undefined)) {
        throw validation('At least one of minimum capacity and maximum capacity should be provided');
      }
      checkCapacities(targetAction.MinCapacity, targetAction.MaxCapacity);
      const record: ScheduledActionRecord = {
        key,
        targetKey: ref.key,
        ScheduledActionName: input.ScheduledActionName,
        ScheduledActionARN:
          existing?.ScheduledActionARN ??
          formatArn('autoscaling', scope.region, scope.accountId, `scheduledAction:${randomUUID()}:resource/ecs/${input.ResourceId}:scheduledActionName/${input.ScheduledActionName}`),
        Schedule: input.Schedule ?? existing!.Schedule,
        CreationTime: existing?.CreationTime ?? scope.now.getTime(),
        ScalableTargetAction: targetAction,
      };
      const timezone = input.Timezone ?? existing?.Timezone;
      if (timezone !== undefined) {
        if (!isTimeZone(timezone)) throw validation(`Invalid Timezone: ${timezone}`);
        record.Timezone = timezone;
      }
      const start = input.StartTime !== undefined ? input.StartTime * 1000 : existing?.StartTime;
      const end = input.EndTime !== undefined ? input.EndTime * 1000 : existing?.EndTime;
      if (start !== undefined) record.StartTime = start;
      if (end !== undefined) record.EndTime = end;
      if (start !== undefined && end !== undefined && start >= end) throw validation('EndTime must be after StartTime');
      try {
        parseSchedule(record.Schedule);
      } catch (err) {
        if (err instanceof ScheduleError) throw validation(err.message);
        throw err;
      }
      const next = nextDue(record, scope.now.getTime() - 1);
      if (next !== undefined) record.nextRunAt = next;
      await actions.put(key, record);
    });
  }

  /** DescribeScheduledActions. */
  async describe(scope: Scope, filter: { ServiceNamespace: string; ResourceId?: string; ScalableDimension?: string; ScheduledActionNames?: string[] }): Promise<ScheduledActionRecord[]> {
    checkNamespace(filter.ServiceNamespace, filter.ScalableDimension);
    const rows = await this.store.collection<ScheduledActionRecord>(COLLECTIONS.scheduled).list({ prefix: `${scope.accountId}/${scope.region}/ecs/` });
    return rows
      .map((r) => r.value)
      .filter((a) => {
        const [, , , dimension, ...rest] = a.targetKey.split('/');
        return (
          (filter.ResourceId === undefined || rest.join('/') === filter.ResourceId) &&
          (filter.ScalableDimension === undefined || dimension === filter.ScalableDimension) &&
          (!filter.ScheduledActionNames?.length || filter.ScheduledActionNames.includes(a.ScheduledActionName))
        );
      });
  }

  /** DeleteScheduledAction. */
  async delete(scope: Scope, input: TargetRef & { ScheduledActionName: string }): Promise<void> {
    const ref = resolveRef(scope, input);
    const deleted = await this.store.collection<ScheduledActionRecord>(COLLECTIONS.scheduled).delete(childKey(ref.key, input.ScheduledActionName));
    if (!deleted) throw noScheduledAction(input, input.ScheduledActionName);
  }
}
