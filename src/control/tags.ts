import type { Tag } from '@aws-sdk/client-ecs';
import { invalidParameter } from '../lib/errors.js';
import type { Store, Transaction } from '../store/store.js';

/** Tags by resource ARN; a resource's tags live apart from it so every resource type shares them. */
const TAGS = 'ecs-tags';

/** ECS's limit on tags per resource. */
export const MAX_TAGS_PER_RESOURCE = 50;

/** Rejects tag lists ECS rejects: duplicate keys and the reserved `aws:` prefix. */
export function checkTags(tags: readonly Tag[]): void {
  const seen = new Set<string>();
  for (const tag of tags) {
    const key = tag.key ?? '';
    if (key.toLowerCase().startsWith('aws:')) {
      throw invalidParameter('Tag keys cannot start with the reserved prefix "aws:".');
    }
    if (seen.has(key)) throw invalidParameter(`Duplicate tag key: ${key}`);
    seen.add(key);
  }
}

/** Merges `added` into `current`: a new value for an existing key replaces it. */
export function mergeTags(current: readonly Tag[], added: readonly Tag[]): Tag[] {
  const byKey = new Map(current.map((t) => [t.key, t.value ?? '']));
  for (const t of added) byKey.set(t.key, t.value ?? '');
  if (byKey.size > MAX_TAGS_PER_RESOURCE) {
    throw invalidParameter(`A resource can have at most ${MAX_TAGS_PER_RESOURCE} tags.`);
  }
  return [...byKey].map(([key, value]) => ({ key, value }));
}

/** Reads and writes the tags of ECS resources. */
export class TagStore {
  constructor(private readonly store: Store) {}

  /** The tags of `arn` (empty when it has none). */
  async get(arn: string): Promise<Tag[]> {
    return (await this.store.collection<Tag[]>(TAGS).get(arn)) ?? [];
  }

  /** Replaces the tags of `arn` inside `tx`. */
  async set(tx: Transaction, arn: string, tags: readonly Tag[]): Promise<void> {
    const c = tx.collection<Tag[]>(TAGS);
    if (tags.length === 0) await c.delete(arn);
    else await c.put(arn, [...tags]);
  }

  /** Adds or replaces tags of `arn` inside `tx`. */
  async add(tx: Transaction, arn: string, tags: readonly Tag[]): Promise<void> {
    checkTags(tags);
    const current = (await tx.collection<Tag[]>(TAGS).get(arn)) ?? [];
    await this.set(tx, arn, mergeTags(current, tags));
  }

  /** Removes the tags with the given keys from `arn` inside `tx`. */
  async remove(tx: Transaction, arn: string, keys: readonly string[]): Promise<void> {
    const drop = new Set(keys);
    const current = (await tx.collection<Tag[]>(TAGS).get(arn)) ?? [];
    await this.set(tx, arn, current.filter((t) => !drop.has(t.key ?? '')));
  }
}
