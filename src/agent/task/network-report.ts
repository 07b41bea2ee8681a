import type { ContainerDefinition } from '@aws-sdk/client-ecs';
import { containerNetworkView } from '../network/task-ports.js';
import type { RunContext } from './run-context.js';

/** The task's network as reported with PENDING: an awsvpc task's ENI attachment; nothing else. */
export function networkReport(ctx: RunContext) {
  const net = ctx.network!;
  if (ctx.spec.networkMode !== 'awsvpc') return {};
  return {
    attachments: [
      {
        id: ctx.attachmentId,
        type: 'ElasticNetworkInterface',
        status: 'ATTACHED',
        details: [
          { name: 'subnetId', value: ctx.spec.subnetId ?? 'subnet-local' },
          { name: 'networkInterfaceId', value: net.networkInterfaceId },
          { name: 'macAddress', value: net.macAddress },
          { name: 'privateDnsName', value: net.privateDnsName },
          { name: 'privateIPv4Address', value: net.ipv4Address },
        ],
      },
    ],
  };
}

/** A started container's network as reported with it (bindings, or its interface in awsvpc). */
export function containerBindings(ctx: RunContext, def: ContainerDefinition) {
  return containerNetworkView(ctx.spec.networkMode, def, ctx.network, ctx.attachmentId);
}
