/**
 * Application Auto Scaling for ECS services' desired counts, over the main store: targets,
 * policies, scheduled actions, activities, and the executor the alarm evaluator and the
 * scheduler loop drive.
 */
import { TickLoop } from '../lib/tick-loop.js';
import type { Store } from '../store/store.js';
import { PendingUpdates } from './pending-updates.js';
import { ScalingPolicies } from './policies.js';
import type { Alarms, EcsServiceTarget } from './ports.js';
import { ScalingExecutor } from './scaling-executor.js';
import { ScheduledActions } from './scheduled-actions.js';
import { ScalableTargets } from './targets.js';

/** The domain's parts. */
export interface ApplicationAutoScaling {
  store: Store;
  targets: ScalableTargets;
  policies: ScalingPolicies;
  scheduled: ScheduledActions;
  executor: ScalingExecutor;
  /** Starts the scheduler loop (first tick at once: runs that fell due while stopped run now, once). */
  start(onError: (err: unknown) => void): void;
  /** Stops the loop and waits for a tick under way. */
  stop(): Promise<void>;
}

/** Wires the domain over `store` and its two ports. */
export function createApplicationAutoScaling(store: Store, ports: { alarms: Alarms; ecs: EcsServiceTarget }, options: { tickMs?: number } = {}): ApplicationAutoScaling {
  const executor = new ScalingExecutor(store, ports.ecs);
  // Policy puts and deletes and deregistrations of one target exclude each other.
  const updates = new PendingUpdates();
  let loop: TickLoop | undefined;
  return {
    store,
    targets: new ScalableTargets(store, ports.ecs, ports.alarms, (now, key) => executor.settle(now, key), updates),
    policies: new ScalingPolicies(store, ports.alarms, updates),
    scheduled: new ScheduledActions(store),
    executor,
    start(onError) {
      loop = new TickLoop(() => executor.tick(new Date()), options.tickMs ?? 5_000, onError);
      loop.start();
    },
    async stop() {
      await loop?.stop();
    },
  };
}
