import type {
  CreateCapacityProviderRequest,
  DeleteCapacityProviderRequest,
  DescribeCapacityProvidersRequest,
  UpdateCapacityProviderRequest,
} from '@aws-sdk/client-ecs';
import type { CapacityProviderRecord } from '../../control/capacity-providers/capacity-provider.js';
import type { EcsControl } from '../../control/ecs-control.js';
import type { TagStore } from '../../control/tags.js';
import type { OperationHandler } from '../../server/service.js';
import { pageSize } from './paging.js';

/** The wire CapacityProvider; tags only when asked for (Describe with TAGS) or just set (Create). */
async function providerWire(p: CapacityProviderRecord, tags: TagStore | undefined) {
  return {
    capacityProviderArn: p.capacityProviderArn,
    name: p.name,
    status: p.status,
    type: p.type,
    ...(p.autoScalingGroupProvider && { autoScalingGroupProvider: p.autoScalingGroupProvider }),
    ...(p.updateStatus && { updateStatus: p.updateStatus }),
    ...(p.updateStatusReason && { updateStatusReason: p.updateStatusReason }),
    ...(tags && { tags: await tags.get(p.capacityProviderArn) }),
  };
}

/** Handlers of the capacity provider operations. */
export function capacityProviderHandlers(ecs: EcsControl): Record<string, OperationHandler> {
  const { capacityProviders, tags } = ecs;
  return {
    async CreateCapacityProvider(input: CreateCapacityProviderRequest, { scope }) {
      const provider = await capacityProviders.create(scope, {
        name: input.name!,
        ...(input.autoScalingGroupProvider && { autoScalingGroupProvider: input.autoScalingGroupProvider }),
        ...(input.managedInstancesProvider && { managedInstancesProvider: input.managedInstancesProvider }),
        ...(input.tags && { tags: input.tags }),
      });
      return { capacityProvider: await providerWire(provider, tags) };
    },
    async DescribeCapacityProviders(input: DescribeCapacityProvidersRequest, { scope }) {
      const withTags = input.include?.includes('TAGS') ?? false;
      const result = await capacityProviders.describe(
        scope,
        input.capacityProviders,
        pageSize('DescribeCapacityProviders', input.maxResults),
        input.nextToken,
      );
      return {
        capacityProviders: await Promise.all(result.providers.map((p) => providerWire(p, withTags ? tags : undefined))),
        failures: result.failures,
        ...(result.nextToken && { nextToken: result.nextToken }),
      };
    },
    async UpdateCapacityProvider(input: UpdateCapacityProviderRequest, { scope }) {
      const provider = await capacityProviders.update(scope, {
        name: input.name!,
        ...(input.autoScalingGroupProvider && { autoScalingGroupProvider: input.autoScalingGroupProvider }),
        ...(input.managedInstancesProvider && { managedInstancesProvider: input.managedInstancesProvider }),
      });
      return { capacityProvider: await providerWire(provider, tags) };
    },
    async DeleteCapacityProvider(input: DeleteCapacityProviderRequest, { scope }) {
      const provider = await capacityProviders.delete(scope, input.capacityProvider!);
      return { capacityProvider: await providerWire(provider, tags) };
    },
  };
}
