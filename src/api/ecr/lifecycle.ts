import type {
  DeleteLifecyclePolicyRequest,
  GetLifecyclePolicyPreviewRequest,
  GetLifecyclePolicyRequest,
  PutLifecyclePolicyRequest,
  StartLifecyclePolicyPreviewRequest,
} from '@aws-sdk/client-ecr';
import { decodeToken, encodeToken } from '../../lib/pagination.js';
import type { Registry } from '../../registry/registry.js';
import type { OperationHandler } from '../../server/service.js';
import { pageSize, seconds } from './paging.js';

/** Handlers of the lifecycle policy operations. */
export function lifecycleHandlers(registry: Registry): Record<string, OperationHandler> {
  const { lifecycle } = registry;
  return {
    async PutLifecyclePolicy(input: PutLifecyclePolicyRequest, { scope }) {
      const r = await lifecycle.put(scope, input.repositoryName!, input.lifecyclePolicyText!);
      return { registryId: r.registryId, repositoryName: r.name, lifecyclePolicyText: r.lifecyclePolicyText };
    },
    async GetLifecyclePolicy(input: GetLifecyclePolicyRequest, { scope }) {
      const r = await lifecycle.get(scope, input.repositoryName!);
      return {
        registryId: r.registryId,
        repositoryName: r.name,
        lifecyclePolicyText: r.lifecyclePolicyText,
        ...(r.lifecycleEvaluatedAt !== undefined && { lastEvaluatedAt: seconds(r.lifecycleEvaluatedAt) }),
      };
    },
    async DeleteLifecyclePolicy(input: DeleteLifecyclePolicyRequest, { scope }) {
      const r = await lifecycle.delete(scope, input.repositoryName!);
      return {
        registryId: r.registryId,
        repositoryName: r.name,
        lifecyclePolicyText: r.lifecyclePolicyText,
        ...(r.lifecycleEvaluatedAt !== undefined && { lastEvaluatedAt: seconds(r.lifecycleEvaluatedAt) }),
      };
    },
    async StartLifecyclePolicyPreview(input: StartLifecyclePolicyPreviewRequest, { scope }) {
      // The evaluation is quick and synchronous, so the preview is complete when this returns.
      const preview = await lifecycle.startPreview(scope, input.repositoryName!, input.lifecyclePolicyText);
      return { registryId: scope.accountId, repositoryName: input.repositoryName, lifecyclePolicyText: preview.lifecyclePolicyText, status: preview.status };
    },
    async GetLifecyclePolicyPreview(input: GetLifecyclePolicyPreviewRequest, { scope }) {
      const preview = await lifecycle.getPreview(scope, input.repositoryName!);
      let results = preview.results;
      if (input.imageIds?.length) {
        results = results.filter((r) => input.imageIds!.some((id) => id.imageDigest === r.imageDigest || (id.imageTag !== undefined && r.imageTags.includes(id.imageTag))));
      }
      const tagStatus = input.filter?.tagStatus;
      if (tagStatus === 'TAGGED') results = results.filter((r) => r.imageTags.length > 0);
      if (tagStatus === 'UNTAGGED') results = results.filter((r) => r.imageTags.length === 0);
      const max = pageSize('GetLifecyclePolicyPreview', input.maxResults);
      const listing = `lifecycle-preview:${scope.region}/${input.repositoryName}`;
      const start = Number(decodeToken(listing, input.nextToken) ?? 0);
      const page = results.slice(start, start + max);
      return {
        registryId: scope.accountId,
        repositoryName: input.repositoryName,
        lifecyclePolicyText: preview.lifecyclePolicyText,
        status: preview.status,
        previewResults: page.map((r) => ({
          ...(r.imageTags.length > 0 && { imageTags: r.imageTags }),
          imageDigest: r.imageDigest,
          imagePushedAt: seconds(r.imagePushedAt),
          action: { type: 'EXPIRE' },
          appliedRulePriority: r.appliedRulePriority,
        })),
        summary: { expiringImageTotalCount: preview.results.length },
        ...(start + max < results.length && { nextToken: encodeToken(listing, String(start + max)) }),
      };
    },
  };
}
