import type { ContainerDefinition, LoadBalancer, ServiceRegistry } from '@aws-sdk/client-ecs';
import { invalidParameter } from '../../lib/errors.js';
import type { Scope } from '../../lib/scope.js';
import { refuseNotActedOn } from '../not-acted-on.js';
import type { TaskDefinitionRecord } from '../task-definitions/task-definition.js';
import type { TrafficPorts } from './traffic-ports.js';

/** ECS attaches at most 5 target groups to a service. */
export const MAX_LOAD_BALANCERS = 5;

/** ECS's words for the load-balancer and service-registry settings it refuses. */
export const LB_MESSAGES = {
  tooMany: `loadBalancers can have at most ${MAX_LOAD_BALANCERS} elements.`,
  targetGroupRequired: 'Target group ARN must be specified for a load balancer.',
  containerRequired: 'containerName and containerPort must be specified for a load balancer.',
  notFound: (arn: string) => `The target group with targetGroupArn ${arn} does not exist.`,
  noLoadBalancer: (arn: string) => `The target group with targetGroupArn ${arn} does not have an associated load balancer.`,
  targetType: (arn: string, type: string, mode: string) =>
    `The provided target group ${arn} has target type ${type}, which is incompatible with the ${mode} network mode specified in the task definition.`,
  noContainer: (name: string) => `The container ${name} does not exist in the task definition.`,
  noPort: (name: string, port: number) => `The container ${name} did not have a container port ${port} defined.`,
  oneRegistry: 'Only one service registry is supported for a service.',
  registryNotFound: (arn: string) => `The service registry ${arn} does not exist.`,
  bridgeOrHost: "When specifying 'host' or 'bridge' for networkMode, values for 'containerName' and 'containerPort' must be specified from the task definition.",
  srvNeedsPort: "When using SRV records with the 'awsvpc' network mode, a value for 'port' or a 'containerName' and 'containerPort' combination must be specified.",
  portAndContainer: "You cannot specify both a 'port' and a 'containerName' and 'containerPort' combination.",
} as const;

/** The task definition's network mode, with ECS's default (bridge) filled in. */
export const networkModeOf = (td: Pick<TaskDefinitionRecord, 'networkMode'>): string => td.networkMode ?? 'bridge';

/**
 * Checks a service's loadBalancers and serviceRegistries as ECS does when the service is created
 * or updated: every target group and Cloud Map service exists, a target group is attached to a
 * load balancer and takes the targets the network mode makes (ip for awsvpc, instance for bridge
 * and host), and the containers and ports named are in the task definition.
 */
export async function checkTraffic(
  scope: Scope,
  ports: TrafficPorts,
  td: TaskDefinitionRecord,
  loadBalancers: readonly LoadBalancer[],
  registries: readonly ServiceRegistry[],
): Promise<void> {
  if (loadBalancers.length > MAX_LOAD_BALANCERS) throw invalidParameter(LB_MESSAGES.tooMany);
  const mode = networkModeOf(td);
  for (const lb of loadBalancers) {
    refuseNotActedOn([['loadBalancers.loadBalancerName (Classic Load Balancers; use a target group of an Application or Network Load Balancer)', lb.loadBalancerName !== undefined]]);
    if (!lb.targetGroupArn) throw invalidParameter(LB_MESSAGES.targetGroupRequired);
    if (lb.containerName === undefined || lb.containerPort === undefined) throw invalidParameter(LB_MESSAGES.containerRequired);
    const group = await ports.targetGroups.describe(scope, lb.targetGroupArn);
    if (!group) throw invalidParameter(LB_MESSAGES.notFound(lb.targetGroupArn));
    if (group.loadBalancerArns.length === 0) throw invalidParameter(LB_MESSAGES.noLoadBalancer(lb.targetGroupArn));
    const wanted = mode === 'awsvpc' ? 'ip' : 'instance';
    if (group.targetType !== wanted) throw invalidParameter(LB_MESSAGES.targetType(lb.targetGroupArn, group.targetType, mode));
    checkContainerPort(td, lb.containerName, lb.containerPort);
  }
  if (registries.length > 1) throw invalidParameter(LB_MESSAGES.oneRegistry);
  for (const r of registries) {
    const service = r.registryArn ? await ports.serviceRegistries.describeService(scope, r.registryArn) : undefined;
    if (!service) throw invalidParameter(LB_MESSAGES.registryNotFound(r.registryArn ?? ''));
    const container = r.containerName !== undefined || r.containerPort !== undefined;
    if (container && (r.containerName === undefined || r.containerPort === undefined)) throw invalidParameter(LB_MESSAGES.bridgeOrHost);
    if (container && r.port !== undefined) throw invalidParameter(LB_MESSAGES.portAndContainer);
    const srv = service.dnsRecordTypes.includes('SRV');
    if (mode !== 'awsvpc' && srv && !container) throw invalidParameter(LB_MESSAGES.bridgeOrHost);
    if (mode === 'awsvpc' && srv && !container && r.port === undefined) throw invalidParameter(LB_MESSAGES.srvNeedsPort);
    if (container) checkContainerPort(td, r.containerName!, r.containerPort!);
  }
}

/** The container named exists and maps `port`. */
function checkContainerPort(td: TaskDefinitionRecord, name: string, port: number): ContainerDefinition {
  const container = td.containerDefinitions?.find((c) => c.name === name);
  if (!container) throw invalidParameter(LB_MESSAGES.noContainer(name));
  if (!(container.portMappings ?? []).some((p) => p.containerPort === port)) throw invalidParameter(LB_MESSAGES.noPort(name, port));
  return container;
}
