import type { Scope } from '../../lib/scope.js';
import type { TaskLaunchSpec } from '../../agent-contract/task-contract.js';
import type { TaskDefinitionRecord } from '../task-definitions/task-definition.js';
import type { TaskRecord } from './task.js';
import { taskSize } from './task-size.js';

/** What an agent needs to run a stored task: the record and its task definition, together. */
export function launchSpec(scope: Scope, task: TaskRecord, td: TaskDefinitionRecord): TaskLaunchSpec {
  const size = taskSize(td, task.overrides);
  const taskRoleArn = task.overrides.taskRoleArn ?? td.taskRoleArn;
  const executionRoleArn = task.overrides.executionRoleArn ?? td.executionRoleArn;
  const vpc = (task.networkConfiguration as { awsvpcConfiguration?: { subnets?: string[] } } | undefined)?.awsvpcConfiguration;
  return {
    taskArn: task.taskArn,
    taskId: task.taskId,
    clusterArn: task.clusterArn,
    region: task.region,
    accountId: scope.accountId,
    taskDefinitionArn: td.taskDefinitionArn,
    family: td.family,
    revision: td.revision,
    launchType: task.launchType,
    availabilityZone: task.availabilityZone,
    ...(task.containerInstanceArn && { containerInstanceArn: task.containerInstanceArn }),
    ...(size.taskCpu !== undefined && { cpu: size.taskCpu }),
    ...(size.taskMemory !== undefined && { memory: size.taskMemory }),
    networkMode: td.networkMode ?? 'bridge',
    containerDefinitions: td.containerDefinitions ?? [],
    containerArns: Object.fromEntries(task.containers.map((c) => [c.name!, c.containerArn!])),
    overrides: task.overrides,
    ...(taskRoleArn && { taskRoleArn }),
    ...(executionRoleArn && { executionRoleArn }),
    volumes: td.volumes ?? [],
    ...(vpc?.subnets?.[0] && { subnetId: vpc.subnets[0] }),
    ...(td.pidMode && { pidMode: td.pidMode }),
    ...(td.ipcMode && { ipcMode: td.ipcMode }),
    createdAt: task.createdAt,
  };
}
