import { isDomainError } from '../lib/errors.js';
import type { Scope } from '../lib/scope.js';
import { DiscoverySubject } from './errors.js';
import type { Instances } from './instances.js';
import type { Services } from './services.js';

/** A task of an ECS service with `serviceRegistries`, as ECS registers it in Cloud Map. */
export interface TaskInstance {
  /** The registry: the Cloud Map service's ARN (serviceRegistries.registryArn) or id. */
  registryArn: string;
  /** The instance id: ECS uses the task id. */
  taskId: string;
  /** The task's address (awsvpc: its ENI's). */
  ipv4: string;
  /** The port of the registry's containerPort (or `port`), needed when the service has SRV records. */
  port?: number;
  availabilityZone: string;
  clusterName: string;
  serviceName: string;
  taskDefinitionFamily: string;
  region: string;
  /** The task's health when the registry has a custom health check (ECS: HEALTHY unless a container health check says otherwise). */
  initialHealth?: 'HEALTHY' | 'UNHEALTHY';
}

/** The attributes ECS gives a task's instance. */
export function taskInstanceAttributes(t: TaskInstance, customHealth: boolean): Record<string, string> {
  return {
    AWS_INSTANCE_IPV4: t.ipv4,
    ...(t.port !== undefined && { AWS_INSTANCE_PORT: String(t.port) }),
    AVAILABILITY_ZONE: t.availabilityZone,
    ...(customHealth && { AWS_INIT_HEALTH_STATUS: t.initialHealth ?? 'HEALTHY' }),
    ECS_CLUSTER_NAME: t.clusterName,
    ECS_SERVICE_NAME: t.serviceName,
    ECS_TASK_DEFINITION_FAMILY: t.taskDefinitionFamily,
    REGION: t.region,
  };
}

/** What an ECS integration calls as tasks of a service with service registries start and stop. */
export class EcsRegistration {
  constructor(
    private readonly services: Services,
    private readonly instances: Instances,
  ) {}

  /** Registers a running task as an instance of the registry; returns the operation id. */
  async registerTask(scope: Scope, t: TaskInstance): Promise<string> {
    const service = await this.services.get(scope, t.registryArn);
    return this.instances.register(scope, {
      serviceId: service.id,
      instanceId: t.taskId,
      attributes: taskInstanceAttributes(t, service.customHealth !== undefined),
    });
  }

  /** Deregisters a stopping task; a task not (or no longer) registered, or a deleted registry, is no error. */
  async deregisterTask(scope: Scope, registryArn: string, taskId: string): Promise<void> {
    try {
      await this.instances.deregister(scope, registryArn, taskId);
    } catch (err) {
      if (isDomainError(err) && (err.subject === DiscoverySubject.Instance || err.subject === DiscoverySubject.Service)) return;
      throw err;
    }
  }

  /** Reports a task's health to a registry with a custom health check (ECS follows container health). */
  async setTaskHealth(scope: Scope, registryArn: string, taskId: string, healthy: boolean): Promise<void> {
    await this.instances.setCustomHealth(scope, registryArn, taskId, healthy ? 'HEALTHY' : 'UNHEALTHY');
  }
}
