import { invalidParameter } from '../../lib/errors.js';

/** `maxResults` bounds and defaults per ECR list operation, from the API reference. */
const LIMITS: Readonly<Record<string, { max: number; default: number }>> = {
  DescribeRepositories: { max: 1000, default: 100 },
  ListImages: { max: 1000, default: 100 },
  DescribeImages: { max: 1000, default: 100 },
  GetLifecyclePolicyPreview: { max: 100, default: 100 },
  ListImageReferrers: { max: 50, default: 50 },
  DescribePullThroughCacheRules: { max: 1000, default: 100 },
  DescribeImageScanFindings: { max: 1000, default: 100 },
};

/** The page size an ECR list operation uses for `maxResults`; out-of-range values are rejected. */
export function pageSize(operation: string, maxResults: number | undefined): number {
  const limit = LIMITS[operation];
  if (!limit) throw new Error(`no paging limits for ${operation}`);
  if (maxResults === undefined) return limit.default;
  if (maxResults < 1 || maxResults > limit.max) throw invalidParameter(`maxResults must be between 1 and ${limit.max}.`);
  return maxResults;
}

/** Epoch milliseconds as JSON 1.1 timestamps (epoch seconds). */
export const seconds = (ms: number): number => ms / 1000;
