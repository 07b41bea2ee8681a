import type {
  CreatePullThroughCacheRuleRequest,
  DeletePullThroughCacheRuleRequest,
  DescribePullThroughCacheRulesRequest,
  UpdatePullThroughCacheRuleRequest,
  ValidatePullThroughCacheRuleRequest,
} from '@aws-sdk/client-ecr';
import type { PullThroughRule } from '../../registry/pull-through/rules.js';
import type { Registry } from '../../registry/registry.js';
import type { OperationHandler } from '../../server/service.js';
import { pageSize, seconds } from './paging.js';

/** The wire PullThroughCacheRule. */
function ruleWire(r: PullThroughRule) {
  return {
    ecrRepositoryPrefix: r.ecrRepositoryPrefix,
    upstreamRegistryUrl: r.upstreamRegistryUrl,
    createdAt: seconds(r.createdAt),
    registryId: r.registryId,
    ...(r.upstreamRegistry !== undefined && { upstreamRegistry: r.upstreamRegistry }),
    ...(r.upstreamRepositoryPrefix !== undefined && { upstreamRepositoryPrefix: r.upstreamRepositoryPrefix }),
    ...(r.credentialArn !== undefined && { credentialArn: r.credentialArn }),
    ...(r.customRoleArn !== undefined && { customRoleArn: r.customRoleArn }),
    updatedAt: seconds(r.updatedAt),
  };
}

/**
 * Handlers of the pull through cache rule operations. Any OCI distribution registry URL is a
 * valid upstream. Upstreams are asked anonymously unless the rule has a credentialArn: then the
 * secret's `username` and `accessToken` answer the upstream's Basic or Bearer challenge (when the
 * registry was given a way to read secrets). customRoleArn is stored, not used.
 */
export function pullThroughHandlers(registry: Registry): Record<string, OperationHandler> {
  const rules = registry.pullThroughRules;
  return {
    async CreatePullThroughCacheRule(input: CreatePullThroughCacheRuleRequest, { scope }) {
      const { updatedAt: _updated, ...rule } = ruleWire(
        await rules.create(scope, {
          ecrRepositoryPrefix: input.ecrRepositoryPrefix!,
          upstreamRegistryUrl: input.upstreamRegistryUrl!,
          ...(input.upstreamRegistry !== undefined && { upstreamRegistry: input.upstreamRegistry }),
          ...(input.upstreamRepositoryPrefix !== undefined && { upstreamRepositoryPrefix: input.upstreamRepositoryPrefix }),
          ...(input.credentialArn !== undefined && { credentialArn: input.credentialArn }),
          ...(input.customRoleArn !== undefined && { customRoleArn: input.customRoleArn }),
        }),
      );
      return rule;
    },
    async DescribePullThroughCacheRules(input: DescribePullThroughCacheRulesRequest, { scope }) {
      if (input.ecrRepositoryPrefixes?.length) {
        const found = [];
        for (const prefix of input.ecrRepositoryPrefixes) found.push(ruleWire(await rules.get(scope, prefix)));
        return { pullThroughCacheRules: found };
      }
      const page = await rules.list(scope, pageSize('DescribePullThroughCacheRules', input.maxResults), input.nextToken);
      return { pullThroughCacheRules: page.items.map(ruleWire), ...(page.nextToken && { nextToken: page.nextToken }) };
    },
    async UpdatePullThroughCacheRule(input: UpdatePullThroughCacheRuleRequest, { scope }) {
      const r = await rules.update(scope, input.ecrRepositoryPrefix!, { credentialArn: input.credentialArn, customRoleArn: input.customRoleArn });
      return {
        ecrRepositoryPrefix: r.ecrRepositoryPrefix,
        registryId: r.registryId,
        updatedAt: seconds(r.updatedAt),
        ...(r.credentialArn !== undefined && { credentialArn: r.credentialArn }),
        ...(r.customRoleArn !== undefined && { customRoleArn: r.customRoleArn }),
        ...(r.upstreamRepositoryPrefix !== undefined && { upstreamRepositoryPrefix: r.upstreamRepositoryPrefix }),
      };
    },
    async DeletePullThroughCacheRule(input: DeletePullThroughCacheRuleRequest, { scope }) {
      const { updatedAt: _updated, upstreamRegistry: _upstream, ...rule } = ruleWire(await rules.delete(scope, input.ecrRepositoryPrefix!));
      return rule;
    },
    async ValidatePullThroughCacheRule(input: ValidatePullThroughCacheRuleRequest, { scope }) {
      const { rule: r, isValid, failure } = await rules.validate(scope, input.ecrRepositoryPrefix!);
      return {
        ecrRepositoryPrefix: r.ecrRepositoryPrefix,
        registryId: r.registryId,
        upstreamRegistryUrl: r.upstreamRegistryUrl,
        ...(r.credentialArn !== undefined && { credentialArn: r.credentialArn }),
        ...(r.customRoleArn !== undefined && { customRoleArn: r.customRoleArn }),
        ...(r.upstreamRepositoryPrefix !== undefined && { upstreamRepositoryPrefix: r.upstreamRepositoryPrefix }),
        isValid,
        ...(failure !== undefined && { failure }),
      };
    },
  };
}
