import { invalidParameter } from '../../lib/errors.js';

/** `maxResults` bounds and defaults per ECS list operation, from the API reference. */
const LIMITS: Readonly<Record<string, { max: number; default: number }>> = {
  ListClusters: { max: 100, default: 100 },
  ListTaskDefinitions: { max: 100, default: 100 },
  ListTaskDefinitionFamilies: { max: 100, default: 100 },
  ListAccountSettings: { max: 10, default: 10 },
  ListContainerInstances: { max: 100, default: 100 },
  ListServices: { max: 100, default: 10 },
  ListServicesByNamespace: { max: 100, default: 10 },
  ListTasks: { max: 100, default: 100 },
  ListAttributes: { max: 100, default: 100 },
  DescribeCapacityProviders: { max: 10, default: 10 },
};

/** The page size an ECS list operation uses for `maxResults`; out-of-range values are rejected. */
export function pageSize(operation: string, maxResults: number | undefined): number {
  const limit = LIMITS[operation];
  if (!limit) throw new Error(`no paging limits for ${operation}`);
  if (maxResults === undefined) return limit.default;
  if (maxResults < 1 || maxResults > limit.max) {
    throw invalidParameter(`maxResults must be between 1 and ${limit.max}.`);
  }
  return maxResults;
}
