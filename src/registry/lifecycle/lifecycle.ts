import { ErrorKind, isDomainError } from '../../lib/errors.js';
import type { Scope } from '../../lib/scope.js';
import type { Store } from '../../store/store.js';
import { registryError } from '../errors.js';
import type { ImageQueries } from '../metadata/image-queries.js';
import type { Images } from '../metadata/images.js';
import { Collections, ownedKey, repositoryKey, type ManifestRecord, type RepositoryRecord } from '../metadata/records.js';
import type { Repositories } from '../metadata/repositories.js';
import { evaluateLifecyclePolicy, type LifecycleExpiry, type LifecycleImage } from './evaluate.js';
import { parseLifecyclePolicy } from './policy.js';

/** One image a preview expires. */
export interface PreviewResult {
  imageDigest: string;
  imageTags: string[];
  /** Epoch ms. */
  imagePushedAt: number;
  appliedRulePriority: number;
}

/** A stored lifecycle policy preview. */
export interface PreviewRecord {
  lifecyclePolicyText: string;
  status: 'COMPLETE';
  results: PreviewResult[];
}

const notFound = (scope: Scope, name: string) =>
  registryError(
    ErrorKind.NotFound,
    'lifecycle-policy',
    `Lifecycle policy does not exist for the repository with name '${name}' in the registry with id '${scope.accountId}'`,
  );

/**
 * Lifecycle policies: stored per repository, previewed, and enforced. Images listed by an index
 * of the repository are left out of the evaluation (they live and die with their index), as are
 * images that cannot be deleted for that reason at enforcement time.
 */
export class Lifecycle {
  constructor(
    private readonly store: Store,
    private readonly repositories: Repositories,
    private readonly images: Images,
    private readonly queries: ImageQueries,
  ) {}

  /** Validates and stores a policy. */
  async put(scope: Scope, name: string, text: string): Promise<RepositoryRecord> {
    parseLifecyclePolicy(text);
    return this.repositories.update(scope, name, (r) => ({ ...r, lifecyclePolicyText: text }));
  }

  /** The stored policy, or LifecyclePolicyNotFound. */
  async get(scope: Scope, name: string): Promise<RepositoryRecord & { lifecyclePolicyText: string }> {
    const repository = await this.repositories.get(scope, name);
    if (repository.lifecyclePolicyText === undefined) throw notFound(scope, name);
    return repository as RepositoryRecord & { lifecyclePolicyText: string };
  }

  /** Removes the policy; returns the repository as it was. */
  async delete(scope: Scope, name: string): Promise<RepositoryRecord & { lifecyclePolicyText: string }> {
    const before = await this.get(scope, name);
    await this.repositories.update(scope, name, ({ lifecyclePolicyText: _text, lifecycleEvaluatedAt: _at, ...rest }) => rest);
    return before;
  }

  /** Evaluates a policy (the given text, else the stored one) without deleting anything, and keeps the result. */
  async startPreview(scope: Scope, name: string, text?: string): Promise<PreviewRecord> {
    const repository = await this.repositories.get(scope, name);
    const policyText = text ?? repository.lifecyclePolicyText;
    if (policyText === undefined) throw notFound(scope, name);
    const images = await this.evaluationSet(repository);
    const expiries = evaluateLifecyclePolicy(parseLifecyclePolicy(policyText), [...images.values()], scope.now.getTime());
    const preview: PreviewRecord = {
      lifecyclePolicyText: policyText,
      status: 'COMPLETE',
      results: expiries.map((e) => {
        const image = images.get(e.digest)!;
        return { imageDigest: e.digest, imageTags: [...image.tags], imagePushedAt: image.pushedAt, appliedRulePriority: e.rulePriority };
      }),
    };
    await this.store.collection<PreviewRecord>(Collections.LifecyclePreviews).put(repositoryKey(scope.region, name), preview);
    return preview;
  }

  /** The last preview of the repository, or LifecyclePolicyPreviewNotFound. */
  async getPreview(scope: Scope, name: string): Promise<PreviewRecord> {
    await this.repositories.get(scope, name);
    const preview = await this.store.collection<PreviewRecord>(Collections.LifecyclePreviews).get(repositoryKey(scope.region, name));
    if (!preview) {
      throw registryError(
        ErrorKind.NotFound,
        'lifecycle-preview',
        `There is no lifecycle policy preview for the repository with name '${name}' in the registry with id '${scope.accountId}'`,
      );
    }
    return preview;
  }

  /** Applies the repository's policy now: deletes the images it expires. Returns what was deleted. */
  async apply(scope: Scope, name: string): Promise<LifecycleExpiry[]> {
    const repository = await this.repositories.get(scope, name);
    if (repository.lifecyclePolicyText === undefined) return [];
    const images = await this.evaluationSet(repository);
    const expiries = evaluateLifecyclePolicy(parseLifecyclePolicy(repository.lifecyclePolicyText), [...images.values()], scope.now.getTime());
    const deleted: LifecycleExpiry[] = [];
    for (const expiry of expiries) {
      try {
        await this.images.deleteManifest(scope, name, expiry.digest);
        deleted.push(expiry);
      } catch (err) {
        // Deleted meanwhile, or listed by an index pushed meanwhile: not an error of the sweep.
        if (!isDomainError(err)) throw err;
      }
    }
    await this.repositories.update(scope, name, (r) => ({ ...r, lifecycleEvaluatedAt: scope.now.getTime() })).catch(() => undefined);
    return deleted;
  }

  /** Applies every repository's policy (all regions); returns how many images were deleted. */
  async applyAll(accountId: string, now: Date): Promise<number> {
    let deleted = 0;
    let after: string | undefined;
    const repos = this.store.collection<RepositoryRecord>(Collections.Repositories);
    for (;;) {
      const page = await repos.list({ ...(after !== undefined && { after }), limit: 100 });
      for (const { value } of page) {
        if (value.lifecyclePolicyText === undefined) continue;
        const scope: Scope = { accountId, region: value.region, principalArn: `arn:aws:iam::${accountId}:root`, now };
        deleted += (await this.apply(scope, value.name).catch(() => [])).length;
      }
      if (page.length < 100) return deleted;
      after = page[page.length - 1]!.key;
    }
  }

  /** The repository's images that lifecycle rules consider: all but those an index lists. */
  private async evaluationSet(repository: RepositoryRecord): Promise<Map<string, LifecycleImage>> {
    const images = new Map<string, LifecycleImage>();
    let token: string | undefined;
    do {
      const page = await this.queries.manifests(repository, 'ANY', 500, token);
      for (const record of page.items) {
        if (await this.isListedByIndex(repository, record)) continue;
        images.set(record.digest, { digest: record.digest, tags: record.tags, pushedAt: record.pushedAt });
      }
      token = page.nextToken;
    } while (token);
    return images;
  }

  private async isListedByIndex(repository: RepositoryRecord, record: ManifestRecord): Promise<boolean> {
    const parents = await this.store.collection(Collections.ManifestParents).list({ prefix: `${ownedKey(repository.uid, record.digest)}/`, limit: 1 });
    return parents.length > 0;
  }
}
