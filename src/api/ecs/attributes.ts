import type { DeleteAttributesRequest, ListAttributesRequest, PutAttributesRequest } from '@aws-sdk/client-ecs';
import type { EcsControl } from '../../control/ecs-control.js';
import type { OperationHandler } from '../../server/service.js';
import { pageSize } from './paging.js';

/** Handlers of the attribute operations (targets: container instances). */
export function attributeHandlers(ecs: EcsControl): Record<string, OperationHandler> {
  const { attributes } = ecs.containerInstances;
  return {
    async PutAttributes(input: PutAttributesRequest, { scope }) {
      return { attributes: await attributes.put(scope, input.cluster, input.attributes ?? []) };
    },
    async DeleteAttributes(input: DeleteAttributesRequest, { scope }) {
      return { attributes: await attributes.delete(scope, input.cluster, input.attributes ?? []) };
    },
    async ListAttributes(input: ListAttributesRequest, { scope }) {
      const page = await attributes.list(scope, input.cluster, {
        targetType: input.targetType!,
        ...(input.attributeName !== undefined && { attributeName: input.attributeName }),
        ...(input.attributeValue !== undefined && { attributeValue: input.attributeValue }),
        maxResults: pageSize('ListAttributes', input.maxResults),
        ...(input.nextToken !== undefined && { nextToken: input.nextToken }),
      });
      return { attributes: page.items, ...(page.nextToken && { nextToken: page.nextToken }) };
    },
  };
}
