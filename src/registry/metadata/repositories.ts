import { randomUUID } from 'node:crypto';
import { formatArn, parseArn } from '../../lib/arn.js';
import { ErrorKind } from '../../lib/errors.js';
import { decodeToken, pageOf, type Page } from '../../lib/pagination.js';
import type { Scope } from '../../lib/scope.js';
import type { Store, Transaction } from '../../store/store.js';
import { invalidRegistryParameter, registryError, repositoryNotFound } from '../errors.js';
import { checkRepositoryName } from '../names.js';
import { checkMutabilitySettings } from './tag-mutability.js';
import {
  Collections,
  TagMutability,
  repositoryKey,
  type ExclusionFilter,
  type ManifestRecord,
  type RepositoryRecord,
} from './records.js';
import { checkResourceTags, type ResourceTag } from './resource-tag-rules.js';

/** What CreateRepository accepts. */
export interface CreateRepositoryInput {
  repositoryName: string;
  tags?: ResourceTag[];
  imageTagMutability?: TagMutability;
  imageTagMutabilityExclusionFilters?: ExclusionFilter[];
  imageScanningConfiguration?: { scanOnPush?: boolean };
  encryptionConfiguration?: { encryptionType: string; kmsKey?: string };
}

/** Collections whose keys start with a repository's uid. */
const OWNED = [
  Collections.Manifests,
  Collections.ManifestBodies,
  Collections.Tags,
  Collections.Referrers,
  Collections.ManifestParents,
  Collections.PullThroughChecks,
  Collections.ImageScans,
  Collections.ImageScanFindings,
] as const;

/** ECR repositories of one account, region-scoped: create, find, list, change, delete. */
export class Repositories {
  constructor(private readonly store: Store) {}

  /** The repository URI: `<account>.dkr.ecr.<region>.amazonaws.com/<name>`, as ECR names it. */
  uriOf(record: RepositoryRecord): string {
    return `${record.registryId}.dkr.ecr.${record.region}.amazonaws.com/${record.name}`;
  }

  /** Creates a repository; the name must be free in the region. */
  async create(scope: Scope, input: CreateRepositoryInput): Promise<RepositoryRecord> {
    checkRepositoryName(input.repositoryName);
    const mutability = input.imageTagMutability ?? TagMutability.Mutable;
    const filters = input.imageTagMutabilityExclusionFilters ?? [];
    checkMutabilitySettings(mutability, filters);
    checkResourceTags(input.tags ?? []);
    const encryption = input.encryptionConfiguration ?? { encryptionType: 'AES256' };
    if (encryption.encryptionType === 'AES256' && encryption.kmsKey !== undefined) {
      throw invalidRegistryParameter('Invalid parameter at \'encryptionConfiguration\' failed to satisfy constraint: \'kmsKey can only be specified when encryptionType is KMS or KMS_DSSE\'');
    }
    const record: RepositoryRecord = {
      uid: randomUUID(),
      region: scope.region,
      name: input.repositoryName,
      arn: formatArn('ecr', scope.region, scope.accountId, `repository/${input.repositoryName}`),
      registryId: scope.accountId,
      createdAt: scope.now.getTime(),
      imageTagMutability: mutability,
      imageTagMutabilityExclusionFilters: filters,
      imageScanningConfiguration: { scanOnPush: input.imageScanningConfiguration?.scanOnPush ?? false },
      encryptionConfiguration: { encryptionType: encryption.encryptionType, ...(encryption.kmsKey !== undefined && { kmsKey: encryption.kmsKey }) },
    };
    await this.store.transaction(async (tx) => {
      const created = await tx.collection<RepositoryRecord>(Collections.Repositories).insert(repositoryKey(scope.region, record.name), record);
      if (!created) {
        throw registryError(
          ErrorKind.AlreadyExists,
          'repository-exists',
          `The repository with name '${record.name}' already exists in the registry with id '${scope.accountId}'`,
        );
      }
      if (input.tags?.length) await tx.collection<ResourceTag[]>(Collections.ResourceTags).put(record.arn, input.tags);
    });
    return record;
  }

