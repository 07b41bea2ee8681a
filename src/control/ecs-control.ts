import { invalidParameter } from '../lib/errors.js';
import type { TaskAgent } from '../lib/task-contract.js';
import type { Store } from '../store/store.js';
import { AccountSettings } from './account-settings/account-settings.js';
import { CapacityProviders } from './capacity-providers/capacity-providers.js';
import { Clusters } from './clusters/clusters.js';
import { ContainerInstances, type CompileFilter } from './container-instances/container-instances.js';
import { TagStore } from './tags.js';
import { Tagging } from './tagging.js';
import { TaskDefinitions } from './task-definitions/task-definitions.js';
import { Tasks } from './tasks/tasks.js';

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
}

/** Optional parts of the control plane. */
export interface EcsControlOptions {
  /** The cluster query language, for ListContainerInstances' `filter`; without it a filter is refused. */
  compileFilter?: CompileFilter;
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
  return {
    clusters,
    taskDefinitions,
    tags,
    tagging: new Tagging(store, tags, clusters, taskDefinitions, capacityProviders),
    accountSettings: new AccountSettings(store),
    tasks: new Tasks(store, tags, clusters, taskDefinitions, agent),
    capacityProviders,
    containerInstances: new ContainerInstances(store, tags, clusters, options.compileFilter ?? noFilters),
  };
}
