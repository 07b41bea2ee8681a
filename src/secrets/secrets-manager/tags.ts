import { invalidParameter } from '../../lib/errors.js';
import { MAX_TAGS, type SecretTag } from './secret.js';

/** Tag lists as Secrets Manager keeps them: one value per key, the last one given winning. */
export function mergeTags(current: readonly SecretTag[], added: readonly SecretTag[]): SecretTag[] {
  const byKey = new Map(current.map((t) => [t.Key, t.Value]));
  for (const t of added) byKey.set(t.Key, t.Value ?? '');
  if (byKey.size > MAX_TAGS) throw invalidParameter(`A secret can have at most ${MAX_TAGS} tags.`);
  return [...byKey].map(([Key, Value]) => ({ Key, Value }));
}

/** The tags left after removing `keys`. */
export function removeTags(current: readonly SecretTag[], keys: readonly string[]): SecretTag[] {
  const drop = new Set(keys);
  return current.filter((t) => !drop.has(t.Key));
}
