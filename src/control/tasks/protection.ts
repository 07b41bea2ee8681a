import type { Failure } from '@aws-sdk/client-ecs';
import { invalidParameter } from '../../lib/errors.js';
import type { TaskProtectionRecord, TaskRecord } from './task.js';

/** ECS protects a task for 2 hours when no expiry is given. */
export const DEFAULT_PROTECTION_MINUTES = 120;
/** The longest protection ECS grants: 48 hours. */
export const MAX_PROTECTION_MINUTES = 2880;
/** UpdateTaskProtection takes at most this many tasks; GetTaskProtection as many as DescribeTasks. */
export const MAX_UPDATE_TASKS = 10;
export const MAX_GET_TASKS = 100;

/** A task's protection as the API shows it (ProtectedTask, timestamps in epoch ms). */
export interface ProtectionView {
  taskArn: string;
  protectionEnabled: boolean;
  expirationDate?: number;
}

/** The checks of UpdateTaskProtection's input, before anything is read or stored. */
export function checkUpdate(tasks: readonly string[], protectionEnabled: boolean, expiresInMinutes: number | undefined): void {
  if (tasks.length === 0) throw invalidParameter('Tasks cannot be empty.');
  if (tasks.length > MAX_UPDATE_TASKS) throw invalidParameter(`Tasks cannot contain more than ${MAX_UPDATE_TASKS} elements.`);
  if (tasks.some((t) => t.length === 0)) throw invalidParameter('Task identifiers cannot be empty.');
  if (protectionEnabled && expiresInMinutes !== undefined && (!Number.isInteger(expiresInMinutes) || expiresInMinutes < 1 || expiresInMinutes > MAX_PROTECTION_MINUTES)) {
    throw invalidParameter(`expiresInMinutes must be between 1 and ${MAX_PROTECTION_MINUTES}.`);
  }
}

/** The checks of GetTaskProtection's input. */
export function checkGet(tasks: readonly string[] | undefined): void {
  if (tasks && tasks.length > MAX_GET_TASKS) throw invalidParameter(`Tasks cannot contain more than ${MAX_GET_TASKS} elements.`);
}

/** Whether the task is protected from scale-in at `now`. */
export const isProtectedAt = (protection: TaskProtectionRecord | undefined, now: number): boolean =>
  protection !== undefined && protection.expiresAt > now;

/** The protection an update sets at `now`: on for `expiresInMinutes` (120 by default), or off. */
export function protectionAfter(protectionEnabled: boolean, expiresInMinutes: number | undefined, now: number): TaskProtectionRecord | undefined {
  if (!protectionEnabled) return undefined;
  return { expiresAt: now + (expiresInMinutes ?? DEFAULT_PROTECTION_MINUTES) * 60_000 };
}

/** The ProtectedTask ECS answers for a task at `now`: an expired protection shows as off. */
export function protectionView(task: Pick<TaskRecord, 'taskArn' | 'protection'>, now: number): ProtectionView {
  return isProtectedAt(task.protection, now)
    ? { taskArn: task.taskArn, protectionEnabled: true, expirationDate: task.protection!.expiresAt }
    : { taskArn: task.taskArn, protectionEnabled: false };
}

/**
 * Why a stored task cannot be protected, as ECS words the failure: only tasks of a service can be
 * (a standalone task is TASK_NOT_VALID), and a stopped task has nothing left to protect.
 */
export function protectionFailure(task: TaskRecord): Failure | undefined {
  if (!task.group.startsWith('service:')) return { arn: task.taskArn, reason: 'TASK_NOT_VALID', detail: 'The task is not part of a service.' };
  if (task.lastStatus === 'STOPPED') return { arn: task.taskArn, reason: 'TASK_NOT_VALID', detail: 'The task is stopped.' };
  return undefined;
}
