import type { CapacityProviderStrategyItem } from '@aws-sdk/client-ecs';
import type { Transaction } from '../../store/store.js';
import { CLUSTER_MEMBERS } from './activity.js';

/** What a service or task document tells about the capacity it uses (their owners keep the rest). */
interface MemberUse {
  status?: string;
  lastStatus?: string;
  capacityProviderName?: string;
  capacityProviderStrategy?: CapacityProviderStrategyItem[];
}

/**
 * The providers among `names` that the cluster still uses: named in the strategy of a service
 * that is not INACTIVE, or the provider of a task that is not STOPPED.
 */
export async function providersInUse(tx: Transaction, clusterArn: string, names: readonly string[]): Promise<string[]> {
  if (names.length === 0) return [];
  const prefix = `${clusterArn}/`;
  const [services, tasks] = await Promise.all([
    tx.collection<MemberUse>(CLUSTER_MEMBERS.services).list({ prefix }),
    tx.collection<MemberUse>(CLUSTER_MEMBERS.tasks).list({ prefix }),
  ]);
  const used = new Set<string>();
  for (const { value: s } of services) {
    if (s.status === 'INACTIVE') continue;
    for (const item of s.capacityProviderStrategy ?? []) if (item.capacityProvider) used.add(item.capacityProvider);
  }
  for (const { value: t } of tasks) {
    if (t.lastStatus !== 'STOPPED' && t.capacityProviderName) used.add(t.capacityProviderName);
  }
  return names.filter((n) => used.has(n));
}
