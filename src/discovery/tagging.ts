import { parseArn } from '../lib/arn.js';
import { DomainError, ErrorKind } from '../lib/errors.js';
import type { Scope } from '../lib/scope.js';
import type { Store, Transaction } from '../store/store.js';
import { DiscoverySubject, invalidInput, resourceNotFound } from './errors.js';
import { Collections, regionKey, type NamespaceRecord, type ServiceRecord, type Tag } from './records.js';

/** A resource takes at most 200 tags (the model bounds a TagList by the same number). */
export const MAX_TAGS = 200;

/** Writes `tags` over a resource's tags inside a transaction; too many is TooManyTagsException. */
export async function putTags(tx: Transaction, arn: string, tags: readonly Tag[]): Promise<void> {
  const col = tx.collection<Tag[]>(Collections.tags);
  const merged = new Map((await col.get(arn) ?? []).map((t) => [t.Key, t.Value]));
  for (const t of tags) merged.set(t.Key, t.Value);
  if (merged.size > MAX_TAGS) {
    throw new DomainError(ErrorKind.LimitExceeded, `A resource can have at most ${MAX_TAGS} tags.`, DiscoverySubject.TooManyTags, { ResourceName: arn });
  }
  await col.put(arn, [...merged].map(([Key, Value]) => ({ Key, Value })));
}

/** TagResource, UntagResource and ListTagsForResource over namespaces and services. */
export class Tagging {
  constructor(private readonly store: Store) {}

  async tag(scope: Scope, arn: string, tags: readonly Tag[]): Promise<void> {
    await this.store.transaction(async (tx) => {
      await this.requireResource(tx, scope, arn);
      await putTags(tx, arn, tags);
    });
  }

  async untag(scope: Scope, arn: string, keys: readonly string[]): Promise<void> {
    await this.store.transaction(async (tx) => {
      await this.requireResource(tx, scope, arn);
      const col = tx.collection<Tag[]>(Collections.tags);
      const drop = new Set(keys);
      await col.put(arn, (await col.get(arn) ?? []).filter((t) => !drop.has(t.Key)));
    });
  }

  async list(scope: Scope, arn: string): Promise<Tag[]> {
    return this.store.transaction(async (tx) => {
      await this.requireResource(tx, scope, arn);
      return (await tx.collection<Tag[]>(Collections.tags).get(arn)) ?? [];
    });
  }

  private async requireResource(tx: Transaction, scope: Scope, arn: string): Promise<void> {
    const parts = parseArn(arn);
    if (!parts || parts.service !== 'servicediscovery') throw invalidInput(`Invalid ARN: ${arn}`);
    const [type, id] = parts.resource.split('/');
    if (parts.region === scope.region && parts.accountId === scope.accountId && id !== undefined) {
      const key = regionKey(scope.region, id);
      if (type === 'namespace' && (await tx.collection<NamespaceRecord>(Collections.namespaces).get(key))?.arn === arn) return;
      if (type === 'service' && (await tx.collection<ServiceRecord>(Collections.services).get(key))?.arn === arn) return;
    }
    throw resourceNotFound(arn);
  }
}

/** Removes a deleted resource's tags. */
export async function dropTags(tx: Transaction, arn: string): Promise<void> {
  await tx.collection<Tag[]>(Collections.tags).delete(arn);
}
