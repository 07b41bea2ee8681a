import { readFileSync } from 'node:fs';

/**
 * The regions a request may be signed for. AWS only has endpoints in its regions: a call signed for
 * any other name never reaches a service there. minato serves one endpoint for every region, so it
 * checks the credential scope's region against AWS's list (`models/regions.json`, the `aws`
 * partition of botocore's endpoint data: the partition minato's ARNs name) plus the names an
 * operator adds with `minato up --extra-regions`.
 */

/** The shape of `models/regions.json`. */
interface RegionsFile {
  partition: string;
  regions: string[];
}

let awsRegions: readonly string[] | undefined;

/** The `aws` partition's region names, read once per process. */
export function awsRegionNames(): readonly string[] {
  if (!awsRegions) {
    // src/server/ from source and dist/server/ compiled both sit two levels below the root.
    const url = new URL('../../models/regions.json', import.meta.url);
    const file = JSON.parse(readFileSync(url, 'utf8')) as Partial<RegionsFile> | null;
    if (!file || !Array.isArray(file.regions) || file.regions.length === 0) throw new Error('models/regions.json lists no regions');
    awsRegions = file.regions;
  }
  return awsRegions;
}

/** A region name as AWS spells them (`us-east-1`, `ap-southeast-5`): lower-case letters, digits and hyphens. */
export const REGION_NAME = /^[a-z0-9](?:[a-z0-9-]{0,48}[a-z0-9])?$/;

/** The set of regions requests may name: AWS's, and `extra`. */
export function servedRegions(extra: readonly string[] = []): ReadonlySet<string> {
  return new Set([...awsRegionNames(), ...extra]);
}
