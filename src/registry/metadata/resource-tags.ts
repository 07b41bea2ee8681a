import type { Scope } from '../../lib/scope.js';
import type { Store } from '../../store/store.js';
import { Collections } from './records.js';
import type { Repositories } from './repositories.js';
import { checkResourceTags, type ResourceTag } from './resource-tag-rules.js';

export type { ResourceTag } from './resource-tag-rules.js';

/** TagResource, UntagResource and ListTagsForResource over repositories. */
export class ResourceTags {
  constructor(
    private readonly store: Store,
    private readonly repositories: Repositories,
  ) {}

  /** The tags of the repository `arn` names. */
  async list(scope: Scope, arn: string): Promise<ResourceTag[]> {
    const repo = await this.repositories.getByArn(scope, arn);
    return (await this.store.collection<ResourceTag[]>(Collections.ResourceTags).get(repo.arn)) ?? [];
  }

  /** Adds or replaces tags. */
  async tag(scope: Scope, arn: string, tags: readonly ResourceTag[]): Promise<void> {
    const repo = await this.repositories.getByArn(scope, arn);
    checkResourceTags(tags);
    await this.store.transaction(async (tx) => {
      const c = tx.collection<ResourceTag[]>(Collections.ResourceTags);
      const byKey = new Map(((await c.get(repo.arn)) ?? []).map((t) => [t.Key, t.Value]));
      for (const t of tags) byKey.set(t.Key, t.Value);
      const merged = [...byKey].map(([Key, Value]) => ({ Key, Value }));
      checkResourceTags(merged);
      await c.put(repo.arn, merged);
    });
  }

  /** Removes tags by key. */
  async untag(scope: Scope, arn: string, keys: readonly string[]): Promise<void> {
    const repo = await this.repositories.getByArn(scope, arn);
    const drop = new Set(keys);
    await this.store.transaction(async (tx) => {
      const c = tx.collection<ResourceTag[]>(Collections.ResourceTags);
      const kept = ((await c.get(repo.arn)) ?? []).filter((t) => !drop.has(t.Key));
      if (kept.length) await c.put(repo.arn, kept);
      else await c.delete(repo.arn);
    });
  }
}
