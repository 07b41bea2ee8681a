import type {
  CreateServiceRequest,
  DeleteServiceRequest,
  DescribeServicesRequest,
  ListServicesByNamespaceRequest,
  ListServicesRequest,
  UpdateServiceRequest,
} from '@aws-sdk/client-ecs';
import type { EcsControl } from '../../control/ecs-control.js';
import type { ServiceRecord } from '../../control/services/service.js';
import type { TagStore } from '../../control/tags.js';
import type { OperationHandler } from '../../server/service.js';
import { pageSize } from './paging.js';

const seconds = (ms: number) => ms / 1000;

/** The wire Service: timestamps in epoch seconds, the scheduler's memory left out; tags only when asked for. */
async function serviceWire(s: ServiceRecord, tags: TagStore | undefined) {
  const { region: _r, creationHash: _h, scheduler: _s, version: _v, deletedAt: _d, ...wire } = s;
  return {
    ...wire,
    createdAt: seconds(s.createdAt),
    // ECS's Deployment shape has no load balancers or registries: the service shows them.
    deployments: s.deployments.map(({ loadBalancers: _l, serviceRegistries: _r, ...d }) => ({ ...d, createdAt: seconds(d.createdAt), updatedAt: seconds(d.updatedAt) })),
    events: s.events.map((e) => ({ ...e, createdAt: seconds(e.createdAt) })),
    deploymentController: { type: 'ECS' },
    // Express services (managed by ECS) are not served: every service is the customer's.
    resourceManagementType: 'CUSTOMER',
    // ECS treats a service that never had a value as DISABLED.
    availabilityZoneRebalancing: s.availabilityZoneRebalancing ?? 'DISABLED',
    loadBalancers: s.loadBalancers ?? [],
    serviceRegistries: s.serviceRegistries ?? [],
    ...(tags && { tags: await tags.get(s.serviceArn) }),
  };
}

/** Handlers of the service operations. */
export function serviceHandlers(ecs: EcsControl): Record<string, OperationHandler> {
  const { services, tags } = ecs;
  return {
    async CreateService(input: CreateServiceRequest, { scope }) {
      return { service: await serviceWire(await services.create(scope, input), tags) };
    },
    async UpdateService(input: UpdateServiceRequest, { scope }) {
      return { service: await serviceWire(await services.update(scope, input), tags) };
    },
    async DeleteService(input: DeleteServiceRequest, { scope }) {
      return { service: await serviceWire(await services.delete(scope, input.cluster, input.service!, input.force ?? false), tags) };
    },
    async DescribeServices(input: DescribeServicesRequest, { scope }) {
      const withTags = input.include?.includes('TAGS') ?? false;
      const { found, missing } = await services.describe(scope, input.cluster, input.services ?? []);
      return {
        services: await Promise.all(found.map((s) => serviceWire(s, withTags ? tags : undefined))),
        failures: missing.map((arn) => ({ arn, reason: 'MISSING' })),
      };
    },
    async ListServices(input: ListServicesRequest, { scope }) {
      const page = await services.list(scope, input.cluster, {
        ...(input.launchType !== undefined && { launchType: input.launchType }),
        ...(input.schedulingStrategy !== undefined && { schedulingStrategy: input.schedulingStrategy }),
        ...(input.resourceManagementType !== undefined && { resourceManagementType: input.resourceManagementType }),
        maxResults: pageSize('ListServices', input.maxResults),
        ...(input.nextToken !== undefined && { nextToken: input.nextToken }),
      });
      return { serviceArns: page.items, ...(page.nextToken && { nextToken: page.nextToken }) };
    },
    // Service Connect namespaces (Cloud Map) are not modelled: no service belongs to one.
    async ListServicesByNamespace(input: ListServicesByNamespaceRequest) {
      pageSize('ListServicesByNamespace', input.maxResults);
      return { serviceArns: [] };
    },
  };
}
