import type { Discovery } from '../../discovery/discovery.js';
import { invalidInput } from '../../discovery/errors.js';
import type { OperationHandler } from '../../server/service.js';
import { PAGE_MAX } from './namespace-handlers.js';
import { discoveredOut, instanceOut, instanceSummaryOut, serviceOut, serviceSummaryOut, tagsIn } from './wire.js';

/** DiscoverInstances returns 100 instances unless MaxResults says otherwise. */
const DISCOVER_DEFAULT = 100;

/** The service and instance operations. */
export function serviceHandlers(d: Discovery): Record<string, OperationHandler> {
  const serviceAttributesRefused = async () => {
    throw invalidInput('Service attributes are not supported by minato.');
  };
  return {
    CreateService: async (input, { scope }) => ({
      Service: serviceOut(
        await d.services.create(scope, {
          name: input.Name,
          namespaceId: input.NamespaceId,
          description: input.Description,
          dnsConfig: input.DnsConfig,
          healthCheckConfig: input.HealthCheckConfig,
          healthCheckCustomConfig: input.HealthCheckCustomConfig,
          type: input.Type,
          creatorRequestId: input.CreatorRequestId,
          tags: tagsIn(input.Tags),
        }),
      ),
    }),
    GetService: async (input, { scope }) => ({ Service: serviceOut(await d.services.get(scope, input.Id)) }),
    ListServices: async (input, { scope }) => {
      const page = await d.services.list(scope, input.Filters ?? [], input.MaxResults ?? PAGE_MAX, input.NextToken);
      return { Services: page.items.map(serviceSummaryOut), ...(page.nextToken && { NextToken: page.nextToken }) };
    },
    UpdateService: async (input, { scope }) => ({
      OperationId: await d.services.update(scope, input.Id, {
        description: input.Service.Description,
        dnsRecords: input.Service.DnsConfig?.DnsRecords,
        healthCheckConfig: input.Service.HealthCheckConfig,
      }),
    }),
    DeleteService: async (input, { scope }) => {
      await d.services.delete(scope, input.Id);
      return {};
    },
    GetServiceAttributes: serviceAttributesRefused,
    UpdateServiceAttributes: serviceAttributesRefused,
    DeleteServiceAttributes: serviceAttributesRefused,
    RegisterInstance: async (input, { scope }) => ({
      OperationId: await d.instances.register(scope, {
        serviceId: input.ServiceId,
        instanceId: input.InstanceId,
        creatorRequestId: input.CreatorRequestId,
        attributes: input.Attributes,
      }),
    }),
    DeregisterInstance: async (input, { scope }) => ({ OperationId: await d.instances.deregister(scope, input.ServiceId, input.InstanceId) }),
    GetInstance: async (input, { scope }) => ({
      ResourceOwner: scope.accountId,
      Instance: instanceOut(await d.instances.get(scope, input.ServiceId, input.InstanceId)),
    }),
    ListInstances: async (input, { scope }) => {
      const page = await d.instances.list(scope, input.ServiceId, input.MaxResults ?? PAGE_MAX, input.NextToken);
      return { ResourceOwner: scope.accountId, Instances: page.items.map(instanceSummaryOut), ...(page.nextToken && { NextToken: page.nextToken }) };
    },
    DiscoverInstances: async (input, { scope }) => {
      checkOwner(input.OwnerAccount, scope.accountId);
      const found = await d.instances.discover(scope, {
        namespaceName: input.NamespaceName,
        serviceName: input.ServiceName,
        maxResults: input.MaxResults ?? DISCOVER_DEFAULT,
        queryParameters: input.QueryParameters,
        optionalParameters: input.OptionalParameters,
        healthStatus: input.HealthStatus,
      });
      return { Instances: found.instances.map(discoveredOut), InstancesRevision: found.revision };
    },
    DiscoverInstancesRevision: async (input, { scope }) => {
      checkOwner(input.OwnerAccount, scope.accountId);
      return { InstancesRevision: await d.instances.revision(scope, input.NamespaceName, input.ServiceName) };
    },
    GetInstancesHealthStatus: async (input, { scope }) => {
      const page = await d.instances.healthStatus(scope, input.ServiceId, input.Instances, input.MaxResults ?? PAGE_MAX, input.NextToken);
      return { Status: Object.fromEntries(page.items), ...(page.nextToken && { NextToken: page.nextToken }) };
    },
    UpdateInstanceCustomHealthStatus: async (input, { scope }) => {
      await d.instances.setCustomHealth(scope, input.ServiceId, input.InstanceId, input.Status);
      return {};
    },
  };
}

/** Namespaces shared by other accounts do not exist in minato. */
function checkOwner(owner: string | undefined, accountId: string): void {
  if (owner !== undefined && owner !== accountId) throw invalidInput(`Account ${owner} shares no namespaces with this account.`);
}
