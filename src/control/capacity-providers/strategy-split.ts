import type { CapacityProviderStrategyItem } from '@aws-sdk/client-ecs';

/** How many tasks each provider of a strategy takes. */
export type StrategySplit = Map<string, number>;

/**
 * Splits `count` new tasks over a capacity provider strategy as ECS does: first each provider's
 * `base` is filled (at most one provider has a base), then every further task goes to the provider
 * whose share falls furthest behind its `weight` (providers with weight 0 take only their base).
 * `existing` counts tasks already running per provider (a service's), which count toward both
 * the base and the weighted shares, so repeated calls converge on the same proportions.
 * Ties go to the provider listed first. Returns the provider of each new task, in order.
 */
export function splitByStrategy(
  strategy: readonly CapacityProviderStrategyItem[],
  count: number,
  existing: Readonly<Record<string, number>> = {},
): string[] {
  const items = strategy.map((s) => ({
    name: s.capacityProvider ?? '',
    base: s.base ?? 0,
    weight: s.weight ?? 0,
    have: existing[s.capacityProvider ?? ''] ?? 0,
  }));
  const out: string[] = [];
  // Bases first, in strategy order.
  for (const item of items) {
    while (item.have < item.base && out.length < count) {
      item.have += 1;
      out.push(item.name);
    }
  }
  const weighted = items.filter((i) => i.weight > 0);
  if (weighted.length === 0) return out;
  // Beyond its base, the next task goes to the provider furthest behind its weighted share of the
  // tasks so far plus this one: every prefix of the split stays within one task of the weights.
  const total = weighted.reduce((n, i) => n + i.weight, 0);
  const beyond = (i: (typeof items)[number]) => Math.max(0, i.have - i.base);
  let placed = weighted.reduce((n, i) => n + beyond(i), 0);
  while (out.length < count) {
    placed += 1;
    const lag = (i: (typeof items)[number]) => (placed * i.weight) / total - beyond(i);
    let best = weighted[0]!;
    for (const item of weighted) if (lag(item) > lag(best)) best = item;
    best.have += 1;
    out.push(best.name);
  }
  return out;
}

/** The number of new tasks per provider that {@link splitByStrategy} chose. */
export function countByProvider(providers: readonly string[]): StrategySplit {
  const counts: StrategySplit = new Map();
  for (const p of providers) counts.set(p, (counts.get(p) ?? 0) + 1);
  return counts;
}
