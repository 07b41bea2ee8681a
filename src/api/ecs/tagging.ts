import type { ListTagsForResourceRequest, TagResourceRequest, UntagResourceRequest } from '@aws-sdk/client-ecs';
import type { EcsControl } from '../../control/ecs-control.js';
import type { OperationHandler } from '../../server/service.js';

/** Handlers of TagResource, UntagResource and ListTagsForResource. */
export function taggingHandlers(ecs: EcsControl): Record<string, OperationHandler> {
  return {
    async TagResource(input: TagResourceRequest, { scope }) {
      await ecs.tagging.tag(scope, input.resourceArn!, input.tags ?? []);
      return {};
    },
    async UntagResource(input: UntagResourceRequest, { scope }) {
      await ecs.tagging.untag(scope, input.resourceArn!, input.tagKeys ?? []);
      return {};
    },
    async ListTagsForResource(input: ListTagsForResourceRequest, { scope }) {
      return { tags: await ecs.tagging.list(scope, input.resourceArn!) };
    },
  };
}
