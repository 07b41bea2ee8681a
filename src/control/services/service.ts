import type {
  CapacityProviderStrategyItem,
  DeploymentConfiguration,
  LoadBalancer,
  NetworkConfiguration,
  PlacementConstraint,
  PlacementStrategy,
  ServiceRegistry,
} from '@aws-sdk/client-ecs';
import type { ThrottleState } from './throttle.js';

/** Service statuses: a deleted service drains its tasks, then stays describable as INACTIVE. */
export const ServiceStatus = { Active: 'ACTIVE', Draining: 'DRAINING', Inactive: 'INACTIVE' } as const;
/** One of {@link ServiceStatus}. */
export type ServiceStatus = (typeof ServiceStatus)[keyof typeof ServiceStatus];

/** Deployment statuses: the newest is PRIMARY, older ones with tasks left are ACTIVE. */
export const DeploymentStatus = { Primary: 'PRIMARY', Active: 'ACTIVE', Inactive: 'INACTIVE' } as const;
/** One of {@link DeploymentStatus}. */
export type DeploymentStatus = (typeof DeploymentStatus)[keyof typeof DeploymentStatus];

/** Where a deployment's rollout stands. */
export const RolloutState = { InProgress: 'IN_PROGRESS', Completed: 'COMPLETED', Failed: 'FAILED' } as const;
/** One of {@link RolloutState}. */
export type RolloutState = (typeof RolloutState)[keyof typeof RolloutState];

/** The two scheduling strategies of ECS services. */
export const SchedulingStrategy = { Replica: 'REPLICA', Daemon: 'DAEMON' } as const;
/** One of {@link SchedulingStrategy}. */
export type SchedulingStrategy = (typeof SchedulingStrategy)[keyof typeof SchedulingStrategy];

/** Service names: up to 255 letters, numbers, hyphens and underscores. */
export const SERVICE_NAME = /^[a-zA-Z0-9_-]{1,255}$/;

/** ECS keeps the 100 newest service events. */
export const MAX_EVENTS = 100;

/** How long a deleted (INACTIVE) service stays describable before it is forgotten. */
export const INACTIVE_SERVICE_RETENTION_MS = 60 * 60 * 1000;

/** One deployment of a service: a task definition and launch settings rolled out to `desiredCount` tasks. */
export interface DeploymentRecord {
  /** `ecs-svc/<19 digits>`; tasks of the deployment carry it as `startedBy`. */
  id: string;
  status: DeploymentStatus;
  taskDefinition: string;
  desiredCount: number;
  pendingCount: number;
  runningCount: number;
  failedTasks: number;
  createdAt: number;
  updatedAt: number;
  launchType?: string;
  capacityProviderStrategy?: CapacityProviderStrategyItem[];
  platformVersion?: string;
  platformFamily?: string;
  networkConfiguration?: NetworkConfiguration;
  /** The target groups and Cloud Map services the deployment's tasks join (absent: none). */
  loadBalancers?: LoadBalancer[];
  serviceRegistries?: ServiceRegistry[];
  rolloutState: RolloutState;
  rolloutStateReason: string;
}

/** One service event; the newest is first. */
export interface ServiceEventRecord {
  id: string;
  createdAt: number;
  message: string;
}

/**
 * A service as stored in `ecs-services` under `<clusterArn>/<serviceName>`. Wire member names,
 * timestamps in epoch milliseconds; `scheduler` holds what the scheduler remembers between ticks.
 */
export interface ServiceRecord {
  serviceArn: string;
  serviceName: string;
  clusterArn: string;
  region: string;
  status: ServiceStatus;
  desiredCount: number;
  runningCount: number;
  pendingCount: number;
  launchType?: string;
  capacityProviderStrategy?: CapacityProviderStrategyItem[];
  platformVersion?: string;
  platformFamily?: string;
  taskDefinition: string;
  deploymentConfiguration: DeploymentConfiguration;
  deployments: DeploymentRecord[];
  events: ServiceEventRecord[];
  placementConstraints: PlacementConstraint[];
  placementStrategy: PlacementStrategy[];
  networkConfiguration?: NetworkConfiguration;
  healthCheckGracePeriodSeconds?: number;
  /** Target groups (targetGroupArn, containerName, containerPort); absent on services stored before they were kept. */
  loadBalancers?: LoadBalancer[];
  /** Cloud Map services (registryArn, and port or containerName/containerPort for SRV records). */
  serviceRegistries?: ServiceRegistry[];
  schedulingStrategy: SchedulingStrategy;
  createdAt: number;
  createdBy: string;
  enableECSManagedTags: boolean;
  propagateTags: string;
  enableExecuteCommand: boolean;
  /** DISABLED (ENABLED is refused: tasks are not moved between zones once placed); absent on services stored before it was kept. */
  availabilityZoneRebalancing?: string;
  /** When DeleteService was called (epoch ms). */
  deletedAt?: number;
  /** What the request that created the service hashed to, so a retried CreateService is told from a conflicting one. */
  creationHash: string;
  scheduler: SchedulerMemory;
  version: number;
}

/** What the scheduler carries from one tick to the next. */
export interface SchedulerMemory {
  /** STOPPED tasks already accounted for (failures counted, never again), pruned to those still stored. */
  accounted: string[];
  /** Whether the last tick found the service in a steady state, and when that was last announced. */
  steady: boolean;
  steadyAnnouncedAt?: number;
  /** The last deployment that completed, kept for a circuit-breaker rollback. */
  lastCompleted?: DeploymentRecord;
  /** Messages already shown recently (ECS omits duplicates): message → when. */
  recent: Record<string, number>;
  /** The launch throttle of a service whose tasks keep failing to start; absent while they start. */
  throttle?: ThrottleState;
}

/** The empty scheduler memory of a new service. */
export const freshMemory = (): SchedulerMemory => ({ accounted: [], steady: false, recent: {} });

/** The task group of a service's tasks, as ECS names it. */
export const serviceGroup = (serviceName: string): string => `service:${serviceName}`;
