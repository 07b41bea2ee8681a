/**
 * Capacity provider strategies (RunTask, CreateService, a cluster's default): the validation ECS
 * applies, and the split of a number of tasks over the providers. ECS's rules: the one provider with
 * a base gets its base first; the rest go by weight, a provider of weight 0 taking none. A service
 * keeps the ratio across scale-outs, so the split counts the tasks each provider already runs.
 */
import { invalidParameter } from '../lib/errors.js';

/** One item of a capacity provider strategy, as the API takes it. */
export interface CapacityProviderStrategyItem {
  capacityProvider: string;
  base?: number;
  weight?: number;
}

/** ECS accepts up to 20 capacity providers in one strategy. */
export const MAX_STRATEGY_PROVIDERS = 20;
/** The API's ranges for `weight` and `base`. */
export const MAX_WEIGHT = 1000;
export const MAX_BASE = 100_000;

const inRange = (n: number | undefined, max: number) => n === undefined || (Number.isInteger(n) && n >= 0 && n <= max);

/** Checks a strategy as ECS does; throws InvalidParameter. */
export function checkCapacityProviderStrategy(strategy: readonly CapacityProviderStrategyItem[]): void {
  if (strategy.length > MAX_STRATEGY_PROVIDERS) throw invalidParameter(`A capacity provider strategy can contain a maximum of ${MAX_STRATEGY_PROVIDERS} capacity providers.`);
  const seen = new Set<string>();
  for (const item of strategy) {
    if (!item.capacityProvider) throw invalidParameter('The capacity provider name must be specified.');
    if (seen.has(item.capacityProvider)) throw invalidParameter(`The capacity provider strategy contains the capacity provider ${item.capacityProvider} more than once.`);
    seen.add(item.capacityProvider);
    if (!inRange(item.weight, MAX_WEIGHT)) throw invalidParameter(`The weight for capacity provider ${item.capacityProvider} must be between 0 and ${MAX_WEIGHT}.`);
    if (!inRange(item.base, MAX_BASE)) throw invalidParameter(`The base for capacity provider ${item.capacityProvider} must be between 0 and ${MAX_BASE}.`);
  }
  if (strategy.filter((i) => (i.base ?? 0) > 0).length > 1) throw invalidParameter('Only one capacity provider in a capacity provider strategy can have a base defined.');
  if (strategy.length > 1 && strategy.every((i) => (i.weight ?? 0) === 0)) throw invalidParameter('At least one capacity provider in a capacity provider strategy must have a weight greater than zero.');
}

/**
 * How many of `count` new tasks each provider takes. Base first (less what the base provider already
 * runs), then task by task to the provider furthest below its weight's share of the weighted tasks,
 * counting `existing` ones (a task beyond the base on the base provider is a weighted one); ties go
 * to the provider listed first. Every provider of the strategy appears in the result, possibly with 0.
 */
export function splitByStrategy(strategy: readonly CapacityProviderStrategyItem[], count: number, existing: Readonly<Record<string, number>> = {}): Record<string, number> {
  checkCapacityProviderStrategy(strategy);
  const out: Record<string, number> = {};
  for (const item of strategy) out[item.capacityProvider] = 0;
  let left = Math.max(0, Math.floor(count));
  if (!left) return out;
  if (!strategy.length) throw invalidParameter('The capacity provider strategy must contain at least one capacity provider.');
  const weighted = strategy.map((item) => {
    const have = Math.max(0, existing[item.capacityProvider] ?? 0);
    const base = item.base ?? 0;
    const fill = Math.min(left, Math.max(0, base - have));
    out[item.capacityProvider]! += fill;
    left -= fill;
    return { name: item.capacityProvider, weight: item.weight ?? 0, n: Math.max(0, have - base) };
  });
  const takers = weighted.filter((w) => w.weight > 0);
  // A lone provider of weight 0 is valid: it takes everything.
  if (!takers.length) {
    out[strategy[0]!.capacityProvider]! += left;
    return out;
  }
  // The next task goes to the provider furthest below its share of the weighted tasks counting that
  // task: weight × (n + 1) / W - count, largest first (integers: no rounding).
  const total = takers.reduce((a, t) => a + t.weight, 0);
  let n = takers.reduce((a, t) => a + t.n, 0);
  for (; left > 0; left--) {
    n++;
    let best = takers[0]!;
    for (const t of takers) if (t.weight * n - t.n * total > best.weight * n - best.n * total) best = t;
    best.n++;
    out[best.name]!++;
  }
  return out;
}
