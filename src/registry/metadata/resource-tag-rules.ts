import { ErrorKind } from '../../lib/errors.js';
import { registryError } from '../errors.js';

/** An AWS resource tag as ECR spells it. */
export interface ResourceTag {
  Key: string;
  Value: string;
}

/** ECR's limit on tags per resource. */
export const MAX_RESOURCE_TAGS = 50;

const invalidTagParameter = (message: string) => registryError(ErrorKind.InvalidArgument, 'resource-tags', message);

/** Rejects tag lists ECR rejects: the reserved `aws:` prefix, duplicate keys, too many tags. */
export function checkResourceTags(tags: readonly ResourceTag[]): void {
  const keys = new Set<string>();
  for (const tag of tags) {
    if (tag.Key.toLowerCase().startsWith('aws:')) throw invalidTagParameter(`Invalid tag key '${tag.Key}': the prefix 'aws:' is reserved for AWS use.`);
    if (tag.Key.length < 1 || tag.Key.length > 128) throw invalidTagParameter('Tag keys must be 1 to 128 characters long.');
    if (tag.Value.length > 256) throw invalidTagParameter('Tag values must be at most 256 characters long.');
    if (keys.has(tag.Key)) throw invalidTagParameter(`Duplicate tag key '${tag.Key}'.`);
    keys.add(tag.Key);
  }
  if (keys.size > MAX_RESOURCE_TAGS) throw registryError(ErrorKind.LimitExceeded, 'too-many-tags', `A resource can have at most ${MAX_RESOURCE_TAGS} tags.`);
}
