/**
 * Validation of placement constraints and strategies as ECS does it before anything runs (RunTask,
 * CreateService, UpdateService), producing the normalized rules the placer applies. memberOf
 * expressions are parsed here, once.
 */
import { invalidParameter } from '../lib/errors.js';
import { compileFilter } from './query-language.js';
import type { InstanceSnapshot, PlacementConstraintInput, PlacementStrategyInput } from './types.js';

/** ECS accepts up to 10 constraints per task (task definition's and the request's together). */
export const MAX_PLACEMENT_CONSTRAINTS = 10;
/** ECS accepts up to 5 strategy rules. */
export const MAX_PLACEMENT_STRATEGIES = 5;

/**
 * What a service places with when it names no strategy: ECS documents its default as balancing the
 * service's tasks across Availability Zones, favouring the instances with the fewest of them.
 */
export const DEFAULT_SERVICE_STRATEGY: readonly PlacementStrategyInput[] = [
  { type: 'spread', field: 'attribute:ecs.availability-zone' },
  { type: 'spread', field: 'instanceId' },
];

/** One strategy step, normalized. */
export type StrategyStep =
  /** Fewest of what is left of `resource` after placement first. */
  | { type: 'binpack'; resource: 'cpu' | 'memory' }
  /** Fewest tasks of the group per value of the field first; `instanceId` and `host` both spread over instances. */
  | { type: 'spread'; by: 'instance' }
  | { type: 'spread'; by: 'attribute'; attribute: string }
  /** Uniformly among the candidates still tied. */
  | { type: 'random' };

/** The constraints and strategy of one placement, checked and compiled. */
export interface PlacementRules {
  /** Every memberOf expression, compiled; an instance must satisfy all. */
  memberOf: ((instance: InstanceSnapshot) => boolean)[];
  /** No two tasks of the group on one instance. */
  distinctInstance: boolean;
  strategy: StrategyStep[];
}

function constraintOf(c: PlacementConstraintInput, rules: PlacementRules): void {
  const type = c.type as string;
  if (type === 'distinctInstance') {
    if (c.expression !== undefined) throw invalidParameter('distinctInstance expression should not be specified.');
    rules.distinctInstance = true;
  } else if (type === 'memberOf') {
    if (c.expression === undefined || c.expression.trim() === '') throw invalidParameter('memberOf expression must be specified.');
    rules.memberOf.push(compileFilter(c.expression));
  } else {
    throw invalidParameter(`Invalid placement constraint type: ${String(type)}. Valid types are distinctInstance and memberOf.`);
  }
}

function stepOf(s: PlacementStrategyInput): StrategyStep {
  const type = s.type as string;
  const field = s.field;
  switch (type) {
    case 'binpack': {
      // ECS takes the field in any case (MEMORY, Memory) and keeps binpacking on it.
      const resource = field?.toLowerCase();
      if (resource !== 'cpu' && resource !== 'memory') throw invalidParameter(`Invalid field for binpack placement strategy: ${field ?? '(none)'}. Valid values are cpu and memory.`);
      return { type: 'binpack', resource };
    }
    case 'spread': {
      if (field === undefined || field.trim() === '') throw invalidParameter('spread placement strategy requires a field: instanceId, host or attribute:<name>.');
      if (field === 'instanceId' || field === 'host') return { type: 'spread', by: 'instance' };
      if (field.startsWith('attribute:') && field.length > 'attribute:'.length) return { type: 'spread', by: 'attribute', attribute: field.slice('attribute:'.length) };
      throw invalidParameter(`Invalid field for spread placement strategy: ${field}. Valid values are instanceId, host and attribute:<name>.`);
    }
    case 'random':
      // The API reference says the field "is not used" for random: accepted and ignored.
      return { type: 'random' };
    default:
      throw invalidParameter(`Invalid placement strategy type: ${String(type)}. Valid types are random, spread and binpack.`);
  }
}

/** Checks constraints and strategy as ECS does; throws InvalidParameter with ECS's message where known. */
export function checkPlacement(constraints: readonly PlacementConstraintInput[] = [], strategy: readonly PlacementStrategyInput[] = []): PlacementRules {
  if (constraints.length > MAX_PLACEMENT_CONSTRAINTS) throw invalidParameter(`You can specify a maximum of ${MAX_PLACEMENT_CONSTRAINTS} placement constraints.`);
  if (strategy.length > MAX_PLACEMENT_STRATEGIES) throw invalidParameter(`You can specify a maximum of ${MAX_PLACEMENT_STRATEGIES} placement strategies.`);
  const rules: PlacementRules = { memberOf: [], distinctInstance: false, strategy: [] };
  for (const c of constraints) constraintOf(c, rules);
  rules.strategy = strategy.map(stepOf);
  return rules;
}
