import {
  CreateClusterCommand,
  DescribeTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  type ContainerDefinition,
  type ECSClient,
  type Task,
} from '@aws-sdk/client-ecs';
import { CreateRoleCommand, EntityAlreadyExistsException, IAMClient } from '@aws-sdk/client-iam';
import { startDistributionRegistry, type DistributionRegistry } from '../support/distribution-registry.js';
import { buildImage, pushImageLayout } from '../support/oci-image.js';
import { DEFAULT_NETWORK } from '../support/default-vpc.js';

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

/** A trust policy that lets ECS tasks assume a role. */
export const ECS_TASKS_TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }] });

/** Creates the role an ARN names, trusting ECS tasks, at the endpoint `ecs` talks to (as a task's roles must exist for it to start). */
export async function ensureTaskRole(ecs: ECSClient, roleArn: string, trust = ECS_TASKS_TRUST): Promise<void> {
  const endpoint = await ecs.config.endpoint!();
  const iam = new IAMClient({
    endpoint: `${endpoint.protocol}//${endpoint.hostname}:${endpoint.port}`,
    region: 'us-east-1',
    credentials: await ecs.config.credentials(),
    maxAttempts: 1,
  });
  try {
    await iam.send(new CreateRoleCommand({ RoleName: roleArn.slice(roleArn.lastIndexOf('/') + 1), AssumeRolePolicyDocument: trust }));
  } catch (err) {
    if (!(err instanceof EntityAlreadyExistsException)) throw err;
  } finally {
    iam.destroy();
  }
}

/** Ensures the cluster exists and runs one task of a fresh Fargate definition with these containers. */
export async function runTask(
  ecs: ECSClient,
  cluster: string,
  family: string,
  containers: ContainerDefinition[],
  extra: { cpu?: string; memory?: string; volumes?: Array<{ name: string }>; executionRoleArn?: string; taskRoleArn?: string } = {},
) {
  await ecs.send(new CreateClusterCommand({ clusterName: cluster }));
  if (extra.executionRoleArn) await ensureTaskRole(ecs, extra.executionRoleArn);
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
      ...(extra.taskRoleArn && { taskRoleArn: extra.taskRoleArn }),
    }),
  );
  const res = await ecs.send(
    new RunTaskCommand({
      cluster,
      taskDefinition: taskDefinition!.taskDefinitionArn,
      launchType: 'FARGATE',
      networkConfiguration: DEFAULT_NETWORK,
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
