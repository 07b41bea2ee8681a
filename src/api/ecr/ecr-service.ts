import type { Registry } from '../../registry/registry.js';
import type { AwsService } from '../../server/service.js';
import { loadServiceModel } from '../../aws-model/service-model.js';
import { withCommonErrors } from '../secretsmanager/common-errors.js';
import { authHandlers } from './auth.js';
import { ECR_COMMON_ERRORS, ecrErrorName } from './errors.js';
import { imageHandlers } from './images.js';
import { layerHandlers } from './layers.js';
import { lifecycleHandlers } from './lifecycle.js';
import { ownRegistryOnly } from './own-registry.js';
import { pullThroughHandlers } from './pull-through.js';
import { repositoryHandlers } from './repositories.js';
import { scanningHandlers } from './scanning.js';
import { taggingHandlers } from './tagging.js';

/** How the ECR API is set up. */
export interface EcrServiceOptions {
  /**
   * The endpoint clients reach this server at (`http://host:port`): GetAuthorizationToken's
   * proxyEndpoint and the base of download URLs. A function, since the port is known only once
   * the front door listens.
   */
  endpoint(): string;
  /** The part size InitiateLayerUpload announces; default 512 KiB, so that a base64 part fits a 1 MiB request. */
  partSize?: number;
  /** The `/v2/` query parameter that carries download tokens (the registry routes define it). */
  downloadTokenParam: string;
}

/** The default part size for ECR layer uploads. */
export const DEFAULT_PART_SIZE = 512 * 1024;

/** The ECR API (JSON 1.1, target prefix AmazonEC2ContainerRegistry_V20150921, signing name `ecr`). */
export function ecrService(registry: Registry, options: EcrServiceOptions): AwsService {
  return {
    signingName: 'ecr',
    model: withCommonErrors(loadServiceModel('ecr'), ECR_COMMON_ERRORS),
    // Every operation with a registryId refuses another account's, here once for all of them.
    handlers: ownRegistryOnly({
      ...repositoryHandlers(registry),
      ...imageHandlers(registry),
      ...layerHandlers(registry, { endpoint: options.endpoint, partSize: options.partSize ?? DEFAULT_PART_SIZE, downloadTokenParam: options.downloadTokenParam }),
      ...authHandlers(registry, options.endpoint),
      ...lifecycleHandlers(registry),
      ...taggingHandlers(registry),
      ...pullThroughHandlers(registry),
      ...scanningHandlers(registry),
    }),
    errorName: ecrErrorName,
    // UploadLayerPart carries a part of up to 20 MiB as base64 inside JSON.
    bodyLimit: 28 * 1024 * 1024,
    constraintErrorName: 'InvalidParameterException',
    genericErrorNames: { client: 'InvalidParameterException', server: 'ServerException' },
  };
}
