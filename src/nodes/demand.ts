/**
 * Pending demand of managed-scaling capacity providers: the tasks services want on a provider
 * but do not have (desired − running − pending of the primary deployment's share of that
 * provider), as the provisioner's pending tasks. Pure: the loop passes the stored records in.
 */
import type { PlacementConstraint } from '@aws-sdk/client-ecs';
import { Arch, CapacityType, type PendingTask } from '../capacity/types.js';
import { DeploymentStatus, RolloutState, SchedulingStrategy, serviceGroup, ServiceStatus, type ServiceRecord } from '../control/services/service.js';
import type { TaskDefinitionRecord } from '../control/task-definitions/task-definition.js';
import { hostPortsOf } from '../control/tasks/placement.js';
import type { TaskRecord } from '../control/tasks/task.js';
import { taskSize } from '../control/tasks/task-size.js';
import { splitByStrategy } from '../placement/capacity-split.js';

/** Tasks of one service missing on one provider. */
export interface ServiceDemand {
  clusterArn: string;
  serviceName: string;
  providerName: string;
  taskDefinition: string;
  count: number;
  constraints: readonly PlacementConstraint[];
}

/**
 * What `service` lacks on each provider `managed` accepts. Only the primary deployment of an
 * ACTIVE REPLICA service whose rollout has not failed asks for capacity; its desired count is
 * split over its strategy as RunTask splits it, and the live tasks already on each provider are
 * subtracted.
 */
export function serviceDemand(service: ServiceRecord, tasks: readonly TaskRecord[], managed: (providerName: string) => boolean): ServiceDemand[] {
  if (service.status !== ServiceStatus.Active || service.schedulingStrategy !== SchedulingStrategy.Replica) return [];
  const primary = service.deployments.find((d) => d.status === DeploymentStatus.Primary);
  const strategy = primary?.capacityProviderStrategy ?? [];
  if (!primary || primary.rolloutState === RolloutState.Failed || strategy.length === 0) return [];
  const items = strategy.map((s) => ({ capacityProvider: s.capacityProvider ?? '', base: s.base ?? 0, weight: s.weight ?? 0 }));
  const target = splitByStrategy(items, primary.desiredCount);
  const group = serviceGroup(service.serviceName);
  const out: ServiceDemand[] = [];
  for (const [providerName, wanted] of Object.entries(target)) {
    if (!managed(providerName)) continue;
    const live = tasks.filter((t) => t.group === group && t.startedBy === primary.id && t.lastStatus !== 'STOPPED' && t.capacityProviderName === providerName).length;
    const count = wanted - live;
    if (count > 0) {
      out.push({ clusterArn: service.clusterArn, serviceName: service.serviceName, providerName, taskDefinition: primary.taskDefinition, count, constraints: service.placementConstraints });
    }
  }
  return out;
}

/** The architecture a task definition requires (`runtimePlatform.cpuArchitecture`), if any. */
function archOf(td: TaskDefinitionRecord): Arch | undefined {
  const a = td.runtimePlatform?.cpuArchitecture;
  return a === 'ARM64' ? Arch.ARM64 : a === 'X86_64' ? Arch.X86_64 : undefined;
}

/**
 * The provisioner's pending tasks for one demand: the task definition's reservation, its and the
 * service's `memberOf` expressions; `distinctInstance`, and host ports (two tasks publishing the
 * same port never share a node), become a distinct group. Ids are `<service>#<n>`.
 */
export function pendingTasksOf(demand: ServiceDemand, td: TaskDefinitionRecord, capacityType: CapacityType): PendingTask[] {
  const size = taskSize(td, {});
  const constraints = [...(td.placementConstraints ?? []), ...demand.constraints];
  const memberOf = constraints.filter((c) => c.type === 'memberOf' && c.expression).map((c) => c.expression!);
  const distinct = constraints.some((c) => c.type === 'distinctInstance') || hostPortsOf(td).length > 0;
  const arch = archOf(td);
  return Array.from({ length: demand.count }, (_, i) => ({
    id: `${demand.serviceName}#${i + 1}`,
    demand: { cpu: size.cpu, memoryMiB: size.memory, gpus: 0 },
    capacityTypes: [capacityType],
    ...(arch && { arch }),
    ...(memberOf.length && { memberOf }),
    ...(distinct && { distinctGroup: serviceGroup(demand.serviceName) }),
  }));
}

/** The tag key that picks on-demand or spot nodes for a provider: `on-demand` or `spot`. */
export const CAPACITY_TYPE_TAG = 'minato:capacity-type';

/**
 * On demand unless the provider's `minato:capacity-type` tag says `spot`, or (without that tag)
 * its name contains "spot" — providers are commonly named after their purchase option.
 */
export function capacityTypeOf(providerName: string, tags: readonly { key?: string; value?: string }[]): CapacityType {
  const tag = tags.find((t) => t.key === CAPACITY_TYPE_TAG)?.value?.toLowerCase();
  if (tag === 'spot') return CapacityType.Spot;
  if (tag === 'on-demand' || tag === 'ondemand') return CapacityType.OnDemand;
  return /spot/i.test(providerName) ? CapacityType.Spot : CapacityType.OnDemand;
}
