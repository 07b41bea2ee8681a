import { invalidParameter } from '../lib/errors.js';
import type { TaskAgent } from '../agent-contract/task-contract.js';
import type { Store } from '../store/store.js';
import { AccountSettings } from './account-settings/account-settings.js';
import { CapacityProviders } from './capacity-providers/capacity-providers.js';
import { Clusters } from './clusters/clusters.js';
import { CAPACITY_GROUP_ATTRIBUTE } from './container-instances/container-instance.js';
import { ContainerInstances, type CompileFilter } from './container-instances/container-instances.js';
import { CapacityProviderStatus, providerGroupName } from './capacity-providers/capacity-provider.js';
import type { PlacementPorts } from './tasks/placement.js';
import { Services } from './services/services.js';
import { NO_TRAFFIC_PORTS, type TrafficPorts } from './services/traffic-ports.js';
import { TagStore } from './tags.js';
import { Tagging } from './tagging.js';
import { TaskDefinitions } from './task-definitions/task-definitions.js';
import { Tasks } from './tasks/tasks.js';
import type { TaskFirewallSource, VpcLookup } from './tasks/vpc-lookup.js';
import { TaskProtections } from './tasks/task-protection.js';

/** The ECS control plane's domain services, all over one store. */
export interface EcsControl {
  clusters: Clusters;
  taskDefinitions: TaskDefinitions;
  tagging: Tagging;
  tags: TagStore;
  accountSettings: AccountSettings;
  tasks: Tasks;
  capacityProviders: CapacityProviders;
  containerInstances: ContainerInstances;
  services: Services;
  /** Task scale-in protection (UpdateTaskProtection, GetTaskProtection). */
  taskProtection: TaskProtections;
}

/** Optional parts of the control plane. */
export interface EcsControlOptions {
  /** The cluster query language, for ListContainerInstances' `filter`; without it a filter is refused. */
  compileFilter?: CompileFilter;
  /** How many times its CPU units the control host admits in Fargate tasks (placement/plan.ts has the default). */
  fargateCpuOvercommit?: number;
  /** Target groups and Cloud Map services a service's tasks join; without them, none exists. */
  traffic?: TrafficPorts;
  /** The EC2 networking an awsvpc configuration is checked against; without it subnets and groups are taken as given. */
  vpc?: VpcLookup;
  /** The firewalls of the control host's awsvpc tasks (their security groups); without it groups are not enforced. */
  firewalls?: TaskFirewallSource;
}

const noFilters: CompileFilter = () => {
  throw invalidParameter('The filter parameter is not supported by this endpoint.');
};

/** Wires the ECS domain services over `store`, running tasks through `agent`. */
export function createEcsControl(store: Store, agent: TaskAgent, options: EcsControlOptions = {}): EcsControl {
  const tags = new TagStore(store);
  const capacityProviders = new CapacityProviders(store, tags);
  const clusters = new Clusters(store, tags, capacityProviders);
  const taskDefinitions = new TaskDefinitions(store, tags);
  const containerInstances = new ContainerInstances(store, tags, clusters, options.compileFilter ?? noFilters, undefined, (scope, group) =>
    capacityProviders.nameOfGroup(scope, group),
  );
  // RunTask places EC2 tasks on the cluster's instances; a provider selects its group of agents.
  const placement: PlacementPorts = {
    instances: (clusterArn) => containerInstances.snapshot(clusterArn),
    providerGroup: async (scope, name) => {
      const provider = await capacityProviders.find(scope, name);
      return provider?.status === CapacityProviderStatus.Active ? providerGroupName(provider) : undefined;
    },
    groupAttribute: CAPACITY_GROUP_ATTRIBUTE,
  };
  const tasks = new Tasks(store, tags, clusters, taskDefinitions, agent, placement, {
    ...(options.fargateCpuOvercommit !== undefined && { fargateCpuOvercommit: options.fargateCpuOvercommit }),
    ...(options.vpc && { vpc: options.vpc }),
    ...(options.firewalls && { firewalls: options.firewalls }),
  });
  const services = new Services(store, tags, clusters, taskDefinitions, options.traffic ?? NO_TRAFFIC_PORTS, options.vpc);
  return {
    clusters,
    taskDefinitions,
    tags,
    tagging: new Tagging(store, tags, clusters, taskDefinitions, capacityProviders, {
      service: (scope, arn) => services.existsByArn(scope, arn),
      task: async (scope, arn) => (await tasks.describe(scope, arn.split('/').slice(-2, -1)[0], [arn]).catch(() => ({ found: [] }))).found.length > 0,
      'container-instance': async (scope, arn) => (await containerInstances.byArn(arn))?.region === scope.region,
    }),
    accountSettings: new AccountSettings(store),
    tasks,
    capacityProviders,
    containerInstances,
    services,
    taskProtection: new TaskProtections(store, clusters),
  };
}
