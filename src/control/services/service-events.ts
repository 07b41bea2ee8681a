import type { Store } from '../../store/store.js';
import { randomUUID } from 'node:crypto';
import { CLUSTER_MEMBERS } from '../clusters/activity.js';
import { MAX_EVENTS, type ServiceRecord } from './service.js';

/**
 * Adds events to a service from outside the scheduler (the capacity provisioner's scaling
 * news), newest first and within ECS's 100-event window. The version moves on, so a scheduler
 * tick that read the service before keeps only its own events and recomputes next tick.
 * Returns false when the service is gone.
 */
export async function appendServiceEvents(store: Store, clusterArn: string, serviceName: string, messages: readonly string[], now: Date): Promise<boolean> {
  if (messages.length === 0) return true;
  const key = `${clusterArn}/${serviceName}`;
  return store.transaction(async (tx) => {
    const c = tx.collection<ServiceRecord>(CLUSTER_MEMBERS.services);
    const current = await c.get(key);
    if (!current) return false;
    const fresh = messages.map((message) => ({ id: randomUUID(), createdAt: now.getTime(), message })).reverse();
    await c.put(key, { ...current, events: [...fresh, ...current.events].slice(0, MAX_EVENTS), version: current.version + 1 });
    return true;
  });
}
