/**
 * Scaling activities: one record per change of capacity (or per decision not to scale, shown with
 * IncludeNotScaledActivities), worded as AWS words them: Description "Setting desired count to 4.",
 * Cause "monitor alarm <name> in state ALARM triggered policy <policy>".
 */
import { randomUUID } from 'node:crypto';
import type { Scope } from '../lib/scope.js';
import type { Store, Transaction } from '../store/store.js';
import { activityKey, COLLECTIONS, type ActivityRecord, type TargetRecord } from './records.js';
import { checkNamespace } from './target-refs.js';

/** Activities kept per target; older ones are dropped (AWS keeps six weeks). */
const KEPT_PER_TARGET = 1000;

/** The parts of an activity a caller chooses. */
export type ActivityContent = Pick<ActivityRecord, 'Description' | 'Cause' | 'StatusCode'> & Partial<Pick<ActivityRecord, 'StatusMessage' | 'NotScaledReasons' | 'EndTime'>>;

/** Writes a new activity of `target` in `tx`; answers it. */
export async function recordActivity(tx: Transaction, target: TargetRecord, now: number, content: ActivityContent): Promise<ActivityRecord> {
  const activity: ActivityRecord = {
    ActivityId: randomUUID(),
    ServiceNamespace: 'ecs',
    ResourceId: target.ResourceId,
    ScalableDimension: target.ScalableDimension,
    StartTime: now,
    ...content,
  };
  const c = tx.collection<ActivityRecord>(COLLECTIONS.activities);
  await c.put(activityKey(target.key, now, activity.ActivityId), activity);
  const all = await c.list({ prefix: `${target.key}#` });
  for (const old of all.slice(KEPT_PER_TARGET)) await c.delete(old.key);
  return activity;
}

/** Finishes an activity (found by id among `target`'s). */
export async function finishActivity(tx: Transaction, target: TargetRecord, id: string, update: Partial<ActivityRecord>): Promise<void> {
  const c = tx.collection<ActivityRecord>(COLLECTIONS.activities);
  const row = (await c.list({ prefix: `${target.key}#` })).find((r) => r.value.ActivityId === id);
  if (row) await c.put(row.key, { ...row.value, ...update });
}

/** DescribeScalingActivities' filter. */
export interface ActivityFilter {
  ServiceNamespace: string;
  ResourceId?: string;
  ScalableDimension?: string;
  IncludeNotScaledActivities?: boolean;
}

/** The activities matching `filter`, newest first. */
export async function listActivities(store: Store, scope: Scope, filter: ActivityFilter): Promise<ActivityRecord[]> {
  checkNamespace(filter.ServiceNamespace, filter.ScalableDimension);
  const rows = await store.collection<ActivityRecord>(COLLECTIONS.activities).list({ prefix: `${scope.accountId}/${scope.region}/ecs/` });
  return rows
    .map((r) => r.value)
    .filter(
      (a) =>
        (filter.ResourceId === undefined || a.ResourceId === filter.ResourceId) &&
        (filter.ScalableDimension === undefined || a.ScalableDimension === filter.ScalableDimension) &&
        (filter.IncludeNotScaledActivities === true || a.NotScaledReasons === undefined),
    )
    .sort((a, b) => b.StartTime - a.StartTime);
}
