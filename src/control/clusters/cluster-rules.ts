import type { CapacityProviderStrategyItem, ClusterSetting } from '@aws-sdk/client-ecs';
import { invalidParameter } from '../../lib/errors.js';

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
  if (strategy.length > 0 && strategy.every((i) => (i.weight ?? 0) === 0)) {
    throw invalidParameter('At least one capacity provider in a capacity provider strategy must have a weight greater than zero.');
  }
  const fargate = strategy.some((i) => i.capacityProvider?.startsWith('FARGATE'));
  const other = strategy.some((i) => !i.capacityProvider?.startsWith('FARGATE'));
  if (fargate && other) {
    throw invalidParameter('A capacity provider strategy cannot contain a mix of capacity providers using Auto Scaling groups and Fargate providers.');
  }
}
