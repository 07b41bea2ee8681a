import type { TaskStateChange } from '../../agent-contract/task-contract.js';

/** Task statuses in ECS's order (the agent's own copy: lastStatus only moves forward). */
const ORDER = ['PROVISIONING', 'PENDING', 'ACTIVATING', 'RUNNING', 'DEACTIVATING', 'STOPPING', 'DEPROVISIONING', 'STOPPED'];

/**
 * Folds a change into a task's cumulative state: later values win, lastStatus never moves back,
 * containers merge by name. The cumulative state is itself a valid report, and sending it again
 * changes nothing on the control plane, which is what makes re-sending after a restart safe.
 */
export function foldChange(state: TaskStateChange, change: TaskStateChange): TaskStateChange {
  const { containers, lastStatus, ...rest } = change;
  const next: TaskStateChange = { ...state, ...Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) };
  if (lastStatus && ORDER.indexOf(lastStatus) > ORDER.indexOf(state.lastStatus ?? '')) next.lastStatus = lastStatus;
  if (containers) {
    const merged = { ...state.containers };
    for (const [name, fields] of Object.entries(containers)) merged[name] = { ...merged[name], ...fields };
    next.containers = merged;
  }
  return next;
}

