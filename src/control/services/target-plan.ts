import type { LoadBalancer, ServiceRegistry } from '@aws-sdk/client-ecs';
import type { TaskRecord, TaskTraffic } from '../tasks/task.js';
import type { TargetHealth } from './traffic-ports.js';
import type { FailedTarget, TaskView } from './task-view.js';

/**
 * The instance target id of a task that runs on the control host, which is no container instance.
 * The load-balancer adapter resolves it (and container instance ids) to an address.
 */
export const CONTROL_HOST_TARGET_ID = 'control-host';

/** The task's private IPv4 address (awsvpc), from its ENI attachment. */
export function taskAddress(task: TaskRecord): string | undefined {
  for (const a of task.attachments) {
    const ip = a.details?.find((d) => d.name === 'privateIPv4Address')?.value;
    if (a.type === 'ElasticNetworkInterface' && ip) return ip;
  }
  return undefined;
}

/** Whether the task runs in awsvpc mode (it has an ENI attachment). */
const isAwsvpc = (task: TaskRecord): boolean => task.attachments.some((a) => a.type === 'ElasticNetworkInterface');

/** The host port a bridge or host mode task publishes for `containerPort` of `containerName`. */
function hostBinding(task: TaskRecord, containerName: string, containerPort: number): { hostPort: number; bindIP?: string } | undefined {
  const c = task.containers.find((x) => x.name === containerName);
  const b = c?.networkBindings?.find((x) => x.containerPort === containerPort && x.hostPort !== undefined);
  return b ? { hostPort: b.hostPort!, ...(b.bindIP !== undefined && { bindIP: b.bindIP }) } : undefined;
}

/**
 * What a RUNNING task joins: one target per load balancer (ip: the task's address and the
 * container port; instance: its container instance and the host port) and one Cloud Map instance
 * per registry, with ECS's attributes. Undefined while the address or host port is not known yet.
 */
export function trafficOf(
  task: TaskRecord,
  serviceName: string,
  loadBalancers: readonly LoadBalancer[],
  registries: readonly ServiceRegistry[],
): Pick<TaskTraffic, 'targets' | 'instances'> | undefined {
  const awsvpc = isAwsvpc(task);
  const address = taskAddress(task);
  if (awsvpc && !address) return undefined;
  const instanceId = task.containerInstanceArn?.split('/').pop() ?? CONTROL_HOST_TARGET_ID;
  const targets: TaskTraffic['targets'] = [];
  for (const lb of loadBalancers) {
    const containerPort = lb.containerPort!;
    if (awsvpc) {
      targets.push({ targetGroupArn: lb.targetGroupArn!, id: address!, port: containerPort, containerPort });
      continue;
    }
    const binding = hostBinding(task, lb.containerName!, containerPort);
    if (!binding) return undefined;
    targets.push({ targetGroupArn: lb.targetGroupArn!, id: instanceId, port: binding.hostPort, containerPort });
  }
  const instances: TaskTraffic['instances'] = [];
  for (const r of registries) {
    let port: number | undefined = r.port;
    let ipv4 = address;
    if (r.containerName !== undefined && r.containerPort !== undefined) {
      if (awsvpc) port = r.containerPort;
      else {
        const binding = hostBinding(task, r.containerName, r.containerPort);
        if (!binding) return undefined;
        port = binding.hostPort;
        // Host ports are published on the loopback address of the host that runs the task.
        ipv4 = binding.bindIP && binding.bindIP !== '0.0.0.0' ? binding.bindIP : '127.0.0.1';
      }
    }
    const family = task.taskDefinitionArn.split('/').pop()!.split(':')[0]!;
    const attributes: Record<string, string> = {
      ...(ipv4 !== undefined && { AWS_INSTANCE_IPV4: ipv4 }),
      ...(port !== undefined && { AWS_INSTANCE_PORT: String(port) }),
      AVAILABILITY_ZONE: task.availabilityZone,
      AWS_INIT_HEALTH_STATUS: 'HEALTHY',
      ECS_CLUSTER_NAME: task.clusterArn.split('/').pop()!,
      ECS_SERVICE_NAME: serviceName,
      ECS_TASK_DEFINITION_FAMILY: family,
      REGION: task.region,
    };
    instances.push({ registryArn: r.registryArn!, instanceId: task.taskId, attributes });
  }
  return { targets, instances };
}

/** The health a task's targets add up to: healthy when all are, unhealthy when one is, initial otherwise. */
export function targetHealthOf(
  traffic: TaskTraffic,
  health: ReadonlyMap<string, readonly TargetHealth[]>,
  instanceTargets: boolean,
): Pick<TaskView, 'targetHealth' | 'failedTarget'> {
  let all = true;
  for (const t of traffic.targets) {
    const h = health.get(t.targetGroupArn)?.find((x) => x.id === t.id && x.port === t.port);
    if (h?.state === 'unhealthy') {
      const failed: FailedTarget = { targetGroupArn: t.targetGroupArn, id: t.id, port: t.port, reason: h.description ?? h.reason ?? 'Health checks failed', instance: instanceTargets };
      return { targetHealth: 'unhealthy', failedTarget: failed };
    }
    if (h?.state !== 'healthy') all = false;
  }
  return { targetHealth: all ? 'healthy' : 'initial' };
}

/** Counts per target group, in first-seen order: the registered/deregistered events name each group once. */
export function countByGroup(targets: ReadonlyArray<{ targetGroupArn: string }>): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const t of targets) counts.set(t.targetGroupArn, (counts.get(t.targetGroupArn) ?? 0) + 1);
  return [...counts];
}
