import {
  CreateClusterCommand,
  DescribeTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  type ContainerDefinition,
  type ECSClient,
  type Task,
} from '@aws-sdk/client-ecs';
import { startDistributionRegistry, type DistributionRegistry } from '../support/distribution-registry.js';
import { buildImage, pushImageLayout } from '../support/oci-image.js';

/** A registry holding a busybox image (with an httpd page), started for a test file. */
export interface ImageFixture {
  registry: DistributionRegistry;
  /** `127.0.0.1:<port>/busybox:latest` */
  image: string;
  stop(): Promise<void>;
}

/** Starts Debian's registry and pushes a busybox image built from the host's static busybox. */
export async function startImageFixture(): Promise<ImageFixture> {
  const registry = await startDistributionRegistry();
  const built = await buildImage({
    busybox: true,
    files: { '/www/index.html': 'hello from a task\n' },
    config: { Cmd: ['sh'], Env: ['PATH=/bin:/usr/bin'] },
  });
  await pushImageLayout(built.dir, `${registry.host}/busybox:latest`);
  await built.cleanup();
  return {
    registry,
    image: `${registry.host}/busybox:latest`,
    stop: () => registry.stop(),
  };
}

/** Ensures the cluster exists and runs one task of a fresh Fargate definition with these containers. */
export async function runTask(
  ecs: ECSClient,
  cluster: string,
  family: string,
  containers: ContainerDefinition[],
  extra: { cpu?: string; memory?: string; volumes?: Array<{ name: string }>; executionRoleArn?: string } = {},
) {
  await ecs.send(new CreateClusterCommand({ clusterName: cluster }));
  const { taskDefinition } = await ecs.send(
    new RegisterTaskDefinitionCommand({
      family,
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: extra.cpu ?? '256',
      memory: extra.memory ?? '512',
      containerDefinitions: containers,
      ...(extra.volumes && { volumes: extra.volumes }),
      ...(extra.executionRoleArn && { executionRoleArn: extra.executionRoleArn }),
    }),
  );
  const res = await ecs.send(
    new RunTaskCommand({
      cluster,
      taskDefinition: taskDefinition!.taskDefinitionArn,
      launchType: 'FARGATE',
      networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-12345678'], securityGroups: ['sg-12345678'] } },
    }),
  );
  return res;
}

/** Polls DescribeTasks until `done` holds for the task (bounded). */
export async function waitForTask(ecs: ECSClient, cluster: string, taskArn: string, done: (t: Task) => boolean, timeoutMs = 60_000): Promise<Task> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const { tasks } = await ecs.send(new DescribeTasksCommand({ cluster, tasks: [taskArn] }));
    const task = tasks?.[0];
    if (task && done(task)) return task;
    if (Date.now() > end) throw new Error(`task not in the expected state: ${JSON.stringify(task)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const isStopped = (t: Task) => t.lastStatus === 'STOPPED';
export const isRunning = (t: Task) => t.lastStatus === 'RUNNING';
