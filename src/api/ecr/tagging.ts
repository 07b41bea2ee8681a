import type { ListTagsForResourceRequest, TagResourceRequest, UntagResourceRequest } from '@aws-sdk/client-ecr';
import type { ResourceTag } from '../../registry/metadata/resource-tags.js';
import type { Registry } from '../../registry/registry.js';
import type { OperationHandler } from '../../server/service.js';

/** Handlers of TagResource, UntagResource and ListTagsForResource (repository ARNs). */
export function taggingHandlers(registry: Registry): Record<string, OperationHandler> {
  const { resourceTags } = registry;
  return {
    async TagResource(input: TagResourceRequest, { scope }) {
      await resourceTags.tag(scope, input.resourceArn!, (input.tags ?? []) as ResourceTag[]);
      return {};
    },
    async UntagResource(input: UntagResourceRequest, { scope }) {
      await resourceTags.untag(scope, input.resourceArn!, input.tagKeys ?? []);
      return {};
    },
    async ListTagsForResource(input: ListTagsForResourceRequest, { scope }) {
      return { tags: await resourceTags.list(scope, input.resourceArn!) };
    },
  };
}
