import { wildcardMatch } from '../metadata/tag-mutability.js';
import type { LifecyclePolicy, LifecycleSelection } from './policy.js';

/** An image as lifecycle rules see it. */
export interface LifecycleImage {
  digest: string;
  tags: readonly string[];
  /** Epoch ms. */
  pushedAt: number;
}

/** An image a policy expires, and the rule that does. */
export interface LifecycleExpiry {
  digest: string;
  rulePriority: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The images a lifecycle policy expires at `now` (epoch ms), oldest first. As AWS documents it:
 * - rules are applied in ascending `rulePriority`, the `any` rule last;
 * - an image is expired by at most one rule;
 * - an image that matches the tagging requirements of a rule can never be expired by a rule of
 *   lower priority (higher number), but such rules still count it — "identify it as if it had not
 *   been expired" — when they count images;
 * - `imageCountMoreThan n` keeps the n most recently pushed images a rule selects and expires the
 *   rest; `sinceImagePushed n days` expires the images pushed more than n days ago;
 * - `tagPrefixList` / `tagPatternList` select images for which every listed prefix / pattern
 *   matches at least one of their tags; `untagged` selects images without tags, `any` all.
 * Pure: no I/O, no clock.
 */
export function evaluateLifecyclePolicy(policy: LifecyclePolicy, images: readonly LifecycleImage[], now: number): LifecycleExpiry[] {
  const rules = [...policy.rules].sort((a, b) => a.rulePriority - b.rulePriority);
  // Newest first; the digest breaks ties so that the outcome never depends on input order.
  const newestFirst = [...images].sort((a, b) => b.pushedAt - a.pushedAt || (a.digest < b.digest ? -1 : a.digest > b.digest ? 1 : 0));
  const claimed = new Set<string>();
  const expired = new Map<string, LifecycleExpiry & { pushedAt: number }>();
  for (const rule of rules) {
    const selected = newestFirst.filter((image) => selects(rule.selection, image));
    const candidates =
      rule.selection.countType === 'imageCountMoreThan'
        ? selected.slice(rule.selection.countNumber)
        : selected.filter((image) => now - image.pushedAt > rule.selection.countNumber * DAY_MS);
    for (const image of candidates) {
      if (!claimed.has(image.digest) && !expired.has(image.digest)) {
        expired.set(image.digest, { digest: image.digest, rulePriority: rule.rulePriority, pushedAt: image.pushedAt });
      }
    }
    for (const image of selected) claimed.add(image.digest);
  }
  return [...expired.values()]
    .sort((a, b) => a.pushedAt - b.pushedAt || (a.digest < b.digest ? -1 : a.digest > b.digest ? 1 : 0))
    .map(({ digest, rulePriority }) => ({ digest, rulePriority }));
}

/** Tells whether a rule's tagging requirements select an image. */
export function selects(selection: LifecycleSelection, image: LifecycleImage): boolean {
  switch (selection.tagStatus) {
    case 'any':
      return true;
    case 'untagged':
      return image.tags.length === 0;
    case 'tagged':
      if (image.tags.length === 0) return false;
      if (selection.tagPrefixList) return selection.tagPrefixList.every((prefix) => image.tags.some((tag) => tag.startsWith(prefix)));
      return (selection.tagPatternList ?? []).every((pattern) => image.tags.some((tag) => wildcardMatch(pattern, tag)));
  }
}
