import type { Tag } from '@aws-sdk/client-ecs';
import type { CapacityProviderRecord } from '../control/capacity-providers/capacity-provider.js';
import type { ServiceRecord } from '../control/services/service.js';
import type { TaskDefinitionRecord } from '../control/task-definitions/task-definition.js';
import type { TaskRecord } from '../control/tasks/task.js';
import type { Scope } from '../lib/scope.js';
import type { InstanceSnapshot } from '../placement/types.js';

/**
 * What the provisioning loop needs of the control plane: its services, tasks, capacity providers,
 * task definitions and container instances as read-only views, and one write, the scaling news it
 * adds to a service's events. The control plane implements it (control/control-plane-reads.ts)
 * over its own tables, so that nodes/ never reads those tables itself.
 */
export interface ControlPlaneReads {
  /** Every ACTIVE service of every cluster. */
  activeServices(): Promise<ServiceRecord[]>;
  /** Every task of one cluster, in any status. */
  clusterTasks(clusterArn: string): Promise<TaskRecord[]>;
  /** A capacity provider by name or ARN; undefined when there is none. */
  capacityProvider(scope: Scope, ref: string): Promise<CapacityProviderRecord | undefined>;
  /** The tags of a resource. */
  tagsOf(arn: string): Promise<Tag[]>;
  /** A task definition by family, family:revision or ARN (throws when there is none). */
  taskDefinition(scope: Scope, ref: string): Promise<TaskDefinitionRecord>;
  /** Every container instance of a cluster that is not INACTIVE, with its remaining resources. */
  instances(clusterArn: string): Promise<InstanceSnapshot[]>;
  /** Adds events to a service, newest first; nothing happens when the service is gone. */
  appendServiceEvents(clusterArn: string, serviceName: string, messages: readonly string[], now: Date): Promise<unknown>;
}
