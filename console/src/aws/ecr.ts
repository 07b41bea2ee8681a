import { collectPages, ECR, type AwsClient } from './client.js';

export interface Repository {
  repositoryName: string;
  repositoryUri: string;
  createdAt?: number;
  imageTagMutability?: string;
  imageScanningConfiguration?: { scanOnPush?: boolean };
}

export interface ImageDetail {
  imageDigest: string;
  imageTags?: string[];
  imageSizeInBytes?: number;
  imagePushedAt?: number;
  imageManifestMediaType?: string;
  imageScanStatus?: { status?: string; description?: string };
  imageScanFindingsSummary?: { findingSeverityCounts?: Record<string, number>; imageScanCompletedAt?: number };
}

export interface Finding {
  name?: string;
  severity?: string;
  description?: string;
  uri?: string;
  attributes?: { key: string; value?: string }[];
}

export async function listRepositories(aws: AwsClient): Promise<Repository[]> {
  return collectPages(
    (nextToken) => aws.json<{ repositories?: Repository[]; nextToken?: string }>(ECR, 'DescribeRepositories', { nextToken, maxResults: 100 }),
    (p) => p.repositories,
  );
}

export async function listImages(aws: AwsClient, repositoryName: string): Promise<ImageDetail[]> {
  return collectPages(
    (nextToken) => aws.json<{ imageDetails?: ImageDetail[]; nextToken?: string }>(ECR, 'DescribeImages', { repositoryName, nextToken, maxResults: 100 }),
    (p) => p.imageDetails,
  );
}

/** An image's scan findings (`aws ecr describe-image-scan-findings`), up to 1,000. */
export async function scanFindings(aws: AwsClient, repositoryName: string, imageDigest: string): Promise<{ status?: string; findings: Finding[] }> {
  let status: string | undefined;
  const findings = await collectPages(
    async (nextToken) => {
      const out = await aws.json<{ nextToken?: string; imageScanStatus?: { status?: string }; imageScanFindings?: { findings?: Finding[] } }>(ECR, 'DescribeImageScanFindings', {
        repositoryName,
        imageId: { imageDigest },
        nextToken,
        maxResults: 1000,
      });
      status = out.imageScanStatus?.status;
      return out;
    },
    (p) => p.imageScanFindings?.findings,
    1000,
  );
  return { ...(status && { status }), findings };
}
