import type {
  BatchDeleteImageRequest,
  BatchGetImageRequest,
  DescribeImagesRequest,
  ImageIdentifier,
  ListImageReferrersRequest,
  ListImagesRequest,
  PutImageRequest,
} from '@aws-sdk/client-ecr';
import { isDomainError } from '../../lib/errors.js';
import { decodeToken, encodeToken } from '../../lib/pagination.js';
import type { Scope } from '../../lib/scope.js';
import { parseDigest } from '../../registry/digest.js';
import { invalidRegistryParameter, manifestUnknown } from '../../registry/errors.js';
import type { TagStatusFilter } from '../../registry/metadata/image-queries.js';
import type { ManifestRecord, RepositoryRecord } from '../../registry/metadata/records.js';
import type { Registry } from '../../registry/registry.js';
import type { OperationHandler } from '../../server/service.js';
import type { ImageScanRecord } from '../../registry/scanning/scan-records.js';
import { pageSize, seconds } from './paging.js';
import { findingsSummary, scanStatus } from './scan-findings.js';

/** The wire ImageDetail, with the image's scan status and summary when it was scanned. */
function imageDetail(repository: RepositoryRecord, m: ManifestRecord, scan?: ImageScanRecord) {
  const summary = scan && findingsSummary(scan);
  return {
    registryId: repository.registryId,
    repositoryName: repository.name,
    imageDigest: m.digest,
    ...(m.tags.length > 0 && { imageTags: m.tags }),
    imageSizeInBytes: m.imageSize,
    imagePushedAt: seconds(m.pushedAt),
    imageManifestMediaType: m.mediaType,
    ...(m.configMediaType !== undefined && { artifactMediaType: m.configMediaType }),
    ...(m.pulledAt !== undefined && { lastRecordedPullTime: seconds(m.pulledAt) }),
    ...(m.subject !== undefined && { subjectManifestDigest: m.subject }),
    imageStatus: 'ACTIVE',
    ...(scan && { imageScanStatus: scanStatus(scan) }),
    ...(summary && { imageScanFindingsSummary: summary }),
  };
}

/** An ImageFailure. */
const failure = (imageId: ImageIdentifier, failureCode: string, failureReason: string) => ({ imageId, failureCode, failureReason });

/** Resolves an ImageIdentifier to a manifest, or to the ImageFailure ECR reports for it. */
async function lookup(registry: Registry, repository: RepositoryRecord, id: ImageIdentifier) {
  if (id.imageDigest === undefined && id.imageTag === undefined) {
    return { failure: failure(id, 'MissingDigestAndTag', 'Invalid request parameters: both tag and digest cannot be null') };
  }
  if (id.imageDigest !== undefined && !parseDigest(id.imageDigest)) return { failure: failure(id, 'InvalidImageDigest', 'Invalid request parameters: image digest should satisfy the regex \'[a-zA-Z0-9-_+.]+:[a-fA-F0-9]+\'') };
  const found = await registry.images.find(repository, id.imageDigest ?? id.imageTag!);
  if (!found) return { failure: failure(id, 'ImageNotFound', 'Requested image not found') };
  if (id.imageDigest !== undefined && id.imageTag !== undefined && !found.record.tags.includes(id.imageTag)) {
    return { failure: failure(id, 'ImageTagDoesNotMatchDigest', 'Invalid request parameters: given tag does not map to the given digest') };
  }
  return { record: found.record };
}

