import type {
  CreateRepositoryRequest,
  DeleteRepositoryPolicyRequest,
  DeleteRepositoryRequest,
  DescribeRepositoriesRequest,
  GetRepositoryPolicyRequest,
  PutImageScanningConfigurationRequest,
  PutImageTagMutabilityRequest,
  SetRepositoryPolicyRequest,
} from '@aws-sdk/client-ecr';
import { invalidRegistryParameter } from '../../registry/errors.js';
import type { ExclusionFilter, RepositoryRecord, TagMutability } from '../../registry/metadata/records.js';
import type { ResourceTag } from '../../registry/metadata/resource-tags.js';
import { checkMutabilitySettings } from '../../registry/metadata/tag-mutability.js';
import type { Registry } from '../../registry/registry.js';
import type { OperationHandler } from '../../server/service.js';
import { pageSize, seconds } from './paging.js';

/** The wire Repository. */
export function repositoryWire(registry: Registry, r: RepositoryRecord) {
  return {
    repositoryArn: r.arn,
    registryId: r.registryId,
    repositoryName: r.name,
    repositoryUri: registry.repositories.uriOf(r),
    createdAt: seconds(r.createdAt),
    imageTagMutability: r.imageTagMutability,
    ...(r.imageTagMutabilityExclusionFilters.length > 0 && { imageTagMutabilityExclusionFilters: r.imageTagMutabilityExclusionFilters }),
    imageScanningConfiguration: r.imageScanningConfiguration,
    encryptionConfiguration: r.encryptionConfiguration,
  };
}

/** Handlers of the repository operations and repository settings. */
export function repositoryHandlers(registry: Registry): Record<string, OperationHandler> {
  const { repositories, policies } = registry;
  return {
    async CreateRepository(input: CreateRepositoryRequest, { scope }) {
      const record = await repositories.create(scope, {
        repositoryName: input.repositoryName!,
        ...(input.tags && { tags: input.tags as ResourceTag[] }),
        ...(input.imageTagMutability && { imageTagMutability: input.imageTagMutability as TagMutability }),
        ...(input.imageTagMutabilityExclusionFilters && { imageTagMutabilityExclusionFilters: input.imageTagMutabilityExclusionFilters as ExclusionFilter[] }),
        ...(input.imageScanningConfiguration && { imageScanningConfiguration: input.imageScanningConfiguration }),
        ...(input.encryptionConfiguration && { encryptionConfiguration: { encryptionType: input.encryptionConfiguration.encryptionType!, ...(input.encryptionConfiguration.kmsKey !== undefined && { kmsKey: input.encryptionConfiguration.kmsKey }) } }),
      });
      return { repository: repositoryWire(registry, record) };
    },
    async DescribeRepositories(input: DescribeRepositoriesRequest, { scope }) {
      if (input.repositoryNames?.length) {
        if (input.nextToken !== undefined || input.maxResults !== undefined) {
          throw invalidRegistryParameter('When repositoryNames are specified, nextToken and maxResults cannot be used.');
        }
        const found = [];
        for (const name of input.repositoryNames) found.push(repositoryWire(registry, await repositories.get(scope, name)));
        return { repositories: found };
      }
      const page = await repositories.list(scope, pageSize('DescribeRepositories', input.maxResults), input.nextToken);
      return { repositories: page.items.map((r) => repositoryWire(registry, r)), ...(page.nextToken && { nextToken: page.nextToken }) };
    },
    async DeleteRepository(input: DeleteRepositoryRequest, { scope }) {
      const record = await repositories.delete(scope, input.repositoryName!, input.force ?? false);
      return { repository: repositoryWire(registry, record) };
    },
    async PutImageTagMutability(input: PutImageTagMutabilityRequest, { scope }) {
      const mutability = input.imageTagMutability as TagMutability;
      const filters = (input.imageTagMutabilityExclusionFilters ?? []) as ExclusionFilter[];
      checkMutabilitySettings(mutability, filters);
      const r = await repositories.update(scope, input.repositoryName!, (rec) => ({ ...rec, imageTagMutability: mutability, imageTagMutabilityExclusionFilters: filters }));
      return {
        registryId: r.registryId,
        repositoryName: r.name,
        imageTagMutability: r.imageTagMutability,
        ...(filters.length > 0 && { imageTagMutabilityExclusionFilters: filters }),
      };
    },
    async PutImageScanningConfiguration(input: PutImageScanningConfigurationRequest, { scope }) {
      const scanOnPush = input.imageScanningConfiguration?.scanOnPush ?? false;
      const r = await repositories.update(scope, input.repositoryName!, (rec) => ({ ...rec, imageScanningConfiguration: { scanOnPush } }));
      return { registryId: r.registryId, repositoryName: r.name, imageScanningConfiguration: r.imageScanningConfiguration };
    },
    async SetRepositoryPolicy(input: SetRepositoryPolicyRequest, { scope }) {
      const r = await policies.set(scope, input.repositoryName!, input.policyText!);
      return { registryId: r.registryId, repositoryName: r.name, policyText: r.policyText };
    },
    async GetRepositoryPolicy(input: GetRepositoryPolicyRequest, { scope }) {
      const policyText = await policies.get(scope, input.repositoryName!);
      return { registryId: scope.accountId, repositoryName: input.repositoryName, policyText };
    },
    async DeleteRepositoryPolicy(input: DeleteRepositoryPolicyRequest, { scope }) {
      const policyText = await policies.delete(scope, input.repositoryName!);
      return { registryId: scope.accountId, repositoryName: input.repositoryName, policyText };
    },
  };
}
