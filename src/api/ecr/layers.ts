import { Readable } from 'node:stream';
import type {
  BatchCheckLayerAvailabilityRequest,
  CompleteLayerUploadRequest,
  GetDownloadUrlForLayerRequest,
  InitiateLayerUploadRequest,
  UploadLayerPartRequest,
} from '@aws-sdk/client-ecr';
import { ErrorKind } from '../../lib/errors.js';
import { parseDigest, requireDigest } from '../../registry/digest.js';
import { blobUnknown, registryError, sizeInvalid } from '../../registry/errors.js';
import type { RepositoryRecord } from '../../registry/metadata/records.js';
import type { Registry } from '../../registry/registry.js';
import type { UploadOwner } from '../../registry/storage/uploads.js';
import type { OperationHandler } from '../../server/service.js';

/** How long a GetDownloadUrlForLayer URL stays valid. */
export const DOWNLOAD_URL_TTL_MS = 60 * 60 * 1000;

/** What the layer handlers need besides the registry. */
export interface LayerOptions {
  /** The endpoint clients reach this server at (`http://host:port`), for download URLs. */
  endpoint(): string;
  /** The part size InitiateLayerUpload announces (the front door's body limit bounds it). */
  partSize: number;
  /** The query parameter that carries a download token on `/v2/` blob URLs. */
  downloadTokenParam: string;
}

const ownerOf = (r: RepositoryRecord): UploadOwner => ({ uid: r.uid, name: r.name, region: r.region });

/** Handlers of the layer operations: the ECR API's own way of pushing and pulling blobs. */
export function layerHandlers(registry: Registry, options: LayerOptions): Record<string, OperationHandler> {
  const { repositories, blobs, uploads } = registry;
  return {
    async BatchCheckLayerAvailability(input: BatchCheckLayerAvailabilityRequest, { scope }) {
      const repository = await repositories.get(scope, input.repositoryName!);
      const layers = [];
      const failures = [];
      for (const layerDigest of input.layerDigests ?? []) {
        if (!parseDigest(layerDigest)) {
          failures.push({ layerDigest, failureCode: 'InvalidLayerDigest', failureReason: 'Invalid layer digest' });
          continue;
        }
        const size = await blobs.linkedSize(layerDigest, repository.uid);
        if (size === undefined) failures.push({ layerDigest, failureCode: 'MissingLayerDigest', failureReason: 'Could not find layer' });
        else layers.push({ layerDigest, layerAvailability: 'AVAILABLE', layerSize: size });
      }
      return { layers, failures };
    },
    async InitiateLayerUpload(input: InitiateLayerUploadRequest, { scope }) {
      const repository = await repositories.get(scope, input.repositoryName!);
      const session = await uploads.start(ownerOf(repository));
      return { uploadId: session.id, partSize: options.partSize };
    },
    async UploadLayerPart(input: UploadLayerPartRequest, { scope }) {
      const repository = await repositories.get(scope, input.repositoryName!);
      const data = Buffer.from(input.layerPartBlob as unknown as string, 'base64');
      const first = input.partFirstByte!;
      const last = input.partLastByte!;
      if (last - first + 1 !== data.length) {
        throw sizeInvalid(`The part has ${data.length} bytes, but partFirstByte ${first} and partLastByte ${last} announce ${last - first + 1}.`);
      }
      const session = await uploads.append(input.uploadId!, ownerOf(repository), Readable.from([data]), { range: { start: first, end: last } });
      return { registryId: repository.registryId, repositoryName: repository.name, uploadId: session.id, lastByteReceived: session.offset - 1 };
    },
    async CompleteLayerUpload(input: CompleteLayerUploadRequest, { scope }) {
      const repository = await repositories.get(scope, input.repositoryName!);
      const digest = requireDigest(input.layerDigests![0]!);
      const owner = ownerOf(repository);
      const status = await uploads.status(input.uploadId!, owner);
      if (status.offset === 0) throw registryError(ErrorKind.InvalidArgument, 'upload-empty', `The upload ${input.uploadId} has no layer parts.`);
      if ((await blobs.linkedSize(digest.digest, repository.uid)) !== undefined) {
        await uploads.cancel(input.uploadId!, owner);
        throw registryError(ErrorKind.AlreadyExists, 'layer-exists', 'The image layer already exists in the associated repository.');
      }
      await uploads.finish(input.uploadId!, owner, digest);
      return { registryId: repository.registryId, repositoryName: repository.name, uploadId: input.uploadId, layerDigest: digest.digest };
    },
    async GetDownloadUrlForLayer(input: GetDownloadUrlForLayerRequest, { scope }) {
      const repository = await repositories.get(scope, input.repositoryName!);
      const digest = requireDigest(input.layerDigest!);
      if ((await blobs.linkedSize(digest.digest, repository.uid)) === undefined) throw blobUnknown(digest.digest);
      const token = registry.tokens.issue({
        purpose: 'download',
        accountId: scope.accountId,
        region: scope.region,
        expiresAt: scope.now.getTime() + DOWNLOAD_URL_TTL_MS,
        repository: repository.name,
        digest: digest.digest,
      });
      const url = `${options.endpoint()}/v2/${repository.name}/blobs/${digest.digest}?${options.downloadTokenParam}=${token}`;
      return { downloadUrl: url, layerDigest: digest.digest };
    },
  };
}
