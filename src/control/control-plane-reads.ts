import type { Store } from '../store/store.js';
import type { CapacityProviders } from './capacity-providers/capacity-providers.js';
import { CLUSTER_MEMBERS } from './clusters/activity.js';
import type { ContainerInstances } from './container-instances/container-instances.js';
import { appendServiceEvents } from './services/service-events.js';
import { ServiceStatus, type ServiceRecord } from './services/service.js';
import type { TagStore } from './tags.js';
import type { TaskDefinitions } from './task-definitions/task-definitions.js';
import type { TaskRecord } from './tasks/task.js';

/** The domain services the views delegate to. */
export interface ControlPlaneReadsDeps {
  capacityProviders: Pick<CapacityProviders, 'find'>;
  taskDefinitions: Pick<TaskDefinitions, 'describe'>;
  containerInstances: Pick<ContainerInstances, 'snapshot'>;
  tags: Pick<TagStore, 'get'>;
}

/**
 * The control plane's records as loops outside control/ read them (the provisioning loop of
 * nodes/, whose `ControlPlaneReads` port this satisfies): the tables stay control/'s own, read
 * here and nowhere else outside it.
 */
export function controlPlaneReads(store: Store, ecs: ControlPlaneReadsDeps) {
  return {
    async activeServices(): Promise<ServiceRecord[]> {
      const rows = await store.collection<ServiceRecord>(CLUSTER_MEMBERS.services).list();
      return rows.map((r) => r.value).filter((s) => s.status === ServiceStatus.Active);
    },
    async clusterTasks(clusterArn: string): Promise<TaskRecord[]> {
      return (await store.collection<TaskRecord>(CLUSTER_MEMBERS.tasks).list({ prefix: `${clusterArn}/` })).map((r) => r.value);
    },
    capacityProvider: ecs.capacityProviders.find.bind(ecs.capacityProviders),
    tagsOf: ecs.tags.get.bind(ecs.tags),
    taskDefinition: ecs.taskDefinitions.describe.bind(ecs.taskDefinitions),
    instances: ecs.containerInstances.snapshot.bind(ecs.containerInstances),
    appendServiceEvents: (clusterArn: string, serviceName: string, messages: readonly string[], now: Date) => appendServiceEvents(store, clusterArn, serviceName, messages, now),
  };
}
