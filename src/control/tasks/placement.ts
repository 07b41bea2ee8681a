import type { CapacityProviderStrategyItem, Failure, RunTaskRequest } from '@aws-sdk/client-ecs';
import { invalidParameter } from '../../lib/errors.js';
import type { Scope } from '../../lib/scope.js';
import { splitByStrategy } from '../../placement/capacity-split.js';
import { place } from '../../placement/place.js';
import type { InstanceSnapshot, PlacementConstraintInput, PlacementStrategyInput } from '../../placement/types.js';
// FARGATE and FARGATE_SPOT run on the control host.
import { isFargateProvider } from '../capacity-providers/capacity-provider.js';
import type { TaskDefinitionRecord } from '../task-definitions/task-definition.js';
import type { TaskSize } from './task-size.js';

/** What the placement needs to know of the cluster's container instances and capacity providers. */
export interface PlacementPorts {
  /** The cluster's container instances as the scheduler sees them (none until an agent joins). */
  instances(clusterArn: string): Promise<InstanceSnapshot[]>;
  /** The agent group an EC2-style capacity provider selects; undefined for an unknown provider. */
  providerGroup(scope: Scope, providerName: string): Promise<string | undefined>;
  /** The attribute that names an agent's group. */
  groupAttribute: string;
}

/** A cluster without container instances and without capacity providers. */
export const NO_INSTANCES: PlacementPorts = {
  instances: async () => [],
  providerGroup: async () => undefined,
  groupAttribute: '',
};

/** Some of a RunTask's tasks, all with one launch type (and capacity provider). */
export interface LaunchGroup {
  launchType: 'FARGATE' | 'EC2';
  capacityProviderName?: string;
  count: number;
}

/**
 * Splits a RunTask's count over launch groups: one group for a launch type, else by the
 * request's (or the cluster's default) capacity provider strategy, base first, then weight,
 * counting the tasks a service already runs on each provider.
 * Without either, ECS runs EC2 tasks.
 */
export function launchGroups(
  input: RunTaskRequest,
  clusterStrategy: readonly CapacityProviderStrategyItem[],
  /** Tasks already running per provider (a service's), which count toward base and weight. */
  existing: Readonly<Record<string, number>> = {},
): LaunchGroup[] {
  const count = input.count ?? 1;
  if (input.launchType) return [{ launchType: input.launchType === 'FARGATE' ? 'FARGATE' : 'EC2', count }];
  const strategy = input.capacityProviderStrategy?.length ? input.capacityProviderStrategy : clusterStrategy;
  if (strategy.length === 0) return [{ launchType: 'EC2', count }];
  const items = strategy.map((s) => ({ capacityProvider: s.capacityProvider ?? '', base: s.base ?? 0, weight: s.weight ?? 0 }));
  return Object.entries(splitByStrategy(items, count, existing))
    .filter(([, n]) => n > 0)
    .map(([name, n]) => ({ launchType: isFargateProvider(name) ? 'FARGATE' : 'EC2', capacityProviderName: name, count: n }));
}

/** The host ports a task publishes (bridge and host network modes; awsvpc tasks publish none). */
export function hostPortsOf(td: TaskDefinitionRecord): number[] {
  if (td.networkMode === 'awsvpc') return [];
  const host = td.networkMode === 'host';
  return (td.containerDefinitions ?? []).flatMap((c) =>
    (c.portMappings ?? []).map((p) => (host ? p.containerPort : p.hostPort) ?? 0).filter((p) => p > 0),
  );
}

/** Where the tasks of one EC2 launch group go: an instance each, or a failure each. */
export interface InstancePlacement {
  /** False when the cluster has no container instances at all: the control host runs the group. */
  onInstances: boolean;
  placements: InstanceSnapshot[];
  failures: Failure[];
}

/**
 * Places an EC2 launch group on the cluster's container instances with the scheduler. A cluster
 * without any instance (and a group without a capacity provider) is minato's single-host case:
 * the control host runs the tasks, as it runs Fargate ones.
 */
export async function placeOnInstances(
  ports: PlacementPorts,
  scope: Scope,
  clusterArn: string,
  group: LaunchGroup,
  request: { size: TaskSize; hostPorts: number[]; taskGroup: string; constraints: PlacementConstraintInput[]; strategy: PlacementStrategyInput[] },
): Promise<InstancePlacement> {
  let instances = await ports.instances(clusterArn);
  if (group.capacityProviderName) {
    const agentGroup = await ports.providerGroup(scope, group.capacityProviderName);
    if (agentGroup === undefined) throw invalidParameter(`The specified capacity provider ${group.capacityProviderName} was not found.`);
    instances = instances.filter((i) => i.attributes[ports.groupAttribute] === agentGroup);
    if (instances.length === 0) throw invalidParameter('No Container Instances were found in your capacity provider.');
  } else if (instances.length === 0) {
    return { onInstances: false, placements: [], failures: [] };
  }
  const byArn = new Map(instances.map((i) => [i.containerInstanceArn, i]));
  const result = place(
    instances,
    {
      count: group.count,
      cpu: request.size.cpu,
      memory: request.size.memory,
      hostPorts: request.hostPorts,
      group: request.taskGroup,
      constraints: request.constraints,
      strategy: request.strategy,
    },
    Math.random,
  );
  return {
    onInstances: true,
    placements: result.placements.map((arn) => byArn.get(arn)!),
    failures: result.failures.map((f) => ({ reason: f.reason, ...(f.arn && { arn: f.arn }), ...(f.detail && { detail: f.detail }) })),
  };
}
