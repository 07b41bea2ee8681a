import { RolloutState, type DeploymentRecord, type ServiceRecord } from './service.js';
import { isHealthy, isLive, isWanted, type InstanceView, type TaskView } from './task-view.js';

/** What the DAEMON strategy decides for one tick. */
export interface DaemonPlan {
  /** One task per ACTIVE container instance. */
  desired: number;
  stop: Array<{ task: TaskView; reason: string }>;
  /** The instances that get a task of the primary deployment now. */
  startOn: string[];
}

/**
 * DAEMON: one task of the primary deployment on every ACTIVE container instance. Tasks on
 * instances that are no longer ACTIVE are stopped; on each instance an older deployment's task
 * is replaced within the percentages (applied per instance: with maximumPercent below 200 the
 * old task stops first, with minimumHealthyPercent above 0 the new one must be healthy first).
 */
export function planDaemon(
  s: ServiceRecord,
  primary: DeploymentRecord,
  tasks: readonly TaskView[],
  instances: readonly InstanceView[],
  stopping: ReadonlySet<string>,
): DaemonPlan {
  const active = instances.filter((i) => i.status === 'ACTIVE').map((i) => i.containerInstanceArn);
  const activeSet = new Set(active);
  const max = s.deploymentConfiguration.maximumPercent ?? 100;
  const min = s.deploymentConfiguration.minimumHealthyPercent ?? 0;
  const perInstance = Math.max(1, Math.floor(max / 100));
  const plan: DaemonPlan = { desired: active.length, stop: [], startOn: [] };
  const wanted = tasks.filter((t) => isWanted(t) && !stopping.has(t.taskArn));

  for (const t of wanted) {
    if (t.containerInstanceArn === undefined || !activeSet.has(t.containerInstanceArn)) {
      plan.stop.push({ task: t, reason: 'Container instance is not active' });
    }
  }
  for (const arn of active) {
    const here = wanted.filter((t) => t.containerInstanceArn === arn);
    const mine = here.filter((t) => t.startedBy === primary.id);
    const old = here.filter((t) => t.startedBy !== primary.id);
    for (const extra of mine.slice(1)) plan.stop.push({ task: extra, reason: `Scaling activity initiated by (deployment ${primary.id})` });
    const replaced = mine.length > 0 && mine.some(isHealthy);
    for (const t of old) {
      if (min === 0 || replaced || !isHealthy(t)) plan.stop.push({ task: t, reason: `Scaling activity initiated by (deployment ${primary.id})` });
    }
    // A task being stopped still occupies the instance until it is STOPPED.
    const occupying = tasks.filter((t) => isLive(t) && t.containerInstanceArn === arn).length;
    const failed = primary.rolloutState === RolloutState.Failed;
    if (!failed && mine.length === 0 && occupying < perInstance) plan.startOn.push(arn);
  }
  return plan;
}
