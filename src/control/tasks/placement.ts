/**
 * The placement step of RunTask and StartTask: the request in the planner's own terms (launch
 * groups, task shape), and the snapshot the planner reads, taken inside the store transaction that
 * applies the plan. The decisions themselves are placement/plan.ts's.
 */
import type { CapacityProviderStrategyItem, Failure, RunTaskRequest } from '@aws-sdk/client-ecs';
import type { Scope } from '../../lib/scope.js';
import { launchGroups as splitLaunch, type LaunchGroup } from '../../placement/launch-groups.js';
import { reachesControlHost, type PlanSnapshot } from '../../placement/plan.js';
import type { InstanceSnapshot, PlacementFailure } from '../../placement/types.js';
import type { Transaction } from '../../store/store.js';
import { CLUSTER_MEMBERS } from '../clusters/activity.js';
import { controlHostUsage } from '../container-instances/instance-usage.js';
import { controlHostSnapshot } from '../container-instances/snapshot.js';
import type { TaskDefinitionRecord } from '../task-definitions/task-definition.js';
import type { TaskRecord } from './task.js';

export type { LaunchGroup } from '../../placement/launch-groups.js';

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

/** The control host's machine and how far its CPU is shared among Fargate tasks. */
export interface ControlHostPorts {
  capacity(): { cpu: number; memory: number };
  fargateCpuOvercommit: number;
}

/** The one availability zone of the control host, per region. */
export const zoneOf = (region: string) => `${region}a`;

/**
 * Splits a RunTask's count over launch groups (placement/launch-groups.ts): by launch type, else by
 * the request's or the cluster's default capacity provider strategy, counting a service's tasks.
 */
export function launchGroups(
  input: Pick<RunTaskRequest, 'count' | 'launchType' | 'capacityProviderStrategy'>,
  clusterStrategy: readonly CapacityProviderStrategyItem[],
  existing: Readonly<Record<string, number>> = {},
): LaunchGroup[] {
  const items = (strategy: readonly CapacityProviderStrategyItem[]) =>
    strategy.map((s) => ({ capacityProvider: s.capacityProvider ?? '', base: s.base ?? 0, weight: s.weight ?? 0 }));
  return splitLaunch(
    {
      count: input.count ?? 1,
      ...(input.launchType && { launchType: input.launchType }),
      ...(input.capacityProviderStrategy && { capacityProviderStrategy: items(input.capacityProviderStrategy) }),
    },
    items(clusterStrategy),
    existing,
  );
}

/** The host ports a task publishes (bridge and host network modes; awsvpc tasks publish none). */
export function hostPortsOf(td: TaskDefinitionRecord): number[] {
  if (td.networkMode === 'awsvpc') return [];
  const host = td.networkMode === 'host';
  return (td.containerDefinitions ?? []).flatMap((c) =>
    (c.portMappings ?? []).map((p) => (host ? p.containerPort : p.hostPort) ?? 0).filter((p) => p > 0),
  );
}

/**
 * Reads what a plan needs, in the transaction that will apply it: the cluster's instances, the
 * groups of the providers the launch groups name, and the control host (its usage summed over the
 * tasks of every cluster and region: they all share the one machine) when the request can reach it.
 */
export async function readPlanSnapshot(
  tx: Transaction,
  ports: PlacementPorts,
  host: ControlHostPorts,
  scope: Scope,
  clusterArn: string,
  request: { groups: readonly LaunchGroup[]; targets?: readonly string[] },
): Promise<PlanSnapshot> {
  const instances = await ports.instances(clusterArn);
  const providerGroups: Record<string, string | undefined> = {};
  for (const g of request.groups) {
    if (g.launchType === 'EC2' && g.capacityProviderName) providerGroups[g.capacityProviderName] = await ports.providerGroup(scope, g.capacityProviderName);
  }
  const snapshot: PlanSnapshot = { instances, providerGroups, groupAttribute: ports.groupAttribute, fargateCpuOvercommit: host.fargateCpuOvercommit };
  if (!reachesControlHost(request, instances.length)) return snapshot;
  const capacity = host.capacity();
  const tasks = (await tx.collection<TaskRecord>(CLUSTER_MEMBERS.tasks).list({ prefix: '' })).map((e) => e.value);
  return { ...snapshot, controlHost: { instance: controlHostSnapshot(capacity, controlHostUsage(tasks), zoneOf(scope.region)), cpu: capacity.cpu } };
}

/** A planner's failure as RunTask and StartTask return it. */
export function toFailure(f: PlacementFailure): Failure {
  return { ...(f.arn && { arn: f.arn }), reason: f.reason, ...(f.detail && { detail: f.detail }) };
}
