import type { CapacityProviderStrategyItem, ClusterSetting } from '@aws-sdk/client-ecs';
import { invalidParameter } from '../../lib/errors.js';
import type { Scope } from '../../lib/scope.js';

/** The values ECS accepts for the `containerInsights` cluster setting. */
const CONTAINER_INSIGHTS = new Set(['enabled', 'disabled', 'enhanced']);

/** Rejects cluster settings ECS rejects. */
export function checkClusterSettings(settings: readonly ClusterSetting[]): void {
  for (const s of settings) {
    if (s.name === 'containerInsights' && !CONTAINER_INSIGHTS.has(s.value ?? '')) {
      throw invalidParameter(
        `The value '${s.value ?? ''}' is not valid for the containerInsights setting. Valid values are: enabled, disabled, enhanced.`,
      );
    }
  }
}

/** Rejects a default capacity provider strategy ECS rejects. */
export function checkCapacityProviderStrategy(
  providers: readonly string[],
  strategy: readonly CapacityProviderStrategyItem[],
): void {
  const names = new Set<string>();
  let withBase = 0;
  for (const item of strategy) {
    const name = item.capacityProvider ?? '';
    if (names.has(name)) {
      throw invalidParameter('The specified capacity provider strategy cannot contain duplicate capacity providers.');
    }
    names.add(name);
    if (!providers.includes(name)) {
      throw invalidParameter(
        `The specified capacity provider strategy includes ${name}, which is not associated with the cluster.`,
      );
    }
    if ((item.base ?? 0) > 0) withBase += 1;
  }
  if (withBase > 1) {
    throw invalidParameter('Only one capacity provider in a capacity provider strategy can have a base defined.');
  }
  // The weight and base ranges (0–1000, 0–100000) are the model's, checked at the front door.
  if (strategy.length > 0 && strategy.every((i) => (i.weight ?? 0) === 0)) {
    throw invalidParameter('At least one capacity provider in a capacity provider strategy must have a weight greater than zero.');
  }
  const isFargate = (i: CapacityProviderStrategyItem) => i.capacityProvider === 'FARGATE' || i.capacityProvider === 'FARGATE_SPOT';
  const fargate = strategy.some(isFargate);
  const other = strategy.some((i) => !isFargate(i));
  if (fargate && other) {
    throw invalidParameter(
      'A capacity provider strategy cannot contain a mix of capacity providers using Auto Scaling groups and Fargate providers. Specify one or the other and try again.',
    );
  }
}

/** ECS's limit on capacity providers associated with one cluster. */
export const MAX_CLUSTER_CAPACITY_PROVIDERS = 20;

/** Rejects a cluster's capacity provider list ECS rejects before looking the providers up. */
export function checkClusterProviderList(providers: readonly string[]): void {
  if (providers.length > MAX_CLUSTER_CAPACITY_PROVIDERS) {
    throw invalidParameter('The maximum number of capacity providers per cluster has been exceeded.');
  }
  if (new Set(providers).size !== providers.length) {
    throw invalidParameter('The specified capacity providers cannot contain duplicates.');
  }
}

/** Which capacity providers exist: the clusters domain asks, the capacity providers domain answers. */
export interface CapacityProviderLookup {
  /** Tells whether `name` is FARGATE, FARGATE_SPOT or an ACTIVE provider of the scope's account. */
  isActive(scope: Scope, name: string): Promise<boolean>;
}

/** Without capacity providers wired in, only the built-in Fargate ones exist. */
export const FARGATE_ONLY: CapacityProviderLookup = {
  isActive: async (_scope, name) => name === 'FARGATE' || name === 'FARGATE_SPOT',
};

/** Rejects providers that are neither built in nor ACTIVE providers of the account. */
export async function checkProvidersExist(scope: Scope, lookup: CapacityProviderLookup, providers: readonly string[]): Promise<void> {
  for (const name of providers) {
    if (!(await lookup.isActive(scope, name))) {
      throw invalidParameter(`The specified capacity provider ${name} does not exist or is not ACTIVE. Specify a valid capacity provider and try again.`);
    }
  }
}
