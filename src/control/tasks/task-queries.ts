/** ListTasks' filters and the task references ECS accepts, as pure functions over task records. */
import { parseArn } from '../../lib/arn.js';
import { invalidParameter } from '../../lib/errors.js';
import { decodeToken, encodeToken, type Page } from '../../lib/pagination.js';
import type { Scope } from '../../lib/scope.js';
import { TaskStatus, type TaskRecord } from './task.js';

/** Filters of ListTasks. */
export interface ListTasksFilter {
  family?: string;
  startedBy?: string;
  serviceName?: string;
  desiredStatus?: 'RUNNING' | 'PENDING' | 'STOPPED';
  launchType?: string;
  containerInstance?: string;
  maxResults: number;
  nextToken?: string;
}

/** One page of the ARNs of the tasks (stored rows, in key order) that the filter keeps. */
export function listPage(rows: readonly { key: string; value: TaskRecord }[], filter: ListTasksFilter): Page<string> {
  if (filter.family !== undefined && filter.serviceName !== undefined) {
    throw invalidParameter('family and serviceName cannot be specified together.');
  }
  const desired = filter.desiredStatus ?? 'RUNNING';
  const kept = rows.filter(({ value: t }) => {
    // A task draining its load-balancer targets before its stop is listed as being stopped, as in ECS.
    const desiredStatus = t.traffic?.stop ? 'STOPPED' : t.desiredStatus;
    if (desired === 'PENDING' ? t.lastStatus !== TaskStatus.Pending && t.lastStatus !== TaskStatus.Provisioning : desiredStatus !== desired) return false;
    if (filter.family !== undefined && !t.taskDefinitionArn.includes(`:task-definition/${filter.family}:`)) return false;
    if (filter.startedBy !== undefined && t.startedBy !== filter.startedBy) return false;
    if (filter.serviceName !== undefined && t.group !== `service:${filter.serviceName}`) return false;
    if (filter.launchType !== undefined && t.launchType !== filter.launchType) return false;
    if (filter.containerInstance !== undefined && !sameInstance(t.containerInstanceArn, filter.containerInstance)) return false;
    return true;
  });
  const after = decodeToken('tasks', filter.nextToken);
  const start = after === undefined ? 0 : kept.findIndex((r) => r.key > after);
  const from = start < 0 ? kept.length : start;
  const page = kept.slice(from, from + filter.maxResults);
  const more = from + filter.maxResults < kept.length;
  return {
    items: page.map((r) => r.value.taskArn),
    ...(more && { nextToken: encodeToken('tasks', page[page.length - 1]!.key) }),
  };
}

/** The task id a reference names in this cluster: a bare id, or a (long or short) task ARN. */
export function taskIdFrom(scope: Scope, clusterName: string, ref: string): string | undefined {
  const arn = parseArn(ref);
  if (!arn) return /^[a-f0-9]{32}$/.test(ref) ? ref : undefined;
  if (arn.service !== 'ecs' || arn.region !== scope.region || arn.accountId !== scope.accountId) return undefined;
  const parts = arn.resource.split('/');
  if (parts[0] !== 'task') return undefined;
  if (parts.length === 3 && parts[1] !== clusterName) return undefined;
  return parts[parts.length - 1];
}

/** Whether a task's instance is the one a ListTasks filter names (by ARN or by id). */
function sameInstance(arn: string | undefined, ref: string): boolean {
  return arn !== undefined && (arn === ref || arn.endsWith(`/${ref}`));
}
