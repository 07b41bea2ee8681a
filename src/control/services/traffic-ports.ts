import type { Scope } from '../../lib/scope.js';

/**
 * The ports through which the service scheduler puts a service's tasks behind load balancers
 * (ELBv2 target groups) and into Cloud Map. control/ owns these small interfaces; the composition
 * root adapts them to the load-balancer and discovery domains. Every call is idempotent, as the
 * AWS APIs are (registering a registered target, deregistering an unknown one, succeed), so a
 * scheduler that restarts in the middle of a step simply makes the call again.
 */

/** What the scheduler needs to know of a target group. */
export interface TargetGroupInfo {
  arn: string;
  targetType: 'ip' | 'instance' | 'alb' | 'lambda';
  port?: number;
  protocol?: string;
  /** The load balancers whose listeners or rules forward to the group; ECS refuses a group with none. */
  loadBalancerArns: string[];
  /** How long a deregistered target keeps its connections before the task may be stopped. */
  deregistrationDelaySeconds: number;
}

/** A target: an IPv4 address (target type ip) or an instance id (target type instance), and a port. */
export interface Target {
  id: string;
  port: number;
}

/** ELBv2's target health states. */
export type TargetState = 'initial' | 'healthy' | 'unhealthy' | 'unused' | 'draining' | 'unavailable';

/** One target's health as the target group reports it (ELBv2's reason code and description). */
export interface TargetHealth extends Target {
  state: TargetState;
  reason?: string;
  description?: string;
}

/** ELBv2 target groups, as the service scheduler uses them. */
export interface TargetGroups {
  /** The group, or undefined when it does not exist in the scope's account and region. */
  describe(scope: Scope, arn: string): Promise<TargetGroupInfo | undefined>;
  register(scope: Scope, arn: string, targets: readonly Target[]): Promise<void>;
  deregister(scope: Scope, arn: string, targets: readonly Target[]): Promise<void>;
  /** The health of the targets named (a target the group does not know is `unused` or absent). */
  health(scope: Scope, arn: string, targets: readonly Target[]): Promise<TargetHealth[]>;
}

/** What the scheduler needs to know of a Cloud Map service. */
export interface DiscoveryServiceInfo {
  arn: string;
  id: string;
  /** The DNS record types of its DnsConfig (A, AAAA, SRV, CNAME); empty for an HTTP-only namespace. */
  dnsRecordTypes: string[];
}

/** Cloud Map services, as the service scheduler uses them. */
export interface ServiceRegistries {
  /** The service an ECS serviceRegistries entry names (registryArn), or undefined when it does not exist. */
  describeService(scope: Scope, arn: string): Promise<DiscoveryServiceInfo | undefined>;
  /** RegisterInstance: `instanceId` is the task id; `attributes` are the AWS_INSTANCE_* and ECS_* ones. */
  registerInstance(scope: Scope, serviceArn: string, instanceId: string, attributes: Readonly<Record<string, string>>): Promise<void>;
  deregisterInstance(scope: Scope, serviceArn: string, instanceId: string): Promise<void>;
}

/** Target groups before the load-balancer domain is wired: none exists, so a service naming one is refused. */
export const NO_TARGET_GROUPS: TargetGroups = {
  describe: async () => undefined,
  register: async () => {},
  deregister: async () => {},
  health: async () => [],
};

/** Cloud Map before the discovery domain is wired: no service exists, so a service naming one is refused. */
export const NO_SERVICE_REGISTRIES: ServiceRegistries = {
  describeService: async () => undefined,
  registerInstance: async () => {},
  deregisterInstance: async () => {},
};

/** The ports together, as the scheduler and CreateService take them. */
export interface TrafficPorts {
  targetGroups: TargetGroups;
  serviceRegistries: ServiceRegistries;
}

/** Both ports answering "not found". */
export const NO_TRAFFIC_PORTS: TrafficPorts = { targetGroups: NO_TARGET_GROUPS, serviceRegistries: NO_SERVICE_REGISTRIES };
