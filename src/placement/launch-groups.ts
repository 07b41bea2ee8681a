/**
 * The launch groups of a request: its tasks split by launch type, or by capacity provider (base
 * first, then weight; see capacity-split.ts). FARGATE and FARGATE_SPOT are ECS's built-in providers
 * and run Fargate tasks; every other provider is EC2-style and runs on its own container instances.
 */
import { splitByStrategy, type CapacityProviderStrategyItem } from './capacity-split.js';

/** ECS's built-in providers: every account has them, in every region; they run on the control host. */
export const FargateProvider = { Fargate: 'FARGATE', FargateSpot: 'FARGATE_SPOT' } as const;
/** One of {@link FargateProvider}. */
export type FargateProvider = (typeof FargateProvider)[keyof typeof FargateProvider];

/** Tells whether `name` is one of ECS's built-in Fargate providers. */
export const isFargateProvider = (name: string): name is FargateProvider =>
  name === FargateProvider.Fargate || name === FargateProvider.FargateSpot;

/** The launch types minato places: Fargate tasks go to the control host, EC2 ones to container instances. */
export type LaunchType = 'FARGATE' | 'EC2';

/** Some of a request's tasks, all with one launch type (and capacity provider). */
export interface LaunchGroup {
  launchType: LaunchType;
  capacityProviderName?: string;
  count: number;
}

/** How a request says where its tasks run: a launch type, or a capacity provider strategy, or neither. */
export interface LaunchChoice {
  count: number;
  launchType?: string;
  capacityProviderStrategy?: readonly CapacityProviderStrategyItem[];
}

/**
 * Splits a request's count over launch groups: one group for a launch type, else by the request's
 * (or the cluster's default) capacity provider strategy, counting the tasks a service already runs
 * on each provider. Without either, ECS runs EC2 tasks.
 */
export function launchGroups(
  choice: LaunchChoice,
  clusterStrategy: readonly CapacityProviderStrategyItem[],
  /** Tasks already running per provider (a service's), which count toward base and weight. */
  existing: Readonly<Record<string, number>> = {},
): LaunchGroup[] {
  const { count } = choice;
  if (choice.launchType) return [{ launchType: choice.launchType === 'FARGATE' ? 'FARGATE' : 'EC2', count }];
  const strategy = choice.capacityProviderStrategy?.length ? choice.capacityProviderStrategy : clusterStrategy;
  if (strategy.length === 0) return [{ launchType: 'EC2', count }];
  return Object.entries(splitByStrategy(strategy, count, existing))
    .filter(([, n]) => n > 0)
    .map(([name, n]) => ({ launchType: isFargateProvider(name) ? 'FARGATE' : 'EC2', capacityProviderName: name, count: n }));
}
