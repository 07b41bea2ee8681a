import { invalidRegistryParameter } from '../errors.js';
import { TagMutability, type ExclusionFilter, type RepositoryRecord } from './records.js';

/**
 * Whether a tag of a repository may be moved, per ECR's tag mutability settings: MUTABLE and
 * IMMUTABLE apply to every tag; the `_WITH_EXCLUSION` variants flip the setting for tags that match
 * one of the exclusion filters (wildcard patterns, `*` matching any run of characters).
 */
export function isTagImmutable(repository: Pick<RepositoryRecord, 'imageTagMutability' | 'imageTagMutabilityExclusionFilters'>, tag: string): boolean {
  const excluded = () => repository.imageTagMutabilityExclusionFilters.some((f) => wildcardMatch(f.filter, tag));
  switch (repository.imageTagMutability) {
    case TagMutability.Mutable:
      return false;
    case TagMutability.Immutable:
      return true;
    case TagMutability.ImmutableWithExclusion:
      return !excluded();
    case TagMutability.MutableWithExclusion:
      return excluded();
  }
}

/** Tells whether `value` matches `pattern`, where `*` stands for any run of characters (also none). */
export function wildcardMatch(pattern: string, value: string): boolean {
  const parts = pattern.split('*');
  if (parts.length === 1) return pattern === value;
  const first = parts[0]!;
  const last = parts[parts.length - 1]!;
  if (!value.startsWith(first) || value.length < first.length + last.length) return false;
  let position = first.length;
  for (const middle of parts.slice(1, -1)) {
    const found = value.indexOf(middle, position);
    if (found < 0 || found + middle.length > value.length - last.length) return false;
    position = found + middle.length;
  }
  return value.endsWith(last) && position <= value.length - last.length;
}

/** Rejects inconsistent settings: the exclusion variants need filters, the plain ones take none. */
export function checkMutabilitySettings(mutability: string, filters: readonly ExclusionFilter[]): void {
  const needsFilters = mutability === TagMutability.ImmutableWithExclusion || mutability === TagMutability.MutableWithExclusion;
  if (needsFilters && filters.length === 0) {
    throw invalidRegistryParameter(`imageTagMutabilityExclusionFilters must be specified when imageTagMutability is ${mutability}`);
  }
  if (!needsFilters && filters.length > 0) {
    throw invalidRegistryParameter(`imageTagMutabilityExclusionFilters can only be specified when imageTagMutability is IMMUTABLE_WITH_EXCLUSION or MUTABLE_WITH_EXCLUSION`);
  }
}
