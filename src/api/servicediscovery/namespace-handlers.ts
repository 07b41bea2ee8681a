import type { Discovery } from '../../discovery/discovery.js';
import { invalidInput } from '../../discovery/errors.js';
import type { OperationHandler } from '../../server/service.js';
import { namespaceOut, namespaceSummaryOut, operationOut, tagsIn } from './wire.js';

/** ListNamespaces, ListServices, ListOperations: at most 100 per page, 100 by default. */
export const PAGE_MAX = 100;

/** The namespace and operation operations. */
export function namespaceHandlers(d: Discovery): Record<string, OperationHandler> {
  return {
    CreatePrivateDnsNamespace: async (input, { scope }) => ({
      OperationId: await d.namespaces.create(scope, {
        name: input.Name,
        type: 'DNS_PRIVATE',
        vpc: input.Vpc,
        description: input.Description,
        soaTtl: input.Properties?.DnsProperties?.SOA?.TTL,
        creatorRequestId: input.CreatorRequestId,
        tags: tagsIn(input.Tags),
      }),
    }),
    CreateHttpNamespace: async (input, { scope }) => ({
      OperationId: await d.namespaces.create(scope, {
        name: input.Name,
        type: 'HTTP',
        description: input.Description,
        creatorRequestId: input.CreatorRequestId,
        tags: tagsIn(input.Tags),
      }),
    }),
    // Public namespaces need public DNS delegation, which a self-hosted platform cannot give.
    CreatePublicDnsNamespace: async () => {
      throw invalidInput('Public DNS namespaces are not supported by minato; create a private DNS namespace or an HTTP namespace.');
    },
    UpdatePublicDnsNamespace: async () => {
      throw invalidInput('Public DNS namespaces are not supported by minato.');
    },
    GetNamespace: async (input, { scope }) => ({ Namespace: namespaceOut(await d.namespaces.get(scope, input.Id)) }),
    ListNamespaces: async (input, { scope }) => {
      const page = await d.namespaces.list(scope, input.Filters ?? [], input.MaxResults ?? PAGE_MAX, input.NextToken);
      return { Namespaces: page.items.map(namespaceSummaryOut), ...(page.nextToken && { NextToken: page.nextToken }) };
    },
    DeleteNamespace: async (input, { scope }) => ({ OperationId: await d.namespaces.delete(scope, input.Id) }),
    UpdatePrivateDnsNamespace: async (input, { scope }) => ({
      OperationId: await d.namespaces.update(
        scope,
        input.Id,
        'DNS_PRIVATE',
        { description: input.Namespace.Description, soaTtl: input.Namespace.Properties?.DnsProperties?.SOA?.TTL },
        input.UpdaterRequestId,
      ),
    }),
    UpdateHttpNamespace: async (input, { scope }) => ({
      OperationId: await d.namespaces.update(scope, input.Id, 'HTTP', { description: input.Namespace.Description }, input.UpdaterRequestId),
    }),
    GetOperation: async (input, { scope }) => ({ Operation: operationOut(await d.operations.get(scope, input.OperationId, input.OwnerAccount)) }),
    ListOperations: async (input, { scope }) => {
      const page = await d.operations.list(scope, input.Filters ?? [], input.MaxResults ?? PAGE_MAX, input.NextToken);
      return { Operations: page.items.map((op) => ({ Id: op.id, Status: op.status })), ...(page.nextToken && { NextToken: page.nextToken }) };
    },
    TagResource: async (input, { scope }) => {
      await d.tagging.tag(scope, input.ResourceARN, tagsIn(input.Tags));
      return {};
    },
    UntagResource: async (input, { scope }) => {
      await d.tagging.untag(scope, input.ResourceARN, input.TagKeys);
      return {};
    },
    ListTagsForResource: async (input, { scope }) => ({ Tags: await d.tagging.list(scope, input.ResourceARN) }),
  };
}
