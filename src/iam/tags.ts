import type { Tag } from './records.js';
import { invalidInput, limitExceeded } from './errors.js';

/** IAM's limit of tags per entity. */
export const MAX_TAGS = 50;

/** Tags as IAM keeps them: keys unique regardless of case; a tag of an existing key replaces it. */
export function mergeTags(current: readonly Tag[], added: readonly Tag[]): Tag[] {
  const keys = new Set<string>();
  for (const t of added) {
    const lower = t.Key.toLowerCase();
    if (keys.has(lower)) throw invalidInput('Duplicate tag keys found. Please note that Tag keys are case insensitive.');
    keys.add(lower);
  }
  const merged = [...current.filter((t) => !keys.has(t.Key.toLowerCase())), ...added.map((t) => ({ Key: t.Key, Value: t.Value }))];
  if (merged.length > MAX_TAGS) throw limitExceeded(`The number of tags has reached the maximum limit.`);
  return merged;
}

/** Tags without the given keys (case-insensitive, as IAM compares tag keys). */
export function removeTags(current: readonly Tag[], keys: readonly string[]): Tag[] {
  const drop = new Set(keys.map((k) => k.toLowerCase()));
  return current.filter((t) => !drop.has(t.Key.toLowerCase()));
}