/** Handlers of the image operations. */
export function imageHandlers(registry: Registry): Record<string, OperationHandler> {
  const { repositories, images, queries } = registry;
  return {
    async ListImages(input: ListImagesRequest, { scope }) {
      const repository = await repositories.get(scope, input.repositoryName!);
      const filter = (input.filter?.tagStatus ?? 'ANY') as TagStatusFilter;
      const page = await queries.imageIds(repository, filter, pageSize('ListImages', input.maxResults), input.nextToken);
      return { imageIds: page.items, ...(page.nextToken && { nextToken: page.nextToken }) };
    },
    async DescribeImages(input: DescribeImagesRequest, { scope }) {
      const repository = await repositories.get(scope, input.repositoryName!);
      if (input.imageIds?.length) {
        if (input.maxResults !== undefined || input.nextToken !== undefined) {
          throw invalidRegistryParameter('When imageIds are specified, nextToken and maxResults cannot be used.');
        }
        const details = [];
        for (const id of input.imageIds) {
          const found = await lookup(registry, repository, id);
          if (found.failure) {
            if (found.failure.failureCode === 'InvalidImageDigest') throw invalidRegistryParameter(found.failure.failureReason);
            throw manifestUnknown(
              id.imageDigest ?? id.imageTag ?? '',
              `The image with imageId {imageDigest:'${id.imageDigest ?? 'null'}', imageTag:'${id.imageTag ?? 'null'}'} does not exist within the repository with name '${repository.name}' in the registry with id '${repository.registryId}'`,
            );
          }
          details.push(imageDetail(repository, found.record, await registry.scans.scanOf(repository, found.record.digest)));
        }
        return { imageDetails: details };
      }
      const filter = (input.filter?.tagStatus ?? 'ANY') as TagStatusFilter;
      const page = await queries.manifests(repository, filter, pageSize('DescribeImages', input.maxResults), input.nextToken);
      const details = [];
      for (const m of page.items) details.push(imageDetail(repository, m, await registry.scans.scanOf(repository, m.digest)));
      return { imageDetails: details, ...(page.nextToken && { nextToken: page.nextToken }) };
    },
    async BatchGetImage(input: BatchGetImageRequest, { scope }) {
      const repository = await repositories.get(scope, input.repositoryName!);
      const found = [];
      const failures = [];
      for (const id of input.imageIds ?? []) {
        const result = await lookup(registry, repository, id);
        if (result.failure) {
          failures.push(result.failure);
          continue;
        }
        const resolved = await images.resolve(scope, repository.name, result.record.digest);
        const tag = id.imageTag;
        found.push({
          registryId: repository.registryId,
          repositoryName: repository.name,
          imageId: { imageDigest: result.record.digest, ...(tag !== undefined && { imageTag: tag }) },
          imageManifest: resolved.body.toString('utf8'),
          imageManifestMediaType: result.record.mediaType,
        });
        await images.recordPull(repository, result.record);
      }
      return { images: found, failures };
    },
    async BatchDeleteImage(input: BatchDeleteImageRequest, { scope }) {
      const repository = await repositories.get(scope, input.repositoryName!);
      const deleted: ImageIdentifier[] = [];
      const failures = [];
      for (const id of input.imageIds ?? []) {
        const result = await lookup(registry, repository, id);
        if (result.failure) {
          failures.push(result.failure);
          continue;
        }
        try {
          deleted.push(...(await deleteImage(registry, scope, repository, id, result.record)));
        } catch (err) {
          if (!isDomainError(err)) throw err;
          if (err.subject === 'manifest-referenced') failures.push(failure(id, 'ImageReferencedByManifestList', err.message));
          else failures.push(failure(id, 'ImageNotFound', 'Requested image not found'));
        }
      }
      return { imageIds: deleted, failures };
    },
    async PutImage(input: PutImageRequest, { scope }) {
      const pushed = await images.push(scope, input.repositoryName!, {
        bytes: Buffer.from(input.imageManifest!, 'utf8'),
        ...(input.imageManifestMediaType !== undefined && { contentType: input.imageManifestMediaType }),
        ...(input.imageTag !== undefined && { tag: input.imageTag }),
        ...(input.imageDigest !== undefined && { digest: input.imageDigest }),
        failIfUnchanged: true,
      });
      return {
        image: {
          registryId: pushed.repository.registryId,
          repositoryName: pushed.repository.name,
          imageId: { imageDigest: pushed.record.digest, ...(input.imageTag !== undefined && { imageTag: input.imageTag }) },
          imageManifest: input.imageManifest,
          imageManifestMediaType: pushed.record.mediaType,
        },
      };
    },
    async ListImageReferrers(input: ListImageReferrersRequest, { scope }) {
      const repository = await repositories.get(scope, input.repositoryName!);
      const max = pageSize('ListImageReferrers', input.maxResults);
      const referrers = await queries.referrers(repository, input.subjectId!.imageDigest!, input.filter?.artifactTypes ?? []);
      const listing = `referrers:${repository.uid}:${input.subjectId!.imageDigest!}`;
      const start = Number(decodeToken(listing, input.nextToken) ?? 0);
      const page = referrers.slice(start, start + max).map((r) => ({ ...r, artifactStatus: 'ACTIVE' }));
      const more = start + max < referrers.length;
      return { referrers: page, ...(more && { nextToken: encodeToken(listing, String(start + max)) }) };
    },
  };
}

/** BatchDeleteImage of one image id: a tag is removed (the image too when it was the last tag); a digest deletes the image. */
async function deleteImage(registry: Registry, scope: Scope, repository: RepositoryRecord, id: ImageIdentifier, record: ManifestRecord): Promise<ImageIdentifier[]> {
  if (id.imageDigest === undefined) {
    const { digest } = await registry.images.deleteTag(scope, repository.name, id.imageTag!, true);
    return [{ imageDigest: digest, imageTag: id.imageTag! }];
  }
  const removed = await registry.images.deleteManifest(scope, repository.name, record.digest);
  return removed.tags.length ? removed.tags.map((imageTag) => ({ imageDigest: removed.digest, imageTag })) : [{ imageDigest: removed.digest }];
}
