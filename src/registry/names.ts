import { invalidRepositoryName, invalidTag } from './errors.js';

/**
 * Repository names and tags. A repository name must satisfy both the OCI distribution grammar and
 * ECR's rules (2 to 256 characters), since each name is an ECR repository and a `/v2/` path.
 */
const REPOSITORY_NAME = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*$/;

/** ECR's bounds on repository name length. */
export const REPOSITORY_NAME_LENGTH = { min: 2, max: 256 } as const;

/** The OCI tag grammar: up to 128 characters. */
const TAG = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/;

/** Tells whether `name` is a valid repository name. */
export function isRepositoryName(name: string): boolean {
  return name.length >= REPOSITORY_NAME_LENGTH.min && name.length <= REPOSITORY_NAME_LENGTH.max && REPOSITORY_NAME.test(name);
}

/** Throws NAME_INVALID unless `name` is a valid repository name. */
export function checkRepositoryName(name: string): void {
  if (!isRepositoryName(name)) throw invalidRepositoryName(name);
}

/** Tells whether `tag` is a valid tag. */
export function isTag(tag: string): boolean {
  return TAG.test(tag);
}

/** Throws TAG_INVALID unless `tag` is a valid tag. */
export function checkTag(tag: string): void {
  if (!isTag(tag)) throw invalidTag(tag);
}
