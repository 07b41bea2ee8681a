import { interruptSpotTask } from '../../control/capacity-providers/spot-interruption.js';
import type { EcsControl } from '../../control/ecs-control.js';
import type { AwsService } from '../../server/service.js';
import { ecsErrorName } from '../ecs/errors.js';
import { loadServiceModel } from '../../aws-model/service-model.js';

/** What InterruptSpotTask takes (validated against models/minato-admin.json before the handler). */
interface InterruptSpotTaskInput {
  cluster?: string;
  task: string;
}

/**
 * minato's own administration API: operations AWS has no API for, such as reclaiming Fargate Spot
 * capacity. It is an AWS JSON 1.1 service like the others (target prefix `MinatoAdmin`, signing
 * name `minato`), so the front door's SigV4 verification, credential scope, model validation and
 * error shapes apply to it unchanged; only the platform's credentials can call it.
 */
export function adminService(ecs: EcsControl): AwsService {
  return {
    signingName: 'minato',
    model: loadServiceModel('minato-admin'),
    handlers: {
      async InterruptSpotTask(input: InterruptSpotTaskInput, { scope }) {
        const task = await interruptSpotTask(ecs.tasks, scope, input.cluster, input.task);
        return {
          task: {
            taskArn: task.taskArn,
            clusterArn: task.clusterArn,
            ...(task.capacityProviderName && { capacityProviderName: task.capacityProviderName }),
            lastStatus: task.lastStatus,
            desiredStatus: task.desiredStatus,
            ...(task.stopCode && { stopCode: task.stopCode }),
            ...(task.stoppedReason && { stoppedReason: task.stoppedReason }),
          },
        };
      },
    },
    // The errors are ECS's (the task domain's), so ECS's table names them.
    errorName: ecsErrorName,
    constraintErrorName: 'InvalidParameterException',
    genericErrorNames: { client: 'ClientException', server: 'ServerException' },
  };
}
