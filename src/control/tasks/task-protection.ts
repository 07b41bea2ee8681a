import type { Failure } from '@aws-sdk/client-ecs';
import { formatArn } from '../../lib/arn.js';
import type { Scope } from '../../lib/scope.js';
import type { Store } from '../../store/store.js';
import { CLUSTER_MEMBERS } from '../clusters/activity.js';
import type { Clusters } from '../clusters/clusters.js';
import { checkGet, checkUpdate, isProtectedAt, protectionAfter, protectionFailure, protectionView, type ProtectionView } from './protection.js';
import type { TaskRecord } from './task.js';
import { taskIdFrom } from './task-queries.js';

const TASKS = CLUSTER_MEMBERS.tasks;

/** UpdateTaskProtection's input, as the domain takes it. */
export interface UpdateProtectionInput {
  cluster: string | undefined;
  tasks: readonly string[];
  protectionEnabled: boolean;
  expiresInMinutes?: number;
}

/** What both operations answer: the tasks' protection and ECS's failures for the rest. */
export interface ProtectionResult {
  protectedTasks: ProtectionView[];
  failures: Failure[];
}

/**
 * Task scale-in protection (UpdateTaskProtection, GetTaskProtection). The protection is kept in
 * the task record, written in the same transaction that reads it, so it survives a restart and
 * the service scheduler sees it with the task; expiry is a comparison with the clock.
 */
export class TaskProtections {
  constructor(
    private readonly store: Store,
    private readonly clusters: Clusters,
  ) {}

  /** Turns protection on (for `expiresInMinutes`, 120 by default) or off for up to 10 tasks of a service. */
  async update(scope: Scope, input: UpdateProtectionInput): Promise<ProtectionResult> {
    checkUpdate(input.tasks, input.protectionEnabled, input.expiresInMinutes);
    const cluster = await this.clusters.get(scope, input.cluster);
    const now = scope.now.getTime();
    const protection = protectionAfter(input.protectionEnabled, input.expiresInMinutes, now);
    return this.store.transaction(async (tx) => {
      const c = tx.collection<TaskRecord>(TASKS);
      const out: ProtectionResult = { protectedTasks: [], failures: [] };
      for (const ref of input.tasks) {
        const id = taskIdFrom(scope, cluster.clusterName, ref);
        const task = id ? await c.get(`${cluster.clusterArn}/${id}`) : undefined;
        if (!task) {
          out.failures.push(missing(scope, cluster.clusterName, ref));
          continue;
        }
        const failure = protectionFailure(task);
        if (failure) {
          out.failures.push(failure);
          continue;
        }
        const { protection: _old, ...rest } = task;
        const next: TaskRecord = protection ? { ...rest, protection } : rest;
        await c.put(`${cluster.clusterArn}/${id}`, next);
        out.protectedTasks.push(protectionView(next, now));
      }
      return out;
    });
  }

  /** The protection of the tasks named; without names, of the cluster's protected service tasks. */
  async get(scope: Scope, clusterRef: string | undefined, refs: readonly string[] | undefined): Promise<ProtectionResult> {
    checkGet(refs);
    const cluster = await this.clusters.get(scope, clusterRef);
    const now = scope.now.getTime();
    const c = this.store.collection<TaskRecord>(TASKS);
    const out: ProtectionResult = { protectedTasks: [], failures: [] };
    if (refs === undefined) {
      for (const { value } of await c.list({ prefix: `${cluster.clusterArn}/` })) {
        if (!protectionFailure(value) && isProtectedAt(value.protection, now)) out.protectedTasks.push(protectionView(value, now));
      }
      return out;
    }
    for (const ref of refs) {
      const id = taskIdFrom(scope, cluster.clusterName, ref);
      const task = id ? await c.get(`${cluster.clusterArn}/${id}`) : undefined;
      const failure = task ? protectionFailure(task) : missing(scope, cluster.clusterName, ref);
      if (failure) out.failures.push(failure);
      else out.protectedTasks.push(protectionView(task!, now));
    }
    return out;
  }
}

/** ECS's failure for a task it does not know: the ARN it would have. */
function missing(scope: Scope, clusterName: string, ref: string): Failure {
  return { arn: ref.startsWith('arn:') ? ref : formatArn('ecs', scope.region, scope.accountId, `task/${clusterName}/${ref}`), reason: 'MISSING' };
}
