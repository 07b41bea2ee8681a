import type {
  AddTagsToResourceRequest,
  LabelParameterVersionRequest,
  ListTagsForResourceRequest,
  RemoveTagsFromResourceRequest,
  UnlabelParameterVersionRequest,
} from '@aws-sdk/client-ssm';
import { invalidResourceId } from '../../secrets/parameters/errors.js';
import type { SecretsDomain } from '../../secrets/secrets-domain.js';
import type { OperationHandler } from '../../server/service.js';
import { tagsIn } from './wire.js';

/**
 * Only parameters are taggable here; the other resource types SSM tags (documents, maintenance
 * windows, ...) do not exist on this platform, so any id of theirs is an InvalidResourceId.
 */
function parameterName(input: { ResourceType?: string; ResourceId?: string }): string {
  if (input.ResourceType !== 'Parameter') throw invalidResourceId();
  return input.ResourceId!;
}

/** Handlers of the label and tag operations. */
export function labelTagHandlers({ parameterLabels }: SecretsDomain): Record<string, OperationHandler> {
  return {
    async LabelParameterVersion(input: LabelParameterVersionRequest, { scope }) {
      const result = await parameterLabels.label(scope, input.Name!, input.ParameterVersion, input.Labels ?? []);
      return { InvalidLabels: result.invalidLabels, ParameterVersion: result.version };
    },
    async UnlabelParameterVersion(input: UnlabelParameterVersionRequest, { scope }) {
      const result = await parameterLabels.unlabel(scope, input.Name!, input.ParameterVersion!, input.Labels ?? []);
      return { RemovedLabels: result.removedLabels, InvalidLabels: result.invalidLabels };
    },
    async AddTagsToResource(input: AddTagsToResourceRequest, { scope }) {
      await parameterLabels.addTags(scope, parameterName(input), tagsIn(input.Tags));
      return {};
    },
    async RemoveTagsFromResource(input: RemoveTagsFromResourceRequest, { scope }) {
      await parameterLabels.removeTags(scope, parameterName(input), input.TagKeys ?? []);
      return {};
    },
    async ListTagsForResource(input: ListTagsForResourceRequest, { scope }) {
      return { TagList: await parameterLabels.listTags(scope, parameterName(input)) };
    },
  };
}
