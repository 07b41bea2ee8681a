import type { Store } from '../store/store.js';
import { DnsRecords } from './dns-records.js';
import { EcsRegistration } from './ecs-registration.js';
import { Instances } from './instances.js';
import { Namespaces } from './namespaces.js';
import { Operations } from './operations.js';
import { Services } from './services.js';
import { Tagging } from './tagging.js';

/** The Cloud Map domain over the main store: what the API, the task DNS server and ECS use. */
export interface Discovery {
  namespaces: Namespaces;
  services: Services;
  instances: Instances;
  operations: Operations;
  tagging: Tagging;
  /** The private DNS namespaces' records, for the task DNS server. */
  dns: DnsRecords;
  /** Registration of ECS tasks as instances (service registries). */
  ecs: EcsRegistration;
}

export function createDiscovery(store: Store): Discovery {
  const operations = new Operations(store);
  const services = new Services(store, operations);
  const instances = new Instances(store, operations);
  return {
    namespaces: new Namespaces(store, operations),
    services,
    instances,
    operations,
    tagging: new Tagging(store),
    dns: new DnsRecords(store),
    ecs: new EcsRegistration(services, instances),
  };
}
