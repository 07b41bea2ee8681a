import type { Attribute } from '@aws-sdk/client-ecs';
import type { AgentRegistration } from '../../agent-contract/registration.js';
import type { Scope } from '../../lib/scope.js';
import type { InstanceSnapshot } from '../../placement/types.js';

/** Container instance statuses ECS uses. */
export const InstanceStatus = {
  Registering: 'REGISTERING',
  Active: 'ACTIVE',
  Draining: 'DRAINING',
  Deregistering: 'DEREGISTERING',
  Inactive: 'INACTIVE',
} as const;
/** One of {@link InstanceStatus}. */
export type InstanceStatus = (typeof InstanceStatus)[keyof typeof InstanceStatus];

/**
 * The attribute that puts an agent in an EC2-style capacity provider: its value is the name of
 * the provider's Auto Scaling group (the `autoScalingGroupName/<name>` part of the ARN).
 */
export const CAPACITY_GROUP_ATTRIBUTE = 'minato.capacity-group';

/**
 * A container instance as stored in `ecs-container-instances` under `<clusterArn>/<id>`.
 * Wire member names; timestamps in epoch milliseconds. Remaining resources and task counts are
 * not stored: they are derived from the tasks placed on the instance.
 */
export interface ContainerInstanceRecord {
  containerInstanceArn: string;
  /** The id part of the ARN. */
  id: string;
  clusterArn: string;
  region: string;
  ec2InstanceId: string;
  /** The agent's host (address or name), as it registered. */
  host: string;
  /** The host's private IPv4 address and its tasks' subnet, as the agent reported them (agents of older versions do not). */
  address?: string;
  taskSubnet?: string;
  status: InstanceStatus;
  statusReason?: string;
  agentConnected: boolean;
  /** When the agent was last heard from (registration, poll or report). */
  lastSeenAt: number;
  versionInfo: { agentVersion: string; agentHash?: string; dockerVersion?: string };
  /** Registered resources: CPU units and MiB (PORTS/PORTS_UDP reserved lists as ECS has them). */
  cpu: number;
  memory: number;
  /** Host ports the agent keeps for itself (ECS's registered PORTS and PORTS_UDP), as strings. */
  reservedPorts?: string[];
  reservedUdpPorts?: string[];
  attributes: Attribute[];
  registeredAt: number;
  /** Capacity provider the instance belongs to, when one selects it. */
  capacityProviderName?: string;
  version: number;
}


/**
 * What the agent protocol and the task placement need of the container instances domain. The
 * ECS API operations (Describe/List/Attributes/UpdateState/Deregister) are further methods.
 */
export interface ContainerInstanceRegistry {
  /** Registers an agent (or re-registers the same instance when its ARN is given and known). */
  registerAgent(scope: Scope, registration: AgentRegistration): Promise<ContainerInstanceRecord>;
  /** Records that the agent was heard from now: connected again if it had been marked disconnected. */
  heartbeat(containerInstanceArn: string, now: Date): Promise<ContainerInstanceRecord | undefined>;
  /** Marks agents not heard from within `timeoutMs` as disconnected; returns those newly marked. */
  markDisconnected(now: Date, timeoutMs: number): Promise<ContainerInstanceRecord[]>;
  /** One instance by ARN, any status. */
  byArn(containerInstanceArn: string): Promise<ContainerInstanceRecord | undefined>;
  /** Every instance of a cluster that is not INACTIVE, with remaining resources, for the scheduler. */
  snapshot(clusterArn: string): Promise<InstanceSnapshot[]>;
}
