import {
  CreateClusterCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  type ContainerDefinition,
  type ECSClient,
  type NetworkConfiguration,
  type Service,
  type Task,
} from '@aws-sdk/client-ecs';
import { DEFAULT_NETWORK } from '../support/default-vpc.js';

/** The awsvpc settings every Fargate service of these tests uses. */
export const NETWORK: NetworkConfiguration = DEFAULT_NETWORK;

/** A container that runs until SIGTERM and then exits at once, so that stops are quick. */
export const sleeper = (image: string, name = 'app'): ContainerDefinition => ({
  name,
  image,
  command: ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 1; done'],
});

/** Creates the cluster and registers a Fargate definition of `family`; returns its ARN. */
export async function registerFargate(ecs: ECSClient, cluster: string, family: string, containers: ContainerDefinition[]): Promise<string> {
  await ecs.send(new CreateClusterCommand({ clusterName: cluster }));
  const { taskDefinition } = await ecs.send(
    new RegisterTaskDefinitionCommand({
      family,
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '256',
      memory: '512',
      containerDefinitions: containers,
    }),
  );
  return taskDefinition!.taskDefinitionArn!;
}

/** The service as DescribeServices shows it. */
export async function describeService(ecs: ECSClient, cluster: string, name: string): Promise<Service> {
  const { services } = await ecs.send(new DescribeServicesCommand({ cluster, services: [name] }));
  if (!services?.[0]) throw new Error(`service ${name} not found`);
  return services[0];
}

/** Polls DescribeServices until `done` holds (bounded). */
export async function waitForService(ecs: ECSClient, cluster: string, name: string, done: (s: Service) => boolean, timeoutMs = 60_000): Promise<Service> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const s = await describeService(ecs, cluster, name);
    if (done(s)) return s;
    if (Date.now() > end) throw new Error(`service not in the expected state: ${JSON.stringify({ ...s, events: s.events?.slice(0, 8) })}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Every task of the service that is not STOPPED yet (desired RUNNING, or being stopped). */
export async function liveTasks(ecs: ECSClient, cluster: string, serviceName: string): Promise<Task[]> {
  const arns: string[] = [];
  for (const desiredStatus of ['RUNNING', 'STOPPED'] as const) {
    const { taskArns } = await ecs.send(new ListTasksCommand({ cluster, serviceName, desiredStatus }));
    arns.push(...(taskArns ?? []));
  }
  if (arns.length === 0) return [];
  const tasks: Task[] = [];
  for (let i = 0; i < arns.length; i += 100) {
    const res = await ecs.send(new DescribeTasksCommand({ cluster, tasks: arns.slice(i, i + 100) }));
    tasks.push(...(res.tasks ?? []));
  }
  return tasks.filter((t) => t.lastStatus !== 'STOPPED');
}

/** The messages of a service's events, oldest first. */
export const messagesOf = (s: Service): string[] => (s.events ?? []).map((e) => e.message ?? '').reverse();
