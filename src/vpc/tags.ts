import { invalidValue, limitExceeded } from './errors.js';
import type { Tag } from './filters.js';

/** Resource types by id prefix, as DescribeTags and TagSpecifications name them. */
const TYPES: Readonly<Record<string, string>> = {
  vpc: 'vpc', subnet: 'subnet', sg: 'security-group', sgr: 'security-group-rule', igw: 'internet-gateway', rtb: 'route-table', acl: 'network-acl',
};

export function resourceType(id: string): string | undefined {
  const m = /^([a-z]+)-[0-9a-f]{8,17}$/.exec(id);
  return m ? TYPES[m[1]!] : undefined;
}

/** EC2's tag rules: keys 1–128 characters, not `aws:`, values up to 256, 50 tags per resource. */
export function checkTags(tags: readonly Tag[]): void {
  for (const t of tags) {
    if (t.Key.length === 0 || t.Key.length > 128) throw invalidValue(`Tag key must be between 1 and 128 characters: '${t.Key}'`);
    if (t.Key.toLowerCase().startsWith('aws:')) throw invalidValue("Tag keys starting with 'aws:' are reserved for internal use");
    if ((t.Value ?? '').length > 256) throw invalidValue(`Tag value exceeds the maximum length of 256 characters for key '${t.Key}'`);
  }
  if (tags.length > 50) throw limitExceeded('tags', 'The maximum number of Tags for a resource has been reached.');
}

/** The tags of the TagSpecifications that name `type`; a specification for another type is refused. */
export function tagsFor(type: string, specs: ReadonlyArray<{ ResourceType?: string; Tags?: Tag[] }> | undefined): Tag[] {
  const tags: Tag[] = [];
  for (const spec of specs ?? []) {
    if (spec.ResourceType !== type) throw invalidValue(`'${spec.ResourceType ?? ''}' is not a valid taggable resource type for this operation.`);
    tags.push(...(spec.Tags ?? []).map((t) => ({ Key: t.Key, Value: t.Value ?? '' })));
  }
  checkTags(tags);
  return tags;
}
