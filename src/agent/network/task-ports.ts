import type { ContainerDefinition, NetworkBinding, NetworkInterface } from '@aws-sdk/client-ecs';
import type { PortProtocol, TaskNetwork, TaskPortMapping } from './network-manager.js';

/**
 * The ports a task asks of its network, by network mode. An awsvpc task has an address of its
 * own and is reached there, as on AWS: it publishes nothing on the host, so any number of tasks
 * of one definition can run side by side. bridge publishes each mapping on its hostPort, or on a
 * dynamic one when it is 0 or absent; host publishes the container port itself.
 */
export function requestedPorts(networkMode: string, containers: readonly ContainerDefinition[]): TaskPortMapping[] {
  return containers.flatMap((c) =>
    (c.portMappings ?? []).flatMap((p): TaskPortMapping[] => {
      if (p.containerPort === undefined) return [];
      const protocol = (p.protocol ?? 'tcp') as PortProtocol;
      if (networkMode === 'bridge') return [{ containerPort: p.containerPort, hostPort: p.hostPort ?? 0, protocol }];
      if (networkMode === 'host') return [{ containerPort: p.containerPort, hostPort: p.hostPort ?? p.containerPort, protocol }];
      return [{ containerPort: p.containerPort, protocol }];
    }),
  );
}

/**
 * A container's network as DescribeTasks shows it: an awsvpc task's containers show the task's
 * interface and no bindings (as on Fargate); bridge and host mode containers show the host ports
 * published for their mappings (dynamic ones resolved) and no interface.
 */
export function containerNetworkView(
  networkMode: string,
  def: ContainerDefinition,
  network: TaskNetwork | undefined,
  attachmentId: string,
): { networkBindings: NetworkBinding[]; networkInterfaces: NetworkInterface[] } {
  if (networkMode === 'awsvpc') {
    return { networkBindings: [], networkInterfaces: network ? [{ attachmentId, privateIpv4Address: network.ipv4Address }] : [] };
  }
  const published = network?.portBindings ?? [];
  const networkBindings = (def.portMappings ?? []).flatMap((p) => {
    const protocol = p.protocol ?? 'tcp';
    const fixed = p.hostPort !== undefined && p.hostPort !== 0 ? p.hostPort : undefined;
    const b = published.find((x) => x.containerPort === p.containerPort && x.protocol === protocol && (fixed === undefined || x.hostPort === fixed));
    return b ? [{ ...b }] : [];
  });
  return { networkBindings, networkInterfaces: [] };
}
