/** The ECS calls the console makes: the same operations, with the same inputs, the CLI sends. */
import { chunks, collectPages, ECS, type AwsClient } from './client.js';
import type { Cluster, ContainerInstance, Failure, Service, Task, TaskDefinition } from './ecs-types.js';

interface Page {
  nextToken?: string;
}

export async function listClusters(aws: AwsClient): Promise<Cluster[]> {
  const arns = await collectPages(
    (nextToken) => aws.json<Page & { clusterArns?: string[] }>(ECS, 'ListClusters', { nextToken, maxResults: 100 }),
    (p) => p.clusterArns,
  );
  const described = await Promise.all(
    chunks(arns, 100).map((clusters) => aws.json<{ clusters?: Cluster[] }>(ECS, 'DescribeClusters', { clusters, include: ['STATISTICS'] })),
  );
  return described.flatMap((d) => d.clusters ?? []);
}

export async function describeCluster(aws: AwsClient, cluster: string): Promise<Cluster | undefined> {
  const out = await aws.json<{ clusters?: Cluster[] }>(ECS, 'DescribeClusters', { clusters: [cluster] });
  return out.clusters?.[0];
}

export async function listServices(aws: AwsClient, cluster: string): Promise<Service[]> {
  const arns = await collectPages(
    (nextToken) => aws.json<Page & { serviceArns?: string[] }>(ECS, 'ListServices', { cluster, nextToken, maxResults: 100 }),
    (p) => p.serviceArns,
  );
  const described = await Promise.all(
    chunks(arns, 10).map((services) => aws.json<{ services?: Service[] }>(ECS, 'DescribeServices', { cluster, services })),
  );
  return described.flatMap((d) => d.services ?? []);
}

export async function describeService(aws: AwsClient, cluster: string, service: string): Promise<Service | undefined> {
  const out = await aws.json<{ services?: Service[]; failures?: Failure[] }>(ECS, 'DescribeServices', { cluster, services: [service] });
  return out.services?.[0];
}

export async function listContainerInstances(aws: AwsClient, cluster: string): Promise<ContainerInstance[]> {
  const arns = await collectPages(
    (nextToken) => aws.json<Page & { containerInstanceArns?: string[] }>(ECS, 'ListContainerInstances', { cluster, nextToken, maxResults: 100 }),
    (p) => p.containerInstanceArns,
  );
  const described = await Promise.all(
    chunks(arns, 100).map((containerInstances) =>
      aws.json<{ containerInstances?: ContainerInstance[] }>(ECS, 'DescribeContainerInstances', { cluster, containerInstances }),
    ),
  );
  return described.flatMap((d) => d.containerInstances ?? []);
}

/**
 * Tasks of a cluster (or one service), running and recently stopped. Each page of ARNs is
 * described (100 at a time) as soon as it arrives, and both lists are walked at once, so 1,000
 * tasks cost ten sequential round trips, not twenty.
 */
export async function listTasks(aws: AwsClient, cluster: string, filter: { serviceName?: string } = {}): Promise<Task[]> {
  const walk = async (desiredStatus: string): Promise<Task[]> => {
    const described: Promise<Task[]>[] = [];
    let nextToken: string | undefined;
    do {
      const page: Page & { taskArns?: string[] } = await aws.json(ECS, 'ListTasks', { cluster, ...filter, desiredStatus, nextToken, maxResults: 100 });
      const tasks = page.taskArns ?? [];
      if (tasks.length) described.push(aws.json<{ tasks?: Task[] }>(ECS, 'DescribeTasks', { cluster, tasks }).then((d) => d.tasks ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
    return (await Promise.all(described)).flat();
  };
  const [running, stopped] = await Promise.all([walk('RUNNING'), walk('STOPPED')]);
  return [...running, ...stopped];
}

export async function describeTask(aws: AwsClient, cluster: string, task: string): Promise<Task | undefined> {
  const out = await aws.json<{ tasks?: Task[] }>(ECS, 'DescribeTasks', { cluster, tasks: [task] });
  return out.tasks?.[0];
}

export async function describeTaskDefinition(aws: AwsClient, taskDefinition: string): Promise<TaskDefinition> {
  const out = await aws.json<{ taskDefinition: TaskDefinition }>(ECS, 'DescribeTaskDefinition', { taskDefinition });
  return out.taskDefinition;
}

export async function listTaskDefinitionFamilies(aws: AwsClient): Promise<string[]> {
  return collectPages(
    (nextToken) => aws.json<Page & { families?: string[] }>(ECS, 'ListTaskDefinitionFamilies', { nextToken, maxResults: 100 }),
    (p) => p.families,
  );
}

/** The revisions of a family, newest first, active and inactive. */
export async function listTaskDefinitions(aws: AwsClient, familyPrefix: string): Promise<string[]> {
  return collectPages(
    (nextToken) => aws.json<Page & { taskDefinitionArns?: string[] }>(ECS, 'ListTaskDefinitions', { familyPrefix, sort: 'DESC', nextToken, maxResults: 100 }),
    (p) => p.taskDefinitionArns,
  );
}

// Actions: the CLI's `aws ecs update-service`, `stop-task`, `deregister-task-definition`.

export async function updateDesiredCount(aws: AwsClient, cluster: string, service: string, desiredCount: number): Promise<Service> {
  const out = await aws.json<{ service: Service }>(ECS, 'UpdateService', { cluster, service, desiredCount });
  return out.service;
}

export async function forceNewDeployment(aws: AwsClient, cluster: string, service: string): Promise<Service> {
  const out = await aws.json<{ service: Service }>(ECS, 'UpdateService', { cluster, service, forceNewDeployment: true });
  return out.service;
}

export async function stopTask(aws: AwsClient, cluster: string, task: string, reason: string): Promise<Task> {
  const out = await aws.json<{ task: Task }>(ECS, 'StopTask', { cluster, task, reason });
  return out.task;
}

export async function deregisterTaskDefinition(aws: AwsClient, taskDefinition: string): Promise<TaskDefinition> {
  const out = await aws.json<{ taskDefinition: TaskDefinition }>(ECS, 'DeregisterTaskDefinition', { taskDefinition });
  return out.taskDefinition;
}