  /** The named repository of the caller's region, or RepositoryNotFound / NAME_UNKNOWN. */
  async get(scope: Pick<Scope, 'region' | 'accountId'>, name: string): Promise<RepositoryRecord> {
    const record = await this.find(scope.region, name);
    if (!record) throw repositoryNotFound(name, scope.accountId);
    return record;
  }

  /** The named repository, if it exists. */
  find(region: string, name: string): Promise<RepositoryRecord | undefined> {
    return this.store.collection<RepositoryRecord>(Collections.Repositories).get(repositoryKey(region, name));
  }

  /** The repository a repository ARN names, in the caller's account and region. */
  async getByArn(scope: Scope, arn: string): Promise<RepositoryRecord> {
    const parsed = parseArn(arn);
    const name = parsed?.resource.startsWith('repository/') ? parsed.resource.slice('repository/'.length) : undefined;
    if (!parsed || parsed.service !== 'ecr' || !name) throw invalidRegistryParameter(`Invalid parameter at 'resourceArn' failed to satisfy constraint: 'Invalid ARN'`);
    if (parsed.accountId !== scope.accountId || parsed.region !== scope.region) throw repositoryNotFound(name, parsed.accountId);
    return this.get(scope, name);
  }

  /** Repositories of the region in name order, a page at a time. */
  async list(scope: Scope, maxResults: number, nextToken: string | undefined): Promise<Page<RepositoryRecord>> {
    const after = decodeToken('repositories', nextToken);
    const rows = await this.store
      .collection<RepositoryRecord>(Collections.Repositories)
      .list({ prefix: `${scope.region}/`, ...(after !== undefined && { after }), limit: maxResults + 1 });
    return pageOf('repositories', rows, maxResults);
  }

  /** Changes a repository's settings in a transaction; `change` returns the new record. */
  async update(scope: Scope, name: string, change: (r: RepositoryRecord) => RepositoryRecord): Promise<RepositoryRecord> {
    return this.store.transaction(async (tx) => {
      const repos = tx.collection<RepositoryRecord>(Collections.Repositories);
      const current = await repos.get(repositoryKey(scope.region, name));
      if (!current) throw repositoryNotFound(name, scope.accountId);
      const next = change(current);
      await repos.put(repositoryKey(scope.region, name), next);
      return next;
    });
  }

  /**
   * Deletes a repository. Without `force` it must hold no images (RepositoryNotEmpty). Everything
   * it owns goes in the same transaction; its blobs stay for the garbage collector.
   */
  async delete(scope: Scope, name: string, force: boolean): Promise<RepositoryRecord> {
    return this.store.transaction(async (tx) => {
      const repos = tx.collection<RepositoryRecord>(Collections.Repositories);
      const record = await repos.get(repositoryKey(scope.region, name));
      if (!record) throw repositoryNotFound(name, scope.accountId);
      const images = await tx.collection<ManifestRecord>(Collections.Manifests).list({ prefix: `${record.uid}/`, limit: 1 });
      if (images.length > 0 && !force) {
        throw registryError(
          ErrorKind.FailedPrecondition,
          'repository-not-empty',
          `The repository with name '${name}' in registry with id '${scope.accountId}' cannot be deleted because it still contains images`,
        );
      }
      for (const collection of OWNED) await deletePrefix(tx, collection, `${record.uid}/`);
      await tx.collection(Collections.ResourceTags).delete(record.arn);
      await tx.collection(Collections.LifecyclePreviews).delete(repositoryKey(scope.region, name));
      await repos.delete(repositoryKey(scope.region, name));
      return record;
    });
  }
}

/** Deletes every document of `collection` whose key starts with `prefix`. */
export async function deletePrefix(tx: Transaction, collection: string, prefix: string): Promise<void> {
  const c = tx.collection(collection);
  for (;;) {
    const page = await c.list({ prefix, limit: 500 });
    for (const { key } of page) await c.delete(key);
    if (page.length < 500) return;
  }
}
