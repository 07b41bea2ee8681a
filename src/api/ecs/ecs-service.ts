import type { EcsControl } from '../../control/ecs-control.js';
import type { AwsService } from '../../server/service.js';
import { loadServiceModel } from '../../aws-model/service-model.js';
import { accountSettingHandlers } from './account-settings.js';
import { capacityProviderHandlers } from './capacity-providers.js';
import { attributeHandlers } from './attributes.js';
import { clusterHandlers } from './clusters.js';
import { containerInstanceHandlers } from './container-instances.js';
import { ecsErrorName } from './errors.js';
import { serviceHandlers } from './services.js';
import { taggingHandlers } from './tagging.js';
import { taskDefinitionHandlers } from './task-definitions.js';
import { taskHandlers } from './tasks.js';

/** The ECS API (JSON 1.1, target prefix AmazonEC2ContainerServiceV20141113) over the control plane. */
export function ecsService(ecs: EcsControl): AwsService {
  return {
    signingName: 'ecs',
    model: loadServiceModel('ecs'),
    handlers: {
      ...clusterHandlers(ecs),
      ...taskDefinitionHandlers(ecs),
      ...taggingHandlers(ecs),
      ...accountSettingHandlers(ecs),
      ...taskHandlers(ecs),
      ...capacityProviderHandlers(ecs),
      ...containerInstanceHandlers(ecs),
      ...attributeHandlers(ecs),
      ...serviceHandlers(ecs),
    },
    errorName: ecsErrorName,
    constraintErrorName: 'InvalidParameterException',
    genericErrorNames: { client: 'ClientException', server: 'ServerException' },
  };
}
