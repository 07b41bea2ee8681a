import type {
  ListTagsForResourceRequest,
  ListTagsLogGroupRequest,
  TagLogGroupRequest,
  TagResourceRequest,
  UntagLogGroupRequest,
  UntagResourceRequest,
} from '@aws-sdk/client-cloudwatch-logs';
import type { LogService } from '../../logstore/log-service.js';
import type { OperationHandler } from '../../server/service.js';
import { taggedGroupOf } from './identifiers.js';

/** Handlers of the tagging operations: by ARN, and the older (deprecated) by-name ones. */
export function taggingHandlers(logs: LogService): Record<string, OperationHandler> {
  return {
    async TagResource(input: TagResourceRequest, { scope }) {
      await logs.groups.tag(scope, taggedGroupOf(scope, input.resourceArn!), input.tags ?? {});
      return {};
    },
    async UntagResource(input: UntagResourceRequest, { scope }) {
      await logs.groups.untag(scope, taggedGroupOf(scope, input.resourceArn!), input.tagKeys ?? []);
      return {};
    },
    async ListTagsForResource(input: ListTagsForResourceRequest, { scope }) {
      return { tags: await logs.groups.tags(scope, taggedGroupOf(scope, input.resourceArn!)) };
    },
    async TagLogGroup(input: TagLogGroupRequest, { scope }) {
      await logs.groups.tag(scope, input.logGroupName!, input.tags ?? {});
      return {};
    },
    async UntagLogGroup(input: UntagLogGroupRequest, { scope }) {
      await logs.groups.untag(scope, input.logGroupName!, input.tags ?? []);
      return {};
    },
    async ListTagsLogGroup(input: ListTagsLogGroupRequest, { scope }) {
      return { tags: await logs.groups.tags(scope, input.logGroupName!) };
    },
  };
}
