import { randomBytes, randomUUID } from 'node:crypto';
import type { TaskDefinition } from '@aws-sdk/client-ecs';
import type { TaskRecord } from '../../src/control/tasks/task.js';
import type { TaskLaunchSpec } from '../../src/lib/task-contract.js';
import type { Store } from '../../src/store/store.js';

/**
 * A task placed on a container instance, written as the control plane stores it (RunTask's
 * placement onto instances comes separately; until then tests place tasks themselves).
 */
export async function placeTask(store: Store, td: TaskDefinition, clusterArn: string, containerInstanceArn: string): Promise<{ record: TaskRecord; spec: TaskLaunchSpec }> {
  const [, region, accountId] = /^arn:aws:ecs:([^:]+):(\d{12}):/.exec(clusterArn)!;
  const clusterName = clusterArn.split('/').pop()!;
  const taskId = randomBytes(16).toString('hex');
  const taskArn = `arn:aws:ecs:${region}:${accountId}:task/${clusterName}/${taskId}`;
  const containerArns: Record<string, string> = {};
  for (const c of td.containerDefinitions ?? []) containerArns[c.name!] = `arn:aws:ecs:${region}:${accountId}:container/${clusterName}/${taskId}/${randomUUID()}`;
  const createdAt = Date.now();
  const record: TaskRecord = {
    taskArn,
    taskId,
    clusterArn,
    taskDefinitionArn: td.taskDefinitionArn!,
    region: region!,
    lastStatus: 'PROVISIONING',
    desiredStatus: 'RUNNING',
    launchType: 'EC2',
    containerInstanceArn,
    cpu: td.cpu,
    memory: td.memory,
    containers: (td.containerDefinitions ?? []).map((c) => ({ containerArn: containerArns[c.name!], taskArn, name: c.name, image: c.image, lastStatus: 'PENDING', networkBindings: [], networkInterfaces: [] })),
    overrides: { containerOverrides: [], inferenceAcceleratorOverrides: [] },
    attachments: [],
    availabilityZone: `${region}a`,
    group: `family:${td.family}`,
    enableExecuteCommand: false,
    healthStatus: 'UNKNOWN',
    createdAt,
    version: 1,
  };
  await store.transaction(async (tx) => tx.collection<TaskRecord>('ecs-tasks').put(`${clusterArn}/${taskId}`, record));
  const spec: TaskLaunchSpec = {
    taskArn,
    taskId,
    clusterArn,
    region: region!,
    accountId: accountId!,
    taskDefinitionArn: td.taskDefinitionArn!,
    family: td.family!,
    revision: td.revision!,
    launchType: 'EC2',
    availabilityZone: record.availabilityZone,
    containerInstanceArn,
    networkMode: td.networkMode ?? 'awsvpc',
    containerDefinitions: td.containerDefinitions ?? [],
    containerArns,
    overrides: record.overrides,
    volumes: [],
    createdAt,
  };
  return { record, spec };
}
