import { invalidParameter } from '../lib/errors.js';

/**
 * EC2's Describe filters: a resource matches when, for every filter, one of the filter's values
 * matches one of the resource's values under that name (`*` and `?` are wildcards). `tag:<key>`
 * matches the value of that tag, `tag-key` the keys. A name the resource type does not know is
 * refused, as EC2 refuses it.
 */
export interface Filter {
  readonly Name?: string;
  readonly Values?: readonly string[];
}

export type Tag = { Key: string; Value: string };

/** The values a resource has under each filter name it supports. */
export type FilterValues = Readonly<Record<string, ReadonlyArray<string | number | boolean | undefined>>>;

function pattern(value: string): RegExp {
  const escaped = value.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, 's');
}

/** Checks the filter names against those a resource type supports (`names`), before any match. */
export function checkFilters(filters: readonly Filter[] | undefined, names: readonly string[]): void {
  for (const f of filters ?? []) {
    const name = f.Name ?? '';
    if (name.startsWith('tag:') || name === 'tag-key' || names.includes(name)) continue;
    throw invalidParameter(`The filter '${name}' is invalid`);
  }
}

/** Whether a resource with `values` and `tags` passes every filter. */
export function matchesFilters(filters: readonly Filter[] | undefined, values: FilterValues, tags: readonly Tag[]): boolean {
  return (filters ?? []).every((f) => {
    const name = f.Name ?? '';
    const have = name.startsWith('tag:')
      ? tags.filter((t) => t.Key === name.slice(4)).map((t) => t.Value)
      : name === 'tag-key'
        ? tags.map((t) => t.Key)
        : (values[name] ?? []).filter((v) => v !== undefined).map(String);
    const wanted = (f.Values ?? []).map(pattern);
    return have.some((v) => wanted.some((p) => p.test(v)));
  });
}
