import type { TaskAgent } from '../lib/task-contract.js';
import type { Store } from '../store/store.js';
import { AccountSettings } from './account-settings/account-settings.js';
import { Clusters } from './clusters/clusters.js';
import { Services } from './services/services.js';
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
  services: Services;
}

/** Wires the ECS domain services over `store`, running tasks through `agent`. */
export function createEcsControl(store: Store, agent: TaskAgent): EcsControl {
  const tags = new TagStore(store);
  const clusters = new Clusters(store, tags);
  const taskDefinitions = new TaskDefinitions(store, tags);
  return {
    clusters,
    taskDefinitions,
    tags,
    tagging: new Tagging(store, tags, clusters, taskDefinitions),
    accountSettings: new AccountSettings(store),
    tasks: new Tasks(store, tags, clusters, taskDefinitions, agent),
    services: new Services(store, tags, clusters, taskDefinitions),
  };
}
